"""The audit trail: one append-only row per write."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from certify.model.base import Base, JsonDocument, UTCDateTime, utcnow


class AuditEvent(Base):
    """Who did what, when, to which entity, with the details before and after.

    Events are hash-chained: ``hash`` covers the event and ``prev_hash``, the hash of
    the event before it, so an edited or deleted row breaks the chain.
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
    #: Hash of the previous event (``GENESIS`` for the first).
    prev_hash: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of this event's canonical form and ``prev_hash``.
    hash: Mapped[str] = mapped_column(String(64))
