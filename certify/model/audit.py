"""The audit trail: one append-only row per write, and the personal values it names."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from certify.model.base import Base, JsonDocument, UTCDateTime, utcnow


class AuditEvent(Base):
    """Who did what, when, to which entity, with the details before and after.

    Events are hash-chained: ``hash`` covers the event and ``prev_hash``, the hash of
    the event before it, so an edited or deleted row breaks the chain. People and accounts
    are named by id only; names, e-mails and free text live in :class:`AuditPersonal`,
    which the hash covers through ``personal_digest`` alone, so they can be erased.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        # ``certify audit log``: the newest events of some actions, or about an entity.
        Index("ix_audit_event_action_id", "action", "id"),
        Index("ix_audit_event_entity", "entity_type", "entity_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: When it happened.
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: The person who acted (``None`` for the system: demo, imports, migrations).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    #: What was done, e.g. ``assessment.recorded``.
    action: Mapped[str] = mapped_column(String(60))
    #: Kind of entity touched, e.g. ``assessment``.
    entity_type: Mapped[str] = mapped_column(String(40))
    #: Key of the entity touched (its id, serial or code).
    entity_key: Mapped[str] = mapped_column(String(80))
    #: Before/after values and any other details.
    details: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    #: Salted SHA-256 of the event's personal values (``None``: it has none).
    personal_digest: Mapped[str | None] = mapped_column(String(64))
    #: The event's hash before personal values left the chain (events written before).
    legacy_hash: Mapped[str | None] = mapped_column(String(64))
    #: Hash of the previous event (``GENESIS`` for the first).
    prev_hash: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of this event's canonical form and ``prev_hash``.
    hash: Mapped[str] = mapped_column(String(64))


class AuditPersonal(Base):
    """The personal values of one event (names, e-mails, free text), outside its hash.

    Deleting the row erases them; the event still verifies, its digest now unmatched.
    """

    __tablename__ = "audit_personal"

    #: The event they belong to.
    event_id: Mapped[int] = mapped_column(
        ForeignKey("audit_event.id", ondelete="CASCADE"), primary_key=True
    )
    #: Whom they are about (``None``: nobody on the staff, e.g. a mistyped user name); no
    #: foreign key, so that the trail never holds a person's row back from being deleted.
    person_id: Mapped[int | None] = mapped_column(index=True)
    #: Random salt of the digest, so it cannot be found by guessing the values.
    salt: Mapped[str] = mapped_column(String(32))
    #: The values, shaped like the event's details (``before``, ``after``, extras).
    values: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
