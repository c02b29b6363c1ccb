"""What an import would do: rows to create, rows to update (field by field), rows unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from certify.exchange.entities import Collection, Entity, Key
from certify.exchange.kind import Kind
from certify.exchange.rows import Item
from certify.exchange.store import Store


@dataclass(frozen=True)
class Creation:
    """A row to create."""

    #: Its natural key.
    key: Key
    #: Its fields (defaults included).
    fields: dict[str, Any]
    #: The line giving it.
    line: int
    #: Columns the fields come from, by field name.
    columns: dict[str, str]


@dataclass(frozen=True)
class Update:
    """A row to update: only the fields that change."""

    #: Its natural key.
    key: Key
    #: Its primary-key values.
    pk: tuple[Any, ...]
    #: Each changed field: (value before, value after).
    changes: dict[str, tuple[Any, Any]]
    #: The line giving it.
    line: int
    #: Columns the fields come from, by field name.
    columns: dict[str, str]


@dataclass
class EntityPlan:
    """What an import does to one entity."""

    #: The entity.
    entity: Entity
    #: Rows to create, in file order.
    creations: list[Creation] = field(default_factory=list)
    #: Rows to update, in file order.
    updates: list[Update] = field(default_factory=list)
    #: How many rows of the file are already as the file says.
    unchanged: int = 0


@dataclass
class Plan:
    """What an import does, entity by entity."""

    #: The kind of file.
    kind: Kind
    #: One plan per entity written, in writing order.
    entities: list[EntityPlan]
    #: The database as it was when planned (ids of existing rows).
    store: Store

    @property
    def created(self) -> int:
        """Rows to create."""
        return sum(len(p.creations) for p in self.entities)

    @property
    def updated(self) -> int:
        """Rows to update."""
        return sum(len(p.updates) for p in self.entities)

    @property
    def unchanged(self) -> int:
        """Rows already as the file says."""
        return sum(p.unchanged for p in self.entities)

    def __iter__(self) -> Iterator[EntityPlan]:
        """The entity plans, in writing order."""
        return iter(self.entities)


def merged_children(collection: Collection, old: frozenset[Any], new: frozenset[Any]) -> frozenset:
    """An additive collection after an import: the old children, updated or joined by the new."""
    replaced = {collection.child_key(child) for child in new}
    return frozenset(c for c in old if collection.child_key(c) not in replaced) | new


def changes(entity: Entity, stored: dict[str, Any], item: Item) -> dict[str, tuple[Any, Any]]:
    """The fields the file changes: (before, after)."""
    changed = {}
    for name, value in item.fields.items():
        old = stored.get(name)
        collection = entity.collection(name)
        if collection is not None and collection.additive:
            value = merged_children(collection, old or frozenset(), value)
        if old != value:
            changed[name] = (old, value)
    return changed


def make_plan(kind: Kind, items: dict[str, dict[Key, Item]], store: Store) -> Plan:
    """Compare the file's items with the database: creations, updates and unchanged rows."""
    plans = []
    for entity in kind.entities:
        plan = EntityPlan(entity)
        table = store.tables[entity.name]
        for key, item in items.get(entity.name, {}).items():
            stored = table.rows.get(key)
            if stored is None:
                fields = item.defaults | kind.create_defaults(entity, key, item.fields, store)
                plan.creations.append(Creation(key, fields | item.fields, item.line, item.columns))
            elif changed := changes(entity, stored, item):
                plan.updates.append(Update(key, table.pks[key], changed, item.line, item.columns))
            else:
                plan.unchanged += 1
        plans.append(plan)
    return Plan(kind, plans, store)
