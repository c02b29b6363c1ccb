"""The standing of every person × programme on one day, kept to answer big views fast."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from certify.model.base import Base


class CachedStanding(Base):
    """One active person × programme: what :func:`certify.rules.progress.standings` gives.

    A copy of the rules' answer on :attr:`StandingsCacheState.as_of`, complete for the whole
    network, brought up to date from the audit trail (see :mod:`certify.store.standings_cache`).
    """

    __tablename__ = "standing_snapshot"
    __table_args__ = (Index("ix_standing_snapshot_site_programme", "site_id", "programme_id"),)

    #: The person.
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    #: The programme.
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )
    #: The person's site on that day.
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    #: A :class:`certify.rules.progress.ProgressStatus` value.
    status: Mapped[str] = mapped_column(String(20))
    #: Last valid day of the certificates held (``None``: none held).
    valid_until: Mapped[date | None] = mapped_column(Date)
    #: Requirements not met.
    missing: Mapped[int] = mapped_column(Integer)


class StandingsCacheState(Base):
    """The one row saying which day the cache is of and how much of the trail it has seen."""

    __tablename__ = "standing_snapshot_state"

    #: Always 1: a single row, locked while the cache is refreshed.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    #: The day the standings are of (``None``: never computed).
    as_of: Mapped[date | None] = mapped_column(Date)
    #: Id of the newest audit event the cache takes into account (0: none).
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
