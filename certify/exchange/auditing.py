"""An import's audit events: people named by id, never by e-mail; their names, e-mails and
free text left for :mod:`certify.store.audit` to keep outside the chain."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from certify.exchange.entities import Collection, Entity, Field, Key, key_text
from certify.exchange.plan import Creation, Update
from certify.store.audit import Change

#: The entity of people.
PERSON = "person"
#: Longest entity key the audit trail holds; longer natural keys are replaced by the id.
AUDIT_KEY_LENGTH = 80


def plain(value: Any) -> Any:
    """A natural value as JSON data for the audit trail."""
    if isinstance(value, frozenset):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, tuple):
        return key_text(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | Decimal):
        return str(value)
    return value


def names_people(entity: Entity) -> bool:
    """Whether the entity's natural key is or holds a person's (an e-mail)."""
    return entity.name == PERSON or any(f.ref == PERSON for f in entity.key)


class Auditor:
    """Turns an import's rows into audit events, given the ids of the rows it knows."""

    def __init__(self, ids: Mapping[str, Mapping[Key, Any]], source: str) -> None:
        """Events of the file ``source``; ``ids`` maps each entity's natural keys to ids."""
        self.ids, self.source = ids, source

    def created(self, entity: Entity, creation: Creation, pk: tuple[Any, ...]) -> Change:
        """The audit event of a created row."""
        after = {
            field.name: self._value(field, creation.fields[field.name])
            for field in (*entity.fields, *entity.collections)
            if field.name in creation.fields
        }
        if names_people(entity):
            after |= {
                f.name: self._value(f, v) for f, v in zip(entity.key, creation.key, strict=True)
            }
        return Change(
            f"{entity.name}.imported",
            entity.name,
            self._key(entity, creation.key, pk),
            after=after,
            extra={"source": self.source, "line": creation.line},
            subject_id=self._subject(entity, creation.key, creation.fields, pk),
        )

    def updated(self, entity: Entity, change: Update) -> Change:
        """The audit event of an updated row: each changed field before and after."""
        fields = {f.name: f for f in (*entity.fields, *entity.collections)}
        before = {n: self._value(fields.get(n), old) for n, (old, _) in change.changes.items()}
        after = {n: self._value(fields.get(n), new) for n, (_, new) in change.changes.items()}
        return Change(
            f"{entity.name}.import_updated",
            entity.name,
            self._key(entity, change.key, change.pk),
            before=before,
            after=after,
            extra={"source": self.source, "line": change.line},
            subject_id=self._subject(entity, change.key, {}, change.pk),
        )

    def _person(self, key: Any) -> Any:
        """A person's id, from their natural key."""
        return None if key is None else self.ids[PERSON][key]

    def _value(self, field: Field | Collection | None, value: Any) -> Any:
        """A natural value as the trail holds it: people by id, the rest as plain data."""
        if isinstance(field, Field) and field.ref == PERSON:
            return self._person(value)
        if isinstance(field, Collection) and any(p.ref == PERSON for p in field.parts):
            return sorted((self._child(field, child) for child in value), key=str)
        return plain(value)

    def _child(self, collection: Collection, child: Any) -> Any:
        """One child value, people by id."""
        parts = (child,) if len(collection.parts) == 1 else child
        values = [self._value(p, v) for p, v in zip(collection.parts, parts, strict=True)]
        return values[0] if len(values) == 1 else values

    @staticmethod
    def _key(entity: Entity, key: Key, pk: tuple[Any, ...]) -> str:
        """The natural key as text; the primary key when it names a person or is too long."""
        text = key_text(key)
        if names_people(entity) or len(text) > AUDIT_KEY_LENGTH:
            return "/".join(str(v) for v in pk)
        return text

    def _subject(
        self, entity: Entity, key: Key, fields: Mapping[str, Any], pk: tuple[Any, ...]
    ) -> int | None:
        """The person a row is about: a person's own id, or the person it names."""
        if entity.name == PERSON:
            return pk[0]
        natural = dict(zip((f.name for f in entity.key), key, strict=True)) | dict(fields)
        for field in (*entity.key, *entity.fields):
            if field.ref == PERSON and field.name == PERSON and natural.get(field.name):
                return self._person(natural[field.name])
        return None
