"""Everything certify holds about one person (GDPR right of access), read from the metadata."""

# The rows are found generically: every column named ``person_id`` (with or without a
# foreign key) holds the person's own records, and so do the rows hanging off them (a
# certificate's reminders and documents); any other column referring to ``person.id`` (an
# assessor, an issuer, an actor) holds what the person did to others, shown without its
# free text. Secrets (password hashes) are left out and said so.

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, Table, Text, select
from sqlalchemy.orm import Session

from certify import __version__
from certify.access.permissions import Action, Actor, PermissionDenied, authorize_person
from certify.model import AuditEvent, AuditPersonal, Base, Person
from certify.rules.wording import Lang, Wording
from certify.store.audit_personal import PERSONAL_KEYS, merge
from certify.views.audit_log import EVENT_COLUMNS, about

#: The column that makes a row the person's own.
SUBJECT_COLUMN = "person_id"
#: Words in a column name that mark a secret, never exported.
SECRET_WORDS = ("password", "secret", "private")
#: What a withheld secret is called, by column name.
SECRET_NAMES: dict[str, Wording] = {
    "password_hash": Wording("empreinte du mot de passe", "password hash"),
}
#: How the list of withheld values words each entry.
WITHHELD = Wording("conservé, non exporté\u00a0: ", "kept, not exported: ")


@dataclass(frozen=True)
class _Found:
    """The rows read so far: the person's own, by table, and the tables read."""

    own: dict[str, dict[tuple[Any, ...], dict[str, Any]]]
    tables_read: set[str]


def json_safe(value: Any) -> Any:
    """``value`` as JSON can hold it: dates ISO, decimals as text, enums as their value."""
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}  # type: ignore[misc]
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]  # type: ignore[misc]
    return value


def is_secret(column: Column[Any]) -> bool:
    """Whether the column holds a secret (a password hash): kept, never exported."""
    return any(word in column.name.lower() for word in SECRET_WORDS)


def is_free_text(column: Column[Any]) -> bool:
    """Whether the column may hold others' personal values (names, free text, files, digests)."""
    if column.primary_key or column.foreign_keys:
        return False
    return (
        column.name in PERSONAL_KEYS
        or column.name.endswith(("_reason", "hash", "digest"))
        or isinstance(column.type, Text | JSON | LargeBinary)
    )


def person_columns(table: Table) -> tuple[list[Column[Any]], list[Column[Any]]]:
    """The table's columns naming the person as its subject, and those naming them otherwise."""
    own: list[Column[Any]] = []
    other: list[Column[Any]] = []
    for column in table.columns:
        refers = any(fk.column.table.name == Person.__tablename__ for fk in column.foreign_keys)
        if table.name == Person.__tablename__:
            continue
        if column.name == SUBJECT_COLUMN:
            own.append(column)
        elif refers:
            other.append(column)
    return own, other


def _rows(session: Session, table: Table, where: Any, columns: Iterable[Column[Any]]) -> list[Any]:
    """The rows of ``table`` matching ``where``, in primary key order."""
    order = list(table.primary_key.columns) or list(table.columns)
    return list(session.execute(select(*columns).where(where).order_by(*order)).mappings())


def _kept(table: Table) -> list[Column[Any]]:
    """The columns of ``table`` exported (its secrets left out)."""
    return [column for column in table.columns if not is_secret(column)]


def _key(table: Table, row: Mapping[str, Any]) -> tuple[Any, ...]:
    """A row's primary key (all its values when the table has none)."""
    columns = list(table.primary_key.columns) or list(table.columns)
    return tuple(row[column.name] for column in columns)


def _own_rows(session: Session, person_id: int) -> _Found:
    """The person's own rows: by their ``person_id``, then those hanging off them, to the end."""
    found = _Found({}, set())
    tables = Base.metadata.sorted_tables
    for table in tables:
        own, _ = person_columns(table)
        for column in own:
            found.tables_read.add(table.name)
            for row in _rows(session, table, column == person_id, _kept(table)):
                found.own.setdefault(table.name, {})[_key(table, row)] = dict(row)
    grown = True
    while grown:
        grown = False
        for table in tables:
            if table.name in (Person.__tablename__, AuditEvent.__tablename__):
                continue
            for fk in table.foreign_keys:
                parent = fk.column.table
                held = found.own.get(parent.name)
                if parent.name == Person.__tablename__ or not held:
                    continue
                values = sorted({row[fk.column.name] for row in held.values()} - {None})
                if not values:
                    continue
                found.tables_read.add(table.name)
                rows = _rows(session, table, fk.parent.in_(values), _kept(table))
                mine = found.own.setdefault(table.name, {})
                for row in rows:
                    key = _key(table, row)
                    if key not in mine:
                        mine[key] = dict(row)
                        grown = True
                if not mine:
                    del found.own[table.name]
    return found


