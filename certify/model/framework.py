"""Competency frameworks (référentiels): scale, domains and competencies."""

from __future__ import annotations

import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.model.base import Base, enum_column


class ServiceLevel(enum.StrEnum):
    """CEP service levels a competency applies to (plus peer training)."""

    ACCUEIL = "accueil"
    CONSEIL = "conseil"
    ACCOMPAGNEMENT = "accompagnement"
    FORMATION = "formation"


class Framework(Base):
    """A versioned competency framework (référentiel)."""

    __tablename__ = "framework"
    __table_args__ = (
        UniqueConstraint("code", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("proficiency_threshold >= 0", name="threshold_non_negative"),
        CheckConstraint(
            "assessment_validity_months IS NULL OR assessment_validity_months > 0",
            name="assessment_validity_positive",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Framework code (e.g. ``RCM``), shared by all its versions.
    code: Mapped[str] = mapped_column(String(20))
    #: Version number, from 1.
    version: Mapped[int]
    #: French title.
    title_fr: Mapped[str] = mapped_column(String(200))
    #: English title.
    title_en: Mapped[str] = mapped_column(String(200))
    #: Lowest scale level that counts as proficient.
    proficiency_threshold: Mapped[int]
    #: How long an assessment counts, in months (``None``: forever).
    assessment_validity_months: Mapped[int | None] = mapped_column(default=36)

    levels: Mapped[list[ScaleLevel]] = relationship(
        order_by="ScaleLevel.level", cascade="all, delete-orphan"
    )
    domains: Mapped[list[Domain]] = relationship(
        order_by="Domain.position", cascade="all, delete-orphan", back_populates="framework"
    )


class ScaleLevel(Base):
    """One ordered level of a framework's proficiency scale."""

    __tablename__ = "scale_level"
    __table_args__ = (CheckConstraint("level >= 0", name="level_non_negative"),)

    framework_id: Mapped[int] = mapped_column(
        ForeignKey("framework.id", ondelete="CASCADE"), primary_key=True
    )
    #: Position on the scale, 0 = lowest.
    level: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: French label (e.g. « Acquis »).
    label_fr: Mapped[str] = mapped_column(String(80))
    #: English label.
    label_en: Mapped[str] = mapped_column(String(80))


class Domain(Base):
    """A group of competencies within a framework."""

    __tablename__ = "domain"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"))
    #: Domain code (e.g. ``ETH``), unique in its framework.
    code: Mapped[str] = mapped_column(String(20))
    #: French label.
    label_fr: Mapped[str] = mapped_column(String(200))
    #: English label.
    label_en: Mapped[str] = mapped_column(String(200))
    #: Display order within the framework.
    position: Mapped[int] = mapped_column(default=0)

    framework: Mapped[Framework] = relationship(back_populates="domains")
    competencies: Mapped[list[Competency]] = relationship(
        order_by="Competency.position", back_populates="domain"
    )


class Competency(Base):
    """A competency, assessed on its framework's scale."""

    __tablename__ = "competency"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        UniqueConstraint("id", "framework_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"))
    domain_id: Mapped[int] = mapped_column(ForeignKey("domain.id"), index=True)
    #: Competency code (e.g. ``ETH-01``), unique in its framework.
    code: Mapped[str] = mapped_column(String(20))
    #: French label.
    label_fr: Mapped[str] = mapped_column(String(300))
    #: English label.
    label_en: Mapped[str] = mapped_column(String(300))
    #: Display order within the domain.
    position: Mapped[int] = mapped_column(default=0)

    framework: Mapped[Framework] = relationship()
    domain: Mapped[Domain] = relationship(back_populates="competencies")
    service_levels: Mapped[list[CompetencyServiceLevel]] = relationship(
        cascade="all, delete-orphan"
    )


class CompetencyServiceLevel(Base):
    """A CEP service level a competency applies to."""

    __tablename__ = "competency_service_level"

    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competency.id", ondelete="CASCADE"), primary_key=True
    )
    service_level: Mapped[ServiceLevel] = mapped_column(enum_column(ServiceLevel), primary_key=True)
