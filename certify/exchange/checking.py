"""What a kind's rules see once a file is read: its items, the database, the acting user."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from certify.access.permissions import Action, Actor, for_oneself
from certify.exchange.entities import Entity, Key
from certify.exchange.messages import Text, shown
from certify.exchange.plan import changes
from certify.exchange.rows import Item, Reading
from certify.exchange.store import Store
from certify.rules.scope import Scope

OUT_OF_SCOPE = Text("hors de votre périmètre", "outside your scope")


def scope_covers(store: Store, scope: Scope, site: Key) -> bool:
    """Whether ``scope`` covers a site known by its natural key."""
    sites = store.tables["site"]
    fields = sites.rows.get(site)
    if fields is None:
        return False
    parent = sites.id(fields["parent"]) if fields["parent"] is not None else None
    return scope.covers(sites.id(site), parent, store.tables["region"].id(fields["region"]))


@dataclass
class Checking:
    """The resolved items of a file, with the database and the actor they are checked against."""

    #: The database in natural form.
    store: Store
    #: Items of the file by entity name, then by natural key (references resolved).
    items: dict[str, dict[Key, Item]]
    #: Who imports.
    actor: Actor
    #: Where problems are noted.
    reading: Reading
    #: The day the file is checked against.
    today: date

    def each(self, entity: Entity) -> Iterator[Item]:
        """The file's items of an entity."""
        yield from self.items.get(entity.name, {}).values()

    def current(self, entity: str, key: Key) -> dict[str, Any] | None:
        """A row as it will be: the database's fields overlaid with the file's."""
        item = self.items.get(entity, {}).get(key)
        stored = self.store.tables[entity].rows.get(key) if entity in self.store.tables else None
        if item is None:
            return stored
        return {**(stored or {}), **item.fields}

    def changed(self, item: Item) -> set[str]:
        """Fields the item would change in a row the database holds already."""
        stored = self.store.tables[item.entity.name].rows.get(item.key)
        return set() if stored is None else set(changes(item.entity, stored, item))

    def flag(self, item: Item, field: str | None, reason: Text, value: Any = None) -> None:
        """Note a problem on an item's line, in the column its field comes from.

        The value shown is ``value``, else the cell as written. Nothing is noted about a
        field already reported as naming an unknown row.
        """
        if field in item.failed:
            return
        column = item.columns.get(field) if field else None
        if column is None and field in {f.name for f in item.entity.key}:
            index = [f.name for f in item.entity.key].index(field)
            # an attendance's key columns name only its participant, not its session's columns
            column = item.key_columns[min(index, len(item.key_columns) - 1)]
        if value is None:
            text = item.texts.get(column) if column else None
        else:
            text = value if isinstance(value, str) else shown(value)
        self.reading.problem(item.line, column, text, reason)

    def covers(self, site: Key | None) -> bool:
        """Whether the actor's scope covers a site (admins cover every site)."""
        scope = self.actor.coordinator_scope
        if self.actor.is_admin or scope is None or site is None:
            return self.actor.is_admin
        return scope_covers(self.store, scope, site)

    def within_scope(self, item: Item, site: Key | None, field: str) -> None:
        """Flag an item whose site, one that exists, the actor does not cover.

        A site left unknown (``None``: its own problem is noted already) is no scope matter.
        """
        if site is not None and not self.covers(site):
            self.flag(item, field, OUT_OF_SCOPE, site[0] if site else None)

    def not_for_oneself(self, item: Item, person: Key | None, field: str, action: Action) -> None:
        """Flag an item that has the actor do ``action`` on their own records."""
        people = self.store.tables["person"].pks
        person_id = people[person][0] if person in people else None
        if why := for_oneself(self.actor, action, person_id):
            self.flag(item, field, Text(why.french, why.value))
