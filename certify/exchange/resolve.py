"""Resolving a file's references against the database and the file itself.

Entities are resolved in the kind's order, so a reference may name a row the database
holds or one the file defines (a framework file defines domains, then competencies). A
row referring to a row of its own entity (a site's parent, a certificate it replaces)
must name one already in the database or on an earlier line. A reference matches a code
or, for entities with names (sites, modules, programmes, competencies), a name, as
:mod:`certify.exchange.naming` compares them; an unknown one is reported with the closest
known name and its code, a name two rows share with both their codes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from certify.exchange.entities import ENTITIES, Entity, Key, key_text
from certify.exchange.kind import Kind
from certify.exchange.messages import Text, shown
from certify.exchange.naming import Index
from certify.exchange.rows import Item, Reading, Ref
from certify.exchange.store import Store
from certify.rules.wording import NBSP

DUPLICATE = Text("en double\u00a0: déjà ligne {line}", "duplicate: already on line {line}")
DIFFERS = Text(
    "diffère de la ligne {line} («\u00a0{other}\u00a0») pour le même enregistrement",
    "differs from line {line} (“{other}”) for the same record",
)
LATER = Text(
    "défini plus bas (ligne {line})\u00a0: il doit l'être plus haut",
    "defined further down (line {line}): it must come first",
)
AMBIGUOUS = Text(
    "désigne plusieurs lignes de la base\u00a0: impossible de savoir laquelle",
    "matches several rows of the database: cannot tell which",
)
DID_YOU_MEAN = Text(
    f"{NBSP}: vouliez-vous dire «{NBSP}{{name}}{NBSP}» ({{code}}){NBSP}?",
    ": did you mean “{name}” ({code})?",
)
SAME_NAME = Text(
    f"désigne plusieurs {{label}}{NBSP}: {{codes}}{NBSP}; écrivez le code",
    "matches several {label}: {codes}; write the code",
)


def display(value: Any) -> str:
    """A value as shown in a problem (a reference as it was written)."""
    if isinstance(value, Ref):
        return value.text
    if isinstance(value, frozenset):
        return ", ".join(sorted(display(v) for v in value))
    return shown(value)


def unref(value: Any) -> Any:
    """``value`` with every reference replaced by its key as written."""
    if isinstance(value, Ref):
        return value.key
    if isinstance(value, tuple):
        return tuple(unref(v) for v in value)
    if isinstance(value, frozenset):
        return frozenset(unref(v) for v in value)
    return value


class _Unresolved(Exception):
    """A reference could not be resolved (the problem is noted already)."""


class Resolver:
    """Turns the references of a file's items into natural keys of known rows."""

    def __init__(self, kind: Kind, store: Store, reading: Reading) -> None:
        """Resolve items of ``kind`` against ``store``, noting problems on ``reading``."""
        self.kind, self.store, self.reading = kind, store, reading
        #: Known keys per entity, with the line defining them (``None``: the database).
        self.known: dict[str, dict[Key, int | None]] = {}
        #: Resolved items per entity, by key.
        self.items: dict[str, dict[Key, Item]] = {e.name: {} for e in kind.entities}
        self._indexes: dict[tuple[str, int], dict[Key, Index[Key]]] = {}
        #: Names of the file's rows, by entity then key (those of entities with names).
        self._names: dict[str, dict[Key, dict[str, Any]]] = defaultdict(dict)

    def run(self, items: Iterable[Item]) -> dict[str, dict[Key, Item]]:
        """Resolve every item; items whose key names an unknown row are left out.

        A field naming an unknown row is left out of its item (a set loses that element
        only), so that the kind's checks still see the rest of the row.
        """
        by_entity: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            by_entity[item.entity.name].append(item)
        for entity in self.kind.entities:
            merged = self._merge(entity, self._with_keys(by_entity[entity.name]))
            known = self._known(entity.name)
            for key, item in merged.items():
                known.setdefault(key, item.line)
                if entity.names:
                    self._names[entity.name][key] = {
                        f: v for f in entity.names if isinstance(v := item.fields.get(f), str)
                    }
            for key, item in merged.items():
                item.fields = dict(self._resolve_fields(item))
                self.items[entity.name][key] = item
        return self.items

    def _resolve_fields(self, item: Item) -> Iterator[tuple[str, Any]]:
        """Each field of an item whose references resolve, resolved."""
        for name, value in item.fields.items():
            try:
                yield name, self._resolve(value, item, ordered=item.entity.collection(name) is None)
            except _Unresolved:
                item.failed.add(name)

    def _with_keys(self, items: list[Item]) -> Iterator[Item]:
        """Items whose key references resolve, with their keys resolved."""
        for item in items:
            try:
                item.key = self._resolve(item.key, item, ordered=False)
            except _Unresolved:
                continue
            if item.key in self.store.tables[item.entity.name].ambiguous:
                self.reading.problem(item.line, item.key_columns[0], key_text(item.key), AMBIGUOUS)
                continue
            yield item

    def _merge(self, entity: Entity, items: Iterable[Item]) -> dict[Key, Item]:
        """Items by key: a repeated row must repeat its values; other duplicates are wrong."""
        merged: dict[Key, Item] = {}
        repeated = entity.name in self.kind.repeated
        for item in items:
            first = merged.setdefault(item.key, item)
            if first is item:
                continue
            if not repeated:
                written = [item.texts[c] for c in item.key_columns if c in item.texts]
                self.reading.problem(
                    item.line,
                    item.key_columns[0],
                    " / ".join(written) or display(item.key),
                    DUPLICATE.format(line=first.line),
                )
                continue
            for name, value in item.fields.items():
                if name not in first.fields:
                    first.fields[name] = value
                elif unref(first.fields[name]) != unref(value):
                    self.reading.problem(
                        item.line,
                        item.columns.get(name),
                        display(value),
                        DIFFERS.format(line=first.line, other=display(first.fields[name])),
                    )
        return merged

    def _known(self, entity: str) -> dict[Key, int | None]:
        """Known keys of an entity: the database's, then the file's as they are merged."""
        if entity not in self.known:
            self.known[entity] = dict.fromkeys(self.store.tables[entity].rows)
        return self.known[entity]

    def _resolve(self, value: Any, item: Item, *, ordered: bool) -> Any:
        """``value`` with its references replaced by known keys (or :class:`_Unresolved`)."""
        if isinstance(value, Ref):
            return self._resolve_ref(value, item, ordered=ordered)
        if isinstance(value, tuple):
            return tuple(self._resolve(v, item, ordered=ordered) for v in value)
        if isinstance(value, frozenset):
            resolved = set()
            for element in value:
                try:
                    resolved.add(self._resolve(element, item, ordered=ordered))
                except _Unresolved:
                    continue
            return frozenset(resolved)
        return value

    def _resolve_ref(self, ref: Ref, item: Item, *, ordered: bool) -> Key:
        """The known key a reference names, or note why it names none."""
        known = self._known(ref.entity)
        key: Key | None = ref.key
        if key not in known:
            found = self._index(ref).matches(key_text(ref.key[ref.context :]))
            if len(found) > 1:
                codes = ", ".join(sorted(key_text(k[ref.context :]) for k in found))
                label = ENTITIES[ref.entity].label
                self.reading.problem(
                    item.line, ref.column, ref.text, SAME_NAME.format(label=label, codes=codes)
                )
                raise _Unresolved
            key = found[0] if found else None
        if key is None and ref.create:
            return self._create(ref, item)
        if key is None:
            self._unknown(ref, item)
            raise _Unresolved
        line = known[key]
        if ordered and ref.entity == item.entity.name and line is not None and line >= item.line:
            self.reading.problem(item.line, ref.column, ref.text, LATER.format(line=line))
            raise _Unresolved
        if key in self.store.tables[ref.entity].ambiguous:
            self.reading.problem(item.line, ref.column, ref.text, AMBIGUOUS)
            raise _Unresolved
        return key

    def _unknown(self, ref: Ref, item: Item) -> None:
        """Note a reference naming no row, with the closest known one (name and code)."""
        entity = ENTITIES[ref.entity]
        close = self._index(ref).closest_entry(ref.text)
        if close is None or not entity.names:
            hint = close[0] if close else None
            self.reading.problem(item.line, ref.column, ref.text, entity.unknown, hint)
            return
        key = close[1]
        names = self._row_names(entity.name, key)
        french = names.get(entity.names[0]) or key_text(key[ref.context :])
        english = names.get(entity.names[-1]) or french
        code = key_text(key[ref.context :])
        hint = Text(
            DID_YOU_MEAN.fr.format(name=french, code=code),
            DID_YOU_MEAN.en.format(name=english, code=code),
        )
        reason = Text(entity.unknown.fr + hint.fr, entity.unknown.en + hint.en)
        self.reading.problem(item.line, ref.column, ref.text, reason)

    def _row_names(self, entity: str, key: Key) -> dict[str, Any]:
        """The names of a known row: the file's, else the database's."""
        if key in self._names[entity]:
            return self._names[entity][key]
        stored = self.store.tables[entity].rows.get(key) or {}
        return {f: stored[f] for f in ENTITIES[entity].names if isinstance(stored.get(f), str)}

    def _index(self, ref: Ref) -> Index[Key]:
        """Known keys of the entity sharing the reference's context, by code and by name."""
        indexes = self._indexes.get((ref.entity, ref.context))
        if indexes is None:
            indexes = defaultdict(Index)
            for key in self._known(ref.entity):
                index = indexes[key[: ref.context]]
                index.add(key_text(key[ref.context :]), key)
                for name in self._row_names(ref.entity, key).values():
                    index.add(name, key)
            self._indexes[(ref.entity, ref.context)] = indexes
        return indexes[ref.key[: ref.context]]

    def _create(self, ref: Ref, item: Item) -> Key:
        """Create the row an unknown name stands for (an employer, a region)."""
        entity = ENTITIES[ref.entity]
        created = Item(entity, ref.key, {}, item.line, {}, (ref.column,))
        self.items[entity.name][ref.key] = created
        self._known(entity.name)[ref.key] = item.line
        for (name, context), indexes in self._indexes.items():
            if name == entity.name:
                indexes[ref.key[:context]].add(key_text(ref.key[context:]), ref.key)
        return ref.key