def _their_actions(
    session: Session, person_id: int, found: _Found
) -> dict[str, list[dict[str, Any]]]:
    """What the person did to or received with others (assessor, issuer, actor…), ids only."""
    done: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        _, other = person_columns(table)
        kept = [c for c in _kept(table) if not is_free_text(c)]
        for column in other:
            found.tables_read.add(table.name)
            rows = _rows(session, table, column == person_id, kept)
            done[f"{table.name}.{column.name}"] = [json_safe(dict(row)) for row in rows]
    return done


def _audit_events(session: Session, person_id: int) -> list[dict[str, Any]]:
    """The audit events about the person, with the personal values that are theirs."""
    rows = session.execute(
        select(*EVENT_COLUMNS)
        .where(about(select(Person.id).where(Person.id == person_id)))
        .order_by(AuditEvent.id)
    ).all()
    rows_personal = session.execute(
        select(AuditPersonal.event_id, AuditPersonal.values).where(
            AuditPersonal.event_id.in_([row.id for row in rows]),
            AuditPersonal.person_id == person_id,
        )
    )
    personal = {event_id: values for event_id, values in rows_personal}
    return [
        {
            "id": row.id,
            "occurred_at": json_safe(row.occurred_at),
            "actor_id": row.actor_id,
            "action": row.action,
            "entity_type": row.entity_type,
            "entity_key": row.entity_key,
            "details": json_safe(merge(row.details or {}, personal.get(row.id))),
        }
        for row in rows
    ]


def _withheld(lang: Lang) -> list[str]:
    """The secrets kept and not exported, one line each."""
    lines: list[str] = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if is_secret(column):
                name = SECRET_NAMES.get(column.name)
                text = name.in_(lang) if name else f"{table.name}.{column.name}"
                lines.append(WITHHELD.in_(lang) + text)
    return lines


def personal_data(
    session: Session, actor: Actor, person_ref_id: int, *, lang: Lang = "fr"
) -> dict[str, Any]:
    """Everything certify holds about one person, JSON-ready; refused outside the actor's powers."""
    authorize_person(session, actor, Action.EXPORT_PERSONAL_DATA, person_ref_id)
    person_table = Base.metadata.tables[Person.__tablename__]
    person = (
        session.execute(select(*_kept(person_table)).where(person_table.c.id == person_ref_id))
        .mappings()
        .one()
    )
    found = _own_rows(session, person_ref_id)
    records = {
        name: [json_safe(row) for row in rows.values()] for name, rows in sorted(found.own.items())
    }
    done = _their_actions(session, person_ref_id, found)
    events = _audit_events(session, person_ref_id)
    tables = {person_table.name, AuditEvent.__tablename__, AuditPersonal.__tablename__}
    return {
        "header": {
            "person_id": person_ref_id,
            "generated_at": datetime.now(UTC).isoformat(),
            "certify_version": __version__,
            "tables_read": sorted(found.tables_read | tables),
        },
        "person": json_safe(dict(person)),
        "records": records,
        "involved_in": done,
        "audit_events": events,
        "withheld": _withheld(lang),
    }


def personal_data_json(session: Session, actor: Actor, person_id: int, lang: Lang) -> bytes:
    """:func:`personal_data` as a UTF-8 JSON file a person can read (indented, accents kept)."""
    document = personal_data(session, actor, person_id, lang=lang)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def may_export_personal_data(session: Session, actor: Actor, person_id: int) -> bool:
    """Whether ``actor`` may export the person's data (the rule :func:`personal_data` applies)."""
    try:
        authorize_person(session, actor, Action.EXPORT_PERSONAL_DATA, person_id)
    except PermissionDenied:
        return False
    return True
