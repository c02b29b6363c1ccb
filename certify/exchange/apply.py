"""Writing a plan in the caller's transaction: bulk inserts and updates, one audit event a row.

Rows are inserted in file order, in batches; a row naming a row of its own entity created
by the same import (a site's parent) starts a new batch, after the row it names. Child
tables (roles, trainers, requirements) follow their parents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, update
from sqlalchemy.orm import Session

from certify.access.permissions import Actor
from certify.exchange.auditing import Auditor
from certify.exchange.entities import Collection, Entity, Field, Key
from certify.exchange.plan import Creation, EntityPlan, Plan
from certify.exchange.validate import Progress
from certify.model import table_of
from certify.store.audit import Change, record_all

#: Rows written per statement (and between two progress reports).
BATCH = 5000


def default_of(table: Table, column: str) -> Any:
    """The model's default of a column left out by a file (``None`` when it has none)."""
    default = table.c[column].default
    return default.arg if default is not None and default.is_scalar else None  # type: ignore[attr-defined]


def batches(rows: Sequence[Any]) -> Iterable[Sequence[Any]]:
    """``rows`` in slices of :data:`BATCH`."""
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


class Writer:
    """Writes one plan: rows, child rows, and the audit events."""

    def __init__(
        self, session: Session, plan: Plan, actor: Actor, source: str, progress: Progress | None
    ) -> None:
        """Write ``plan`` through ``session`` on behalf of ``actor``; ``source`` names the file."""
        self.session, self.plan, self.actor, self.source = session, plan, actor, source
        self.progress = progress
        #: Id of every row by entity and natural key (those created included, once written).
        self.ids: dict[str, dict[Key, Any]] = {
            name: {key: pk[0] for key, pk in table.pks.items()}
            for name, table in plan.store.tables.items()
        }
        #: Audit events to record, and how they are written.
        self.changes: list[Change] = []
        self.auditor = Auditor(self.ids, source)
        self._done = 0
        self._total = plan.created + plan.updated

    def run(self) -> None:
        """Write every entity in order, then the audit events."""
        for entity_plan in self.plan:
            self._create(entity_plan)
            self._update(entity_plan)
        record_all(self.session, self.actor.person_id, self.changes)

    def _advance(self, count: int) -> None:
        """Report ``count`` more rows written."""
        self._done += count
        if self.progress is not None and count:
            self.progress("écriture", self._done, self._total)

    def _value(self, field: Field, value: Any) -> Any:
        """A natural value as the column stores it (a referenced row's id)."""
        if field.ref is None or value is None:
            return value
        return self.ids[field.ref][value]

    def _row(self, entity: Entity, key: Key, fields: dict[str, Any]) -> dict[str, Any]:
        """The columns of a new row."""
        table = table_of(entity.model)
        natural = dict(zip((f.name for f in entity.key), key, strict=True)) | fields
        row = {f.column: self._value(f, value) for f, value in zip(entity.key, key, strict=True)}
        for field in entity.fields:
            row[field.column] = (
                self._value(field, fields[field.name])
                if field.name in fields
                else default_of(table, field.column)
            )
        declared = {f.name for f in entity.fields} | {c.name for c in entity.collections}
        row |= {name: value for name, value in fields.items() if name not in declared}
        for derived in entity.derived:
            row[derived.column] = self.ids[derived.entity][natural[derived.source][derived.index]]
        return row

    def _create(self, entity_plan: EntityPlan) -> None:
        """Insert the new rows of an entity in file order, then their child rows.

        A row naming a row of its own entity created by the same import (on an earlier
        line) starts a new batch, so that the row it names is written first.
        """
        entity = entity_plan.entity
        own = [f for f in entity.fields if f.ref == entity.name]
        batch: list[Creation] = []
        keys: set[Key] = set()
        for creation in entity_plan.creations:
            named = {creation.fields.get(f.name) for f in own}
            if len(batch) >= BATCH or named & keys:
                self._insert(entity, batch)
                batch, keys = [], set()
            batch.append(creation)
            keys.add(creation.key)
        self._insert(entity, batch)
        known = self.ids[entity.name]
        for collection in entity.collections:
            self._children(
                collection,
                (
                    (known[c.key], frozenset(), c.fields[collection.name])
                    for c in entity_plan.creations
                    if collection.name in c.fields
                ),
            )

    def _insert(self, entity: Entity, creations: list[Creation]) -> None:
        """Insert rows in one statement; note their ids and audit events."""
        if not creations:
            return
        table = table_of(entity.model)
        rows = [self._row(entity, c.key, c.fields) for c in creations]
        if entity.drawn is not None:
            for column, values in entity.drawn(self.session, len(rows)).items():
                for row, value in zip(rows, values, strict=True):
                    row[column] = value
        if "id" in table.c:
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            ids = list(self.session.execute(statement, rows).scalars())
        else:
            self.session.execute(insert(table), rows)
            ids = [None] * len(rows)
        known = self.ids.setdefault(entity.name, {})
        for creation, new_id, row in zip(creations, ids, rows, strict=True):
            known[creation.key] = new_id
            pk = (new_id,) if new_id is not None else self._pk(table, row)
            self.changes.append(self.auditor.created(entity, creation, pk))
        self._advance(len(creations))

    @staticmethod
    def _pk(table: Table, row: dict[str, Any]) -> tuple[Any, ...]:
        """The primary-key values of a row without an id."""
        return tuple(row[c.name] for c in table.primary_key.columns)

    def _update(self, entity_plan: EntityPlan) -> None:
        """Update the changed fields of existing rows, grouped by the columns they change."""
        entity = entity_plan.entity
        table = table_of(entity.model)
        pk_columns = list(table.primary_key.columns)
        fields = {f.name: f for f in entity.fields}
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for change in entity_plan.updates:
            values = {
                fields[name].column: self._value(fields[name], new)
                for name, (_, new) in change.changes.items()
                if name in fields
            }
            if values:
                params = {f"pk_{c.name}": v for c, v in zip(pk_columns, change.pk, strict=True)}
                params |= {f"v_{column}": value for column, value in values.items()}
                groups[tuple(sorted(values))].append(params)
            self.changes.append(self.auditor.updated(entity, change))
        for columns, params in groups.items():
            statement = (
                update(table)
                .where(*(c == bindparam(f"pk_{c.name}") for c in pk_columns))
                .values({column: bindparam(f"v_{column}") for column in columns})
            )
            for chunk in batches(params):
                self.session.execute(statement, chunk)
        for collection in entity.collections:
            self._children(
                collection,
                (
                    (change.pk[0], *change.changes[collection.name])
                    for change in entity_plan.updates
                    if collection.name in change.changes
                ),
            )
        self._advance(len(entity_plan.updates))

    def _child(self, collection: Collection, parent: Any, value: Any) -> dict[str, Any]:
        """The columns of a child row."""
        parts = (value,) if len(collection.parts) == 1 else value
        row = {collection.parent: parent}
        row |= {p.column: self._value(p, v) for p, v in zip(collection.parts, parts, strict=True)}
        for derived in collection.derived:
            source = dict(zip((p.name for p in collection.parts), parts, strict=True))
            row[derived.column] = self.ids[derived.entity][source[derived.source][derived.index]]
        return row

    def _children(
        self, collection: Collection, changes: Iterable[tuple[Any, frozenset, frozenset]]
    ) -> None:
        """Bring child rows from ``old`` to ``new`` for each (parent id, old, new)."""
        inserts, updates, deletes = [], [], []
        for parent, old, new in changes:
            before = {collection.child_key(c): c for c in old}
            after = {collection.child_key(c): c for c in new}
            for key, child in after.items():
                if key not in before:
                    inserts.append(self._child(collection, parent, child))
                elif before[key] != child:
                    updates.append(self._child(collection, parent, child))
            if not collection.additive:
                deletes += [
                    self._child(collection, parent, c) for k, c in before.items() if k not in after
                ]
        table = table_of(collection.model)
        identity = [collection.parent, *(p.column for p in collection.parts[: collection.key_size])]
        values = [p.column for p in collection.parts[collection.key_size :]]
        where = [table.c[c] == bindparam(f"w_{c}") for c in identity]

        def params(rows: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
            """Parameters naming each row's identity (``w_``) and ``columns`` (``v_``)."""
            return [
                {f"w_{c}": row[c] for c in identity} | {f"v_{c}": row[c] for c in columns}
                for row in rows
            ]

        if deletes:
            self.session.execute(delete(table).where(*where), params(deletes, []))
        if updates and values:
            statement = update(table).where(*where).values({c: bindparam(f"v_{c}") for c in values})
            self.session.execute(statement, params(updates, values))
        if inserts:
            self.session.execute(insert(table), inserts)


def apply_plan(
    session: Session, plan: Plan, actor: Actor, source: str, progress: Progress | None = None
) -> None:
    """Write ``plan`` in the caller's transaction (all or nothing), audited row by row."""
    Writer(session, plan, actor, source, progress).run()
