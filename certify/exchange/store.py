"""The database's rows in natural form, loaded set-based: one query per table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.exchange.entities import ENTITIES, Collection, Entity, Field, Key
from certify.model import table_of


@dataclass
class Table:
    """The rows of one entity, in natural form."""

    #: Fields of each row (collections included), by natural key.
    rows: dict[Key, dict[str, Any]] = field(default_factory=dict)
    #: Primary-key values of each row, by natural key.
    pks: dict[Key, tuple[Any, ...]] = field(default_factory=dict)
    #: Natural key of each row, by id (tables with an ``id`` only).
    by_id: dict[Any, Key] = field(default_factory=dict)
    #: Natural keys held by several rows (an import cannot tell which one it means).
    ambiguous: set[Key] = field(default_factory=set)

    def id(self, key: Key) -> Any:
        """The id of the row with this natural key."""
        return self.pks[key][0]


class Store:
    """Rows of the database in natural form, entity by entity."""

    def __init__(self) -> None:
        """An empty store."""
        #: Loaded tables, by entity name.
        self.tables: dict[str, Table] = {}

    @classmethod
    def load(cls, session: Session, names: Iterable[str]) -> Store:
        """Load these entities and every entity they refer to."""
        store = cls()
        for name in dependency_order(names):
            store.tables[name] = load_table(session, ENTITIES[name], store)
        return store

    def table(self, name: str) -> Table:
        """The loaded table of an entity."""
        return self.tables[name]

    def row(self, name: str, key: Key) -> dict[str, Any] | None:
        """The fields of one row, or ``None``."""
        return self.tables[name].rows.get(key)


def dependency_order(names: Iterable[str]) -> list[str]:
    """``names`` and the entities they refer to, each after those it refers to."""
    order: list[str] = []

    def visit(name: str) -> None:
        """Place ``name`` after its references."""
        if name in order:
            return
        for reference in ENTITIES[name].references():
            if reference != name:
                visit(reference)
        order.append(name)

    for name in names:
        visit(name)
    return order


def _natural(field: Field, value: Any, store: Store, own: tuple[str, Table]) -> Any:
    """A column value in natural form: a referenced row's key, or the value itself.

    ``own`` is the entity being loaded and its table so far (for references to itself).
    """
    if value is None:
        return None
    if field.ref is not None:
        table = own[1] if field.ref == own[0] else store.tables[field.ref]
        return table.by_id[value]
    return field.canonical(value) if field.canonical else value


def load_table(session: Session, entity: Entity, store: Store) -> Table:
    """Every row of an entity in natural form (references resolved through ``store``)."""
    table = table_of(entity.model)
    pk_columns = list(table.primary_key.columns)
    fields = (*entity.key, *entity.fields)
    query = select(*pk_columns, *(table.c[f.column] for f in fields))
    loaded = Table()
    own = (entity.name, loaded)
    raw = session.execute(query).all()
    width, size = len(pk_columns), len(entity.key)
    with_id = "id" in table.c
    keyed = []
    for row in raw:
        key = tuple(
            _natural(f, v, store, own)
            for f, v in zip(entity.key, row[width : width + size], strict=True)
        )
        if key in loaded.pks:
            loaded.ambiguous.add(key)
        loaded.pks[key] = tuple(row[:width])
        if with_id:
            loaded.by_id[row[0]] = key
        keyed.append((key, row))
    for key, row in keyed:
        loaded.rows[key] = {
            f.name: _natural(f, v, store, own)
            for f, v in zip(entity.fields, row[width + size :], strict=True)
        }
    for collection in entity.collections:
        _load_collection(session, collection, own, store)
    return loaded


def _load_collection(
    session: Session, collection: Collection, own: tuple[str, Table], store: Store
) -> None:
    """Fill one collection field of every row of ``own``."""
    loaded = own[1]
    child = table_of(collection.model)
    query = select(child.c[collection.parent], *(child.c[p.column] for p in collection.parts))
    children: dict[Any, set[Any]] = defaultdict(set)
    for parent, *values in session.execute(query):
        natural = tuple(
            _natural(p, v, store, own) for p, v in zip(collection.parts, values, strict=True)
        )
        children[parent].add(natural[0] if len(natural) == 1 else natural)
    for key, fields in loaded.rows.items():
        fields[collection.name] = frozenset(children.get(loaded.id(key), ()))
