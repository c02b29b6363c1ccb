"""Certification programmes, their requirements, and the certificates issued."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.model.base import Base, JsonDocument, UTCDateTime, enum_column, utcnow
from certify.model.framework import Competency, Framework
from certify.model.network import Person
from certify.model.training import Module


class Programme(Base):
    """A certification programme (e.g. CERT-ACC « Chargé·e d'accueil de 1er niveau »)."""

    __tablename__ = "programme"
    __table_args__ = (
        CheckConstraint("validity_months > 0", name="validity_positive"),
        CheckConstraint(
            "recert_window_months >= 0 AND recert_window_months < validity_months",
            name="window_within_validity",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Programme code (e.g. ``CERT-ACC``).
    code: Mapped[str] = mapped_column(String(20), unique=True)
    #: French title.
    title_fr: Mapped[str] = mapped_column(String(200))
    #: English title.
    title_en: Mapped[str] = mapped_column(String(200))
    #: Framework whose competencies the programme requires.
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"))
    #: How long a certificate is valid, in months.
    validity_months: Mapped[int]
    #: Months before expiry when renewal opens.
    recert_window_months: Mapped[int]
    #: Free text describing the recertification conditions.
    recertification_note: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship()
    competency_requirements: Mapped[list[ProgrammeCompetency]] = relationship(
        cascade="all, delete-orphan"
    )
    module_requirements: Mapped[list[ProgrammeModule]] = relationship(cascade="all, delete-orphan")
    prerequisites: Mapped[list[ProgrammePrerequisite]] = relationship(
        cascade="all, delete-orphan", foreign_keys="ProgrammePrerequisite.programme_id"
    )


class ProgrammeCompetency(Base):
    """A competency a programme requires, at a minimum level of the framework's scale."""

    __tablename__ = "programme_competency"
    __table_args__ = (
        ForeignKeyConstraint(
            ["competency_id", "framework_id"], ["competency.id", "competency.framework_id"]
        ),
        ForeignKeyConstraint(
            ["framework_id", "min_level"], ["scale_level.framework_id", "scale_level.level"]
        ),
    )

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )
    competency_id: Mapped[int] = mapped_column(primary_key=True, index=True)
    framework_id: Mapped[int]
    #: Lowest level that satisfies the requirement.
    min_level: Mapped[int]

    competency: Mapped[Competency] = relationship(
        foreign_keys=[competency_id],
        primaryjoin="ProgrammeCompetency.competency_id == Competency.id",
    )


class ProgrammeModule(Base):
    """A training module a programme requires."""

    __tablename__ = "programme_module"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), primary_key=True)

    module: Mapped[Module] = relationship()


class ProgrammePrerequisite(Base):
    """Another programme whose certificate must be held, possibly for a minimum time."""

    __tablename__ = "programme_prerequisite"
    __table_args__ = (
        CheckConstraint("programme_id <> prerequisite_id", name="not_itself"),
        CheckConstraint("min_held_months >= 0", name="held_non_negative"),
    )

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )
    prerequisite_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), primary_key=True)
    #: Months the prerequisite certificate must have been held.
    min_held_months: Mapped[int] = mapped_column(default=0)

    prerequisite: Mapped[Programme] = relationship(foreign_keys=[prerequisite_id])


class CertificateState(enum.StrEnum):
    """Lifecycle state of a certificate; expiry is derived from its dates."""

    ISSUED = "issued"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class Certificate(Base):
    """A certificate issued to a person for a programme, with its frozen evidence."""

    __tablename__ = "certificate"
    __table_args__ = (
        CheckConstraint("valid_until > valid_from", name="validity_ordered"),
        CheckConstraint(
            "(state = 'revoked') = (revoked_on IS NOT NULL AND revocation_reason IS NOT NULL)",
            name="revocation_complete",
        ),
        Index(
            "uq_certificate_current",
            "person_id",
            "programme_id",
            "valid_from",
            unique=True,
            sqlite_where=text("state = 'issued'"),
            postgresql_where=text("state = 'issued'"),
        ),
        Index("uq_certificate_status_index", "status_index", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Network-wide serial, e.g. ``CDM-2026-000123``.
    serial: Mapped[str] = mapped_column(String(20), unique=True)
    #: The certified person.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    #: The programme certified.
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    #: Day of issue.
    issued_on: Mapped[date] = mapped_column(Date)
    #: First day of validity: the completion date (an on-time renewal starts inside its
    #: predecessor; its base date, the predecessor's valid-until, is in the snapshot).
    valid_from: Mapped[date] = mapped_column(Date)
    #: Last day of validity.
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    #: Issued, revoked or superseded.
    state: Mapped[CertificateState] = mapped_column(
        enum_column(CertificateState), default=CertificateState.ISSUED
    )
    #: Effective date of a revocation.
    revoked_on: Mapped[date | None] = mapped_column(Date)
    #: Why the certificate was revoked.
    revocation_reason: Mapped[str | None] = mapped_column(String(500))
    #: The certificate this one replaces (reissue).
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), unique=True)
    #: Coordinator who issued it (``None`` for certificates imported from elsewhere).
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    #: Reason written by a coordinator who issued without full eligibility.
    override_reason: Mapped[str | None] = mapped_column(String(500))
    #: Frozen evidence: the eligibility explanation and names as on the day of issue.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: When the row was written.
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: SHA-256 (hex) of the first French PDF delivered, stored as its ``CertificateDocument``.
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    #: Issued outside certify and recorded by an administrator's import: certify never
    #: signs, delivers nor lists it as a credential of its own.
    issued_elsewhere: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Why the administrator recorded a certificate issued elsewhere, and from where.
    import_reason: Mapped[str | None] = mapped_column(String(500))
    #: Its entry in the issuer's status list (W3C Bitstring Status List): unique, drawn at
    #: random by :mod:`certify.services.status_entries`; certificates issued before revision
    #: 0009 keep their id, which their signed credentials carry.
    status_index: Mapped[int]

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    programme: Mapped[Programme] = relationship()
    supersedes: Mapped[Certificate | None] = relationship(remote_side=[id])
