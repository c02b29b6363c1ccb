"""Training modules, the sessions that deliver them, and attendance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.model.base import Base
from certify.model.framework import Competency
from certify.model.network import Person, Site

Hours = Numeric(6, 2)


class Module(Base):
    """A training module (e.g. M02 « Accueil de 1er niveau »)."""

    __tablename__ = "module"
    __table_args__ = (
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("refresh_months IS NULL OR refresh_months > 0", name="refresh_positive"),
        CheckConstraint(
            "min_attendance_percent > 0 AND min_attendance_percent <= 100",
            name="attendance_share",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Module code (e.g. ``M02``).
    code: Mapped[str] = mapped_column(String(20), unique=True)
    #: French title.
    title_fr: Mapped[str] = mapped_column(String(200))
    #: English title.
    title_en: Mapped[str] = mapped_column(String(200))
    #: Duration in hours.
    hours: Mapped[Decimal] = mapped_column(Hours)
    #: How long a completion stays valid, in months (``None``: forever).
    refresh_months: Mapped[int | None]
    #: Share of the hours a participant must attend to complete the module.
    min_attendance_percent: Mapped[int] = mapped_column(default=80, server_default="80")

    competencies: Mapped[list[Competency]] = relationship(
        secondary="module_competency", order_by="Competency.code"
    )


class ModuleCompetency(Base):
    """A competency a module covers."""

    __tablename__ = "module_competency"

    module_id: Mapped[int] = mapped_column(
        ForeignKey("module.id", ondelete="CASCADE"), primary_key=True
    )
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id"), primary_key=True)


class TrainingSession(Base):
    """One delivery of a module at a site, over one or more days."""

    __tablename__ = "training_session"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    #: First day of the session.
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    #: Last day of the session.
    ends_on: Mapped[date] = mapped_column(Date)

    module: Mapped[Module] = relationship()
    site: Mapped[Site] = relationship()
    trainers: Mapped[list[Person]] = relationship(secondary="session_trainer")
    attendances: Mapped[list[Attendance]] = relationship(
        cascade="all, delete-orphan", back_populates="session"
    )


class SessionTrainer(Base):
    """A trainer (formateur) who runs a session."""

    __tablename__ = "session_trainer"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)


class Attendance(Base):
    """A participant of a session and the hours they were present."""

    __tablename__ = "attendance"
    __table_args__ = (CheckConstraint("hours_present >= 0", name="hours_non_negative"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    #: Hours the participant was present (0 until recorded).
    hours_present: Mapped[Decimal] = mapped_column(Hours, default=Decimal(0))

    session: Mapped[TrainingSession] = relationship(back_populates="attendances")
    person: Mapped[Person] = relationship()
