"""Competency assessments: append-only, corrected by superseding."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.model.base import Base, UTCDateTime, enum_column, utcnow
from certify.model.framework import Competency
from certify.model.network import Person


class AssessmentMethod(enum.StrEnum):
    """How a competency was assessed."""

    OBSERVATION = "observation"
    MISE_EN_SITUATION = "mise_en_situation"
    ENTRETIEN = "entretien"
    QUIZ = "quiz"
    PORTFOLIO = "portfolio"


class Assessment(Base):
    """A level given to a person on a competency, never edited in place.

    A correction is a new assessment whose ``supersedes_id`` names the old one.
    The level is checked against the framework's scale by a composite foreign key.
    """

    __tablename__ = "assessment"
    __table_args__ = (
        ForeignKeyConstraint(
            ["competency_id", "framework_id"], ["competency.id", "competency.framework_id"]
        ),
        ForeignKeyConstraint(
            ["framework_id", "level"], ["scale_level.framework_id", "scale_level.level"]
        ),
        CheckConstraint("assessor_id <> person_id", name="not_self_assessed"),
        CheckConstraint(
            "supersedes_id IS NULL OR correction_reason IS NOT NULL",
            name="correction_has_reason",
        ),
        Index("ix_assessment_person_competency", "person_id", "competency_id", "assessed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The person assessed.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    #: The competency assessed.
    competency_id: Mapped[int] = mapped_column(index=True)
    #: The competency's framework (kept here so the level is checked against its scale).
    framework_id: Mapped[int]
    #: Level on the framework's scale.
    level: Mapped[int]
    #: Day of the assessment.
    assessed_on: Mapped[date] = mapped_column(Date)
    #: Who assessed (a trainer or coordinator, never the person themselves).
    assessor_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    #: How the competency was assessed.
    method: Mapped[AssessmentMethod] = mapped_column(enum_column(AssessmentMethod))
    #: Evidence or note written by the assessor.
    evidence: Mapped[str] = mapped_column(Text, default="")
    #: Session the assessment was made in, if any.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("training_session.id"), index=True)
    #: The assessment this one corrects.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), unique=True)
    #: Why the superseded assessment was corrected.
    correction_reason: Mapped[str | None] = mapped_column(String(500))
    #: When the assessment was recorded.
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    assessor: Mapped[Person] = relationship(foreign_keys=[assessor_id])
    competency: Mapped[Competency] = relationship(
        foreign_keys=[competency_id], primaryjoin="Assessment.competency_id == Competency.id"
    )
    supersedes: Mapped[Assessment | None] = relationship(remote_side=[id])
