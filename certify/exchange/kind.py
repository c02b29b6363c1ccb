"""What describes one kind of file: its columns, the entities it writes, and its rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from certify.exchange.columns import Column
from certify.exchange.entities import Entity, Key
from certify.exchange.messages import Text
from certify.exchange.rows import Item, Row
from certify.exchange.store import Store

if TYPE_CHECKING:
    from certify.exchange.checking import Checking

#: Whether a site (by natural key) is visible to the exporting user.
Visible = Callable[[Key], bool]
#: An exported row: natural values by column key.
ExportRow = dict[str, Any]


@dataclass(frozen=True)
class Nest:
    """A level of nesting in YAML exports: rows sharing the outer columns become a list."""

    #: Key of the list (French).
    name: str
    #: Columns belonging to this level and deeper.
    columns: tuple[str, ...]


def no_checks(checking: Checking) -> None:
    """No rule beyond those of the cells and references."""


def no_defaults(entity: Entity, key: Key, fields: dict[str, Any], store: Store) -> dict[str, Any]:
    """No value computed for new rows."""
    return {}


@dataclass(frozen=True)
class Kind:
    """Everything the engine needs to import and export one kind of file."""

    #: Canonical (English) name.
    name: str
    #: Names accepted on the command line (English and French).
    names: tuple[str, ...]
    #: How the kind is called in reports.
    label: Text
    #: Its columns, in export order.
    columns: tuple[Column, ...]
    #: Entities written, each after those it refers to.
    entities: tuple[Entity, ...]
    #: The items a row gives.
    items: Callable[[Row, Store], list[Item | None]]
    #: The rows of an export, from the database in natural form.
    rows: Callable[[Store, Visible], Iterator[ExportRow]]
    #: Whether only administrators may import it (reference data, certificates issued elsewhere).
    reference: bool = False
    #: Entities whose rows repeat over several lines (equal each time).
    repeated: frozenset[str] = frozenset()
    #: Rules across fields, rows and the database; they note problems on the reading.
    check: Callable[[Checking], None] = no_checks
    #: Values computed for new rows (e.g. an imported certificate's snapshot).
    create_defaults: Callable[[Entity, Key, dict[str, Any], Store], dict[str, Any]] = no_defaults
    #: Nesting of YAML exports.
    nesting: tuple[Nest, ...] = ()

    @cached_property
    def _columns(self) -> dict[str, Column]:
        """Columns by key."""
        return {column.key: column for column in self.columns}

    @cached_property
    def bound(self) -> dict[str, str]:
        """Column key of each field the bound columns fill, by field name."""
        return {column.field: column.key for column in self.columns if column.field is not None}

    def column(self, key: str) -> Column:
        """The column with this key."""
        return self._columns[key]
