"""What a kind's code sees of a file: rows of read values, and the items it makes of them.

An item is one row of an entity as the file gives it. References to other rows (a site
code, an e-mail…) stay :class:`Ref` until the whole file is read and they are resolved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from certify.exchange.entities import Entity, Key
from certify.exchange.messages import Text
from certify.exchange.problems import Problem

if TYPE_CHECKING:
    from certify.exchange.kind import Kind

MISSING_VALUE = Text("valeur manquante", "missing value")
NEEDED_COLUMN = Text(
    "colonne absente, nécessaire à certaines lignes", "column missing, needed by some rows"
)


@dataclass(frozen=True)
class Ref:
    """A reference to a row of an entity, as written in a cell."""

    #: The entity referred to (e.g. ``site``).
    entity: str
    #: Its natural key as written (codes in upper case, e-mails in lower case).
    key: Key
    #: Column the reference was written in.
    column: str
    #: The text written.
    text: str
    #: How many leading key parts come from the row's context (a competency's framework).
    context: int = 0
    #: Whether an unknown key creates the row (employers, regions).
    create: bool = False


def _column_of(value: Any) -> str | None:
    """The column of the first reference inside a value (a set of pairs…), if any."""
    if isinstance(value, Ref):
        return value.column
    if isinstance(value, tuple | frozenset):
        return next((c for part in value if (c := _column_of(part))), None)
    return None


@dataclass
class Item:
    """One row of an entity as a file gives it."""

    #: The entity.
    entity: Entity
    #: Its natural key (possibly holding references until resolved).
    key: Key
    #: The fields the file gives (possibly holding references until resolved).
    fields: dict[str, Any]
    #: The line it comes from.
    line: int
    #: Column each field comes from, by field name (shared between items: never changed).
    columns: dict[str, str]
    #: Columns the key comes from.
    key_columns: tuple[str, ...]
    #: Values used only when the row is created.
    defaults: dict[str, Any] = field(default_factory=dict)
    #: The row's non-blank cells as written, by column key.
    texts: dict[str, str] = field(default_factory=dict)
    #: Fields left out because they name an unknown row (their problem is noted already).
    failed: set[str] = field(default_factory=set)


class Reading:
    """The state of reading one file: where its columns are, and every problem found."""

    def __init__(self, kind: Kind, texts: dict[str, str]) -> None:
        """Read a file of ``kind`` whose columns are headed ``texts``."""
        #: The kind of file.
        self.kind = kind
        #: Header of each present column, by column key.
        self.texts = texts
        #: Problems found so far.
        self.problems: list[Problem] = []
        self._absent: set[str] = set()
        self._orders: dict[Any, dict[Any, int]] = defaultdict(dict)

    def header(self, column: str | None) -> str | None:
        """How a column is headed in the file (its French header when absent)."""
        if not column:
            return None
        found = self.texts.get(column)
        return found or next((c.french for c in self.kind.columns if c.key == column), column)

    def problem(
        self,
        line: int | None,
        column: str | None,
        value: str | None,
        reason: Text,
        suggestion: str | None = None,
    ) -> None:
        """Note a problem at a line and column (a column key)."""
        self.problems.append(Problem(line, self.header(column), value, reason, suggestion))

    def absent(self, column: str) -> None:
        """Note, once, that a column some rows need is missing."""
        if column not in self._absent:
            self._absent.add(column)
            self.problems.append(Problem(None, None, self.header(column), NEEDED_COLUMN))

    def order(self, group: Any, member: Any) -> int:
        """Rank of ``member`` among the members of ``group`` met so far (from 0)."""
        members = self._orders[group]
        return members.setdefault(member, len(members))


@dataclass
class Row:
    """One data row once its cells are read."""

    #: Line in the file.
    line: int
    #: Value of each present column whose cell was valid, by column key.
    values: dict[str, Any]
    #: Each non-blank cell as written, by column key.
    texts: dict[str, str]
    #: The reading the row belongs to.
    reading: Reading

    def get(self, column: str) -> Any:
        """The value of a column (``None``: blank, wrong or absent)."""
        return self.values.get(column)

    def given(self, column: str) -> bool:
        """Whether the column is present and its cell valid (blank cells count if meaningful)."""
        return column in self.values

    def require(self, *columns: str) -> bool:
        """Whether every column has a value; note those missing (wrong cells are noted already)."""
        complete = True
        for column in columns:
            if self.values.get(column) is not None:
                continue
            complete = False
            if column not in self.reading.texts:
                self.reading.absent(column)
            elif column not in self.texts:
                self.reading.problem(self.line, column, None, MISSING_VALUE)
        return complete

    def ref(
        self,
        entity: str,
        column: str,
        key: Key | None = None,
        *,
        create: bool = False,
    ) -> Ref | None:
        """A reference written in ``column`` (its key: the cell's value, unless given)."""
        value = self.values.get(column)
        if value is None:
            return None
        text = self.texts.get(column, str(value))
        return Ref(entity, key or (value,), column, text, create=create)

    def item(self, entity: Entity, **extra: Any) -> Item | None:
        """The item of ``entity`` the kind's bound columns give (its key among them), and ``extra``.

        ``None`` when a key part is missing (already reported).
        """
        mapping = self.reading.kind.bound
        key_names = [f.name for f in entity.key]
        key = tuple(self._field_value(mapping[name]) for name in key_names)
        key_columns = tuple(mapping[name] for name in key_names)
        return self.make(entity, key, key_columns, mapping, **extra)

    def make(
        self,
        entity: Entity,
        key: Key,
        key_columns: tuple[str, ...],
        mapping: dict[str, str],
        **extra: Any,
    ) -> Item | None:
        """An item of ``entity``, its fields read from the columns ``mapping`` names, and ``extra``.

        ``None`` when a key part is missing (already reported).
        """
        if any(part is None for part in key):
            return None
        key_names = {f.name for f in entity.key}
        fields = {
            f: self._field_value(c)
            for f, c in mapping.items()
            if c in self.values and f not in key_names
        }
        fields |= extra
        sources = {name: c for name, value in extra.items() if (c := _column_of(value))}
        columns = mapping | sources if sources else mapping
        return Item(entity, key, fields, self.line, columns, key_columns, texts=self.texts)

    def _field_value(self, key: str) -> Any:
        """The value of a column as a field: references wrapped, lists as sets."""
        column = self.reading.kind.column(key)
        value = self.values.get(key)
        if value is None:
            return None
        if column.type.many:
            if column.ref is None:
                return frozenset(value)
            return frozenset(Ref(column.ref, (v,), column.key, str(v)) for v in value)
        if column.ref is not None:
            return Ref(
                column.ref, (value,), column.key, self.texts[column.key], create=column.create
            )
        return value
