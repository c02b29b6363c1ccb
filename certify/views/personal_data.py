"""Everything certify holds about one person (GDPR right of access), read from the metadata."""

# The rows are found generically (certify.store.person_rows): the person's own in full,
# what they did to others without its free text. Secrets (password hashes) are left out
# and said so.

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, Text, select
from sqlalchemy.orm import Session

from certify import __version__
from certify.access.permissions import Action, Actor, PermissionDenied, authorize_person
from certify.model import AuditEvent, AuditPersonal, Base, Person, SignInThrottle, UserAccount
from certify.rules.wording import Lang, Wording
from certify.store.audit_personal import PERSONAL_KEYS, merge
from certify.store.person_rows import (
    PersonRows,
    is_secret,
    not_secret,
    own_rows,
    person_columns,
    row_key,
    rows_where,
)
from certify.views.audit_log import EVENT_COLUMNS, about

#: What a withheld secret is called, by column name.
SECRET_NAMES: dict[str, Wording] = {
    "password_hash": Wording("empreinte du mot de passe", "password hash"),
}
#: How the list of withheld values words each entry.
WITHHELD = Wording("conservé, non exporté\u00a0: ", "kept, not exported: ")


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


def is_free_text(column: Column[Any]) -> bool:
    """Whether the column may hold others' personal values (names, free text, files, digests)."""
    if column.primary_key or column.foreign_keys:
        return False
    return (
        column.name in PERSONAL_KEYS
        or column.name.endswith(("_reason", "hash", "digest"))
        or isinstance(column.type, Text | JSON | LargeBinary)
    )


def _sign_ins(session: Session, found: PersonRows) -> None:
    """Add the failed sign-ins typed with the person's user names (kept by name, not id)."""
    table = Base.metadata.tables[SignInThrottle.__tablename__]
    usernames = [row["username"] for row in found.own.get(UserAccount.__tablename__, {}).values()]
    found.tables_read.add(table.name)
    for row in rows_where(session, table, SignInThrottle.typed_as(usernames), not_secret(table)):
        found.own.setdefault(table.name, {})[row_key(table, row)] = dict(row)


def _their_actions(
    session: Session, person_id: int, found: PersonRows
) -> dict[str, list[dict[str, Any]]]:
    """What the person did to or received with others (assessor, issuer, actor…), ids only."""
    done: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        _, other = person_columns(table)
        kept = [c for c in not_secret(table) if not is_free_text(c)]
        for column in other:
            found.tables_read.add(table.name)
            rows = rows_where(session, table, column == person_id, kept)
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
        session.execute(select(*not_secret(person_table)).where(person_table.c.id == person_ref_id))
        .mappings()
        .one()
    )
    found = own_rows(session, person_ref_id)
    _sign_ins(session, found)
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
