"""Reading YAML files: a list of records, each with the line it starts on.

The loader is safe and strict: no anchor nor alias (a few bytes of aliases can stand for
gigabytes), no nesting deeper than :data:`~certify.exchange.limits.MAX_DEPTH`, and a
value YAML cannot build (``2024-02-30``, a 5000-digit number) is kept as the text written,
for its column to refuse with its own words. A record holding a list of records is
flattened, each inner record inheriting the values around it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from certify.exchange.cells import RawCell, clean
from certify.exchange.limits import MAX_COLUMNS, MAX_DEPTH, Rows, number, refused
from certify.exchange.messages import Text

NOT_UTF8 = Text("YAML non codé en UTF-8", "YAML not encoded in UTF-8")
UNREADABLE = Text("YAML illisible ({error})", "unreadable YAML ({error})")
NO_ALIASES = Text(
    "ancre ou alias YAML (« & », « * ») : écrivez chaque valeur en toutes lettres",
    "YAML anchor or alias (“&”, “*”): write each value out",
)
TOO_DEEP = Text(
    "YAML imbriqué sur plus de {most} niveaux", "YAML nested more than {most} levels deep"
)
NOT_RECORDS = Text(
    "le YAML doit être une liste d'enregistrements", "YAML must be a list of records"
)
TOO_MANY_KEYS = Text(
    "plus de {most} clés différentes : le fichier est-il bien une liste d'enregistrements ?",
    "over {most} different keys: is this really a list of records?",
)


class Refused(yaml.YAMLError):
    """A YAML file the loader will not read, and why."""

    def __init__(self, reason: Text, mark: yaml.Mark | None) -> None:
        """Keep why and where."""
        super().__init__(reason.en)
        #: Why the file is refused.
        self.reason = reason
        #: Where (``None``: unknown).
        self.mark = mark


#: Key under which the loader notes the line of each record.
LINE = object()


class LineLoader(yaml.SafeLoader):
    """A safe YAML loader without anchors or aliases, of bounded depth, noting record lines."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """A node, unless it is an alias, carries an anchor or nests too deep."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise Refused(NO_ALIASES, event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise Refused(TOO_DEEP.format(most=MAX_DEPTH), event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value, or a YAML error at its line when YAML cannot build it."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as error:
            raise ConstructorError(None, None, f"{type(error).__name__}", node.start_mark) from None


def _mapping_with_line(loader: LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping, with its line under :data:`LINE`."""
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


def _or_text(construct: Callable[[Any, Any], Any]) -> Callable[[LineLoader, yaml.Node], Any]:
    """A constructor that keeps the text written when it cannot build the value."""

    def constructor(loader: LineLoader, node: yaml.Node) -> Any:
        """The value, or the scalar as written."""
        try:
            return construct(loader, node)
        except (ValueError, AttributeError, OverflowError):
            assert isinstance(node, yaml.ScalarNode)
            return loader.construct_scalar(node)

    return constructor


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)
LineLoader.add_constructor("tag:yaml.org,2002:int", _or_text(SafeConstructor.construct_yaml_int))
LineLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _or_text(SafeConstructor.construct_yaml_timestamp)
)


def _is_records(value: Any) -> bool:
    """Whether a YAML value is a list of records (nested rows), not a list of values."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def flatten(record: dict[Any, Any], inherited: dict[str, Any]) -> Iterator[tuple[int, dict]]:
    """The rows of a record: itself, or each of its nested records with its values around."""
    values = {
        str(key): value
        for key, value in record.items()
        if key is not LINE and not _is_records(value)
    }
    merged = {**inherited, **values}
    children = [c for k, v in record.items() if k is not LINE and _is_records(v) for c in v]
    if not children:
        yield record[LINE], merged
    for child in children:
        yield from flatten(child, merged)


def yaml_cell(value: Any) -> RawCell | None:
    """A YAML value as a raw cell."""
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return clean(value)
    return str(value)


def load(data: bytes) -> Any:
    """The YAML document, or the file refused with the line where it goes wrong."""
    try:
        return yaml.load(data.decode("utf-8-sig"), Loader=LineLoader)
    except UnicodeDecodeError:
        raise refused(NOT_UTF8) from None
    except Refused as error:
        raise refused(error.reason, error.mark.line + 1 if error.mark else None) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise refused(UNREADABLE.format(error=error), mark.line + 1 if mark else None) from None


def read_records(data: bytes) -> tuple[list[str], Rows]:
    """The keys of a YAML file (its header) and its rows, one per (nested) record."""
    document = load(data)
    records = document if isinstance(document, list) else [document] if document else []
    if not all(isinstance(record, dict) for record in records):
        raise refused(NOT_RECORDS)
    flat = [row for record in records for row in flatten(record, {})]
    header = list(dict.fromkeys(key for _, values in flat for key in values))
    if len(header) > MAX_COLUMNS:
        raise refused(TOO_MANY_KEYS.format(most=number(MAX_COLUMNS)))
    rows = Rows()
    rows.add(flat[0][0] if flat else 1, list(header))
    for line, values in flat:
        rows.add(line, [yaml_cell(values.get(key)) for key in header])
    return header, rows
