"""The audit trail: append hash-chained events in the writer's transaction; verify the chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from certify.model import AuditEvent, AuditHead, utcnow

#: ``prev_hash`` of the first event of a chain.
GENESIS = "0" * 64


def json_safe(value: Any) -> Any:
    """``value`` as plain JSON data (dates, decimals and enums become strings)."""
    return json.loads(json.dumps(value, default=str))


def event_hash(
    prev_hash: str,
    occurred_at: datetime,
    actor_id: int | None,
    action: str,
    entity_type: str,
    entity_key: str,
    details: Mapping[str, Any],
) -> str:
    """SHA-256 of an event's canonical form chained to the previous event's hash."""
    canonical = json.dumps(
        [
            prev_hash,
            occurred_at.isoformat(timespec="microseconds"),
            actor_id,
            action,
            entity_type,
            entity_key,
            details,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Change:
    """One write to record: what was done to which entity, and its values."""

    #: What was done, e.g. ``assessment.recorded``.
    action: str
    #: Kind of entity, e.g. ``assessment``.
    entity_type: str
    #: Its id, serial, code or e-mail.
    entity_key: str | int
    #: Values before the write (``None`` for a creation).
    before: Mapping[str, Any] | None = None
    #: Values after the write (``None`` for a deletion).
    after: Mapping[str, Any] | None = None
    #: Anything else worth keeping (a reason, a count…).
    extra: Mapping[str, Any] | None = None


def record(session: Session, actor_id: int | None, *changes: Change) -> None:
    """Append ``changes`` to the chain inside the caller's transaction.

    The head row is locked first, so concurrent writers append one after the other.
    """
    record_all(session, actor_id, changes)


def record_all(session: Session, actor_id: int | None, changes: Iterable[Change]) -> int:
    """Append many changes in one statement; returns how many were recorded."""
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()
    occurred_at = utcnow()
    rows = []
    previous = head.last_hash
    for change in changes:
        details = json_safe(
            {
                key: value
                for key, value in (
                    ("before", change.before),
                    ("after", change.after),
                    *(change.extra or {}).items(),
                )
                if value is not None
            }
        )
        entity_key = str(change.entity_key)
        digest = event_hash(
            previous, occurred_at, actor_id, change.action, change.entity_type, entity_key, details
        )
        rows.append(
            {
                "occurred_at": occurred_at,
                "actor_id": actor_id,
                "action": change.action,
                "entity_type": change.entity_type,
                "entity_key": entity_key,
                "details": details,
                "prev_hash": previous,
                "hash": digest,
            }
        )
        previous = digest
    if rows:
        session.execute(insert(AuditEvent), rows)
        head.last_hash = previous
        session.flush()
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking the audit chain."""

    #: Events read.
    checked: int
    #: Id of the first event that does not fit (``None``: the chain is intact).
    broken_at: int | None = None
    #: What is wrong there.
    reason: str = ""

    @property
    def intact(self) -> bool:
        """Whether every event is where and as it was written."""
        return self.broken_at is None and not self.reason


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Recompute every hash in order; report the first edited, inserted or deleted event."""
    previous = GENESIS
    checked = 0
    events = session.execute(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=batch)
    ).scalars()
    for event in events:
        if event.prev_hash != previous:
            return ChainReport(
                checked, event.id, "the event before it was deleted, inserted or edited"
            )
        expected = event_hash(
            event.prev_hash,
            event.occurred_at,
            event.actor_id,
            event.action,
            event.entity_type,
            event.entity_key,
            event.details,
        )
        if event.hash != expected:
            return ChainReport(checked, event.id, "its content was edited after it was written")
        previous = event.hash
        checked += 1
    head = session.get(AuditHead, 1)
    if head is None or head.last_hash != previous:
        return ChainReport(checked, None, "the newest events were deleted (head does not match)")
    return ChainReport(checked)
