"""Expiry reminders sent (or passed over) for a certificate, one per threshold and recipient."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from certify.model.base import Base, UTCDateTime, enum_column, utcnow


class RecipientKind(enum.StrEnum):
    """Who a reminder goes to: the holder, or the holder's coordinators (in their digest)."""

    HOLDER = "holder"
    COORDINATORS = "coordinators"


class ExpiryReminder(Base):
    """A reminder of a certificate's expiry sent at one threshold to one kind of recipient.

    A threshold passed over (a later, more urgent one was due at once) is recorded
    ``skipped``, so that it never goes later.
    """

    __tablename__ = "expiry_reminder"
    __table_args__ = (
        UniqueConstraint("certificate_id", "threshold_days", "recipient_kind"),
        CheckConstraint("threshold_days >= 0", name="threshold_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The certificate whose expiry it announces.
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id", ondelete="CASCADE"))
    #: Days before the last valid day (0: on expiry).
    threshold_days: Mapped[int]
    #: The holder, or the coordinators' digest.
    recipient_kind: Mapped[RecipientKind] = mapped_column(enum_column(RecipientKind))
    #: The person written to (the holder), ``None`` for the coordinators (each is audited).
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    #: When it was sent (or passed over).
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Passed over, never sent: a more urgent threshold was due at the same run.
    skipped: Mapped[bool] = mapped_column(default=False)
