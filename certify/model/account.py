"""Sign-in accounts, coordinator scopes and the network-wide serial counter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, String, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.model.base import Base, UTCDateTime, utcnow
from certify.model.network import Person


class UserAccount(Base):
    """A local sign-in account, always linked to a staff member."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Sign-in name.
    username: Mapped[str] = mapped_column(String(80), unique=True)
    #: The staff member the account belongs to.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    #: Argon2id hash of the password.
    password_hash: Mapped[str] = mapped_column(String(200))
    #: Whether the account may sign in.
    is_active: Mapped[bool] = mapped_column(default=True)
    #: When the account was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()


class CoordinatorScope(Base):
    """Part of the network a coordinator covers: a site, a region, or (both empty) all."""

    __tablename__ = "coordinator_scope"
    __table_args__ = (CheckConstraint("site_id IS NULL OR region_id IS NULL", name="one_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The coordinator.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    #: A site covered (with its centres), or ``None``.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    #: A region covered, or ``None``.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))


class SerialCounter(Base):
    """The last certificate number given in a year (serials are gap-free per year)."""

    __tablename__ = "serial_counter"
    __table_args__ = (CheckConstraint("last_number >= 0", name="non_negative"),)

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: Last number given; the next serial takes ``last_number + 1``.
    last_number: Mapped[int] = mapped_column(default=0)


class AuditHead(Base):
    """The single row holding the hash of the newest audit event (serialises appends)."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    #: Hash of the newest event (``GENESIS`` before the first).
    last_hash: Mapped[str] = mapped_column(String(64))


#: Throttled per user name typed.
ACCOUNT = "account"
#: Throttled per client address (``certify serve``).
CLIENT = "client"
#: Longest key kept (a longer user name is throttled on its beginning).
KEY_LENGTH = 80


class SignInThrottle(Base):
    """Failed sign-ins in a row of one user name or one client, and any lock they set."""

    __tablename__ = "sign_in_throttle"
    __table_args__ = (
        UniqueConstraint("kind", "key"),
        CheckConstraint("failures >= 0", name="non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``account`` (a user name typed, existing or not) or ``client`` (a browser's address).
    kind: Mapped[str] = mapped_column(String(10))
    #: The user name or the address.
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    #: Failures in a row.
    failures: Mapped[int] = mapped_column(default=0)
    #: When the last one happened.
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Until when sign-in is refused, or ``None``.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @classmethod
    def typed_as(cls, usernames: Iterable[str]) -> ColumnElement[bool]:
        """The rows of failed sign-ins typed with one of these user names."""
        keys = sorted({username[:KEY_LENGTH] for username in usernames})
        return and_(cls.kind == ACCOUNT, cls.key.in_(keys))
