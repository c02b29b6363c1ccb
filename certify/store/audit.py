"""The audit trail: append hash-chained events in the writer's transaction; verify the chain.

Events name people and accounts by id; their personal values (names, e-mails, free text)
go to ``audit_personal``, chained through a salted digest only (:mod:`audit_personal`).

A chain verifies against itself only: whoever can write the database can rebuild it.
Checked against a signed checkpoint of its head (``anchor``), it cannot be.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from certify.model import AuditEvent, AuditHead, AuditPersonal, utcnow
from certify.rules.wording import Wording
from certify.store.audit_personal import canonical, digest, new_salt, split

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
    personal_digest: str | None = None,
    legacy_hash: str | None = None,
) -> str:
    """SHA-256 of an event's canonical form chained to the previous event's hash.

    The digest of its personal values and its hash before they left the chain are part
    of that form when the event has them (so events without either hash as they always did).
    """
    extra = (
        [] if personal_digest is None and legacy_hash is None else [personal_digest, legacy_hash]
    )
    form = [
        prev_hash,
        occurred_at.isoformat(timespec="microseconds"),
        actor_id,
        action,
        entity_type,
        entity_key,
        details,
        *extra,
    ]
    return hashlib.sha256(canonical(form).encode()).hexdigest()


@dataclass(frozen=True)
class Change:
    """One write to record: what was done to which entity, and its values."""

    #: What was done, e.g. ``assessment.recorded``.
    action: str
    #: Kind of entity, e.g. ``assessment``.
    entity_type: str
    #: Its id, serial or code (never a name or an e-mail).
    entity_key: str | int
    #: Values before the write (``None`` for a creation).
    before: Mapping[str, Any] | None = None
    #: Values after the write (``None`` for a deletion).
    after: Mapping[str, Any] | None = None
    #: Anything else worth keeping (a reason, a count…).
    extra: Mapping[str, Any] | None = None
    #: The person its personal values are about, when not the entity itself or the
    #: ``person_id`` of its values.
    subject_id: int | None = None

    def subject(self) -> int | None:
        """The person whose erasure takes this event's personal values."""
        if self.subject_id is not None:
            return self.subject_id
        if self.entity_type == "person" and str(self.entity_key).isdigit():
            return int(self.entity_key)
        for values in (self.after, self.before):
            if values is not None and isinstance(values.get("person_id"), int):
                return values["person_id"]
        return None


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
    rows, personal_rows = [], []
    previous = head.last_hash
    for change in changes:
        details, personal = split(
            json_safe(
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
        )
        salt = new_salt() if personal else None
        personal_digest = digest(salt, personal) if salt is not None else None
        entity_key = str(change.entity_key)
        hashed = event_hash(
            previous,
            occurred_at,
            actor_id,
            change.action,
            change.entity_type,
            entity_key,
            details,
            personal_digest,
        )
        rows.append(
            {
                "occurred_at": occurred_at,
                "actor_id": actor_id,
                "action": change.action,
                "entity_type": change.entity_type,
                "entity_key": entity_key,
                "details": details,
                "personal_digest": personal_digest,
                "prev_hash": previous,
                "hash": hashed,
            }
        )
        previous = hashed
        personal_rows.append(
            None
            if salt is None
            else {"person_id": change.subject(), "salt": salt, "values": personal}
        )
    if rows:
        statement = insert(AuditEvent).returning(AuditEvent.id, sort_by_parameter_order=True)
        ids = session.execute(statement, rows).scalars()
        kept = [
            {"event_id": event_id, **values}
            for event_id, values in zip(ids, personal_rows, strict=True)
            if values is not None
        ]
        if kept:
            session.execute(insert(AuditPersonal), kept)
        head.last_hash = previous
        session.flush()
    return len(rows)


@dataclass(frozen=True)
class ChainHead:
    """Where the chain ends: how many events it holds and the hash of the last one."""

    #: Events in the chain.
    count: int
    #: Hash of the last event (``GENESIS`` when there is none).
    hash: str = GENESIS


#: The event before it does not chain to it.
UNCHAINED = Wording(
    "l'événement précédent a été supprimé, inséré ou modifié",
    "the event before it was deleted, inserted or edited",
)
#: Its hash does not cover its content.
EDITED = Wording(
    "son contenu a été modifié après son écriture", "its content was edited after it was written"
)
#: Its personal values are not those it was written with.
PERSONAL_EDITED = Wording(
    "ses valeurs personnelles ont été modifiées après son écriture",
    "its personal values were edited after it was written",
)
#: The head row names another last event.
HEAD_MISMATCH = Wording(
    "les derniers événements ont été supprimés (la tête ne correspond pas)",
    "the newest events were deleted (head does not match)",
)


def _fewer_than(checked: int, anchor: ChainHead) -> Wording:
    """The trail holds fewer events than a checkpoint counted."""
    return Wording(
        f"la piste d'audit compte {checked} événement(s), moins que les {anchor.count} "
        "du point de contrôle\u00a0: des événements ont été supprimés",
        f"the audit trail holds {checked} event(s), fewer than the checkpoint's "
        f"{anchor.count}: events were deleted",
    )


def _rewritten(anchor: ChainHead) -> Wording:
    """The event at a checkpoint's count is not the one it signed."""
    return Wording(
        f"l'événement n°\u00a0{anchor.count} n'est pas celui du point de contrôle\u00a0: "
        "la piste a été réécrite jusqu'à lui",
        f"event number {anchor.count} is not the checkpoint's: the trail was rewritten up to it",
    )


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking the audit chain."""

    #: Events read.
    checked: int
    #: Id of the first event that does not fit (``None``: none, or the fault is the tail's).
    broken_at: int | None = None
    #: What is wrong (``None``: the chain is intact).
    reason: Wording | None = None
    #: The end of the events verified.
    head: ChainHead = ChainHead(0)

    @property
    def intact(self) -> bool:
        """Whether every event is where and as it was written."""
        return self.reason is None


def verify_chain(
    session: Session, anchor: ChainHead | None = None, batch: int = 5000
) -> ChainReport:
    """Recompute every hash in order; report the first edited, inserted or deleted event.

    With ``anchor``, a signed checkpoint's head, the chain must also hold at least its
    count of events, the last of them hashing to its hash (or, for a checkpoint signed
    before personal values left the chain, having had it): a trail truncated, emptied or
    rebuilt (edited then hashed again) by someone with access to the database is caught.
    Personal values still there must be those the event was written with; erased ones
    (no row left) are not a fault.
    """
    previous, checked = GENESIS, 0
    rows = session.execute(
        select(AuditEvent, AuditPersonal.salt, AuditPersonal.values)
        .outerjoin(AuditPersonal, AuditPersonal.event_id == AuditEvent.id)
        .order_by(AuditEvent.id)
        .execution_options(yield_per=batch)
    )
    for event, salt, values in rows:
        if event.prev_hash != previous:
            return ChainReport(checked, event.id, UNCHAINED, ChainHead(checked, previous))
        expected = event_hash(
            event.prev_hash,
            event.occurred_at,
            event.actor_id,
            event.action,
            event.entity_type,
            event.entity_key,
            event.details,
            event.personal_digest,
            event.legacy_hash,
        )
        if event.hash != expected:
            return ChainReport(checked, event.id, EDITED, ChainHead(checked, previous))
        if salt is not None and digest(salt, values) != event.personal_digest:
            return ChainReport(checked, event.id, PERSONAL_EDITED, ChainHead(checked, previous))
        previous = event.hash
        checked += 1
        if (
            anchor is not None
            and checked == anchor.count
            and anchor.hash
            not in (
                previous,
                event.legacy_hash,
            )
        ):
            return ChainReport(checked, event.id, _rewritten(anchor), ChainHead(checked, previous))
    reached = ChainHead(checked, previous)
    if anchor is not None and checked < anchor.count:
        return ChainReport(checked, None, _fewer_than(checked, anchor), reached)
    head = session.get(AuditHead, 1)
    if head is None or head.last_hash != previous:
        return ChainReport(checked, None, HEAD_MISMATCH, reached)
    return ChainReport(checked, head=reached)
