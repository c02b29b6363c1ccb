"""Competency status of a person as of a date.

The level comes from the person's **latest** assessment of the competency made on or
before the date that is not superseded. Superseded means another assessment names it in
``supersedes_id``, whatever that correction's own date: a correction says the record was
wrong. "Latest" is the latest **assessment date** (``assessed_on``), then the latest
``recorded_at``, then the highest id — not the row recorded last: an assessment of March
entered in June does not override one of May.

The assessment counts for the framework's ``assessment_validity_months`` (``None``:
forever) and expires on ``assessed_on`` + validity. When the latest assessment has
expired the competency has no valid level (earlier assessments are older still).

Each assessment of a person therefore stands, on a day, in one of a few ways
(:func:`assessment_states`): it counts, it was corrected, a later assessment of the same
competency overtook it, it expired, or it was not made yet.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from certify.model import Assessment, Framework, Person, ScaleLevel
from certify.rules.dates import add_months
from certify.rules.evidence import AssessmentEvidence, LevelRef


def on_record(as_of: date | ColumnElement[date]) -> ColumnElement[bool]:
    """SQL: the assessment is on record on ``as_of``: made by then, and not superseded."""
    correction = aliased(Assessment)
    return and_(
        Assessment.assessed_on <= as_of,
        ~exists().where(correction.supersedes_id == Assessment.id),
    )


def latest_first() -> tuple[ColumnElement[Any], ...]:
    """SQL ordering of one person's assessments of one competency: the one that counts first."""
    return (Assessment.assessed_on.desc(), Assessment.recorded_at.desc(), Assessment.id.desc())


@dataclass(frozen=True)
class CompetencyStatus:
    """A person's standing on one competency as of a date."""

    #: The day the status holds on.
    as_of: date
    #: The assessment that gives the level (the latest one, possibly expired).
    assessment: AssessmentEvidence

    @property
    def expired(self) -> bool:
        """Whether the assessment no longer counts on the day."""
        expires_on = self.assessment.expires_on
        return expires_on is not None and self.as_of >= expires_on

    @property
    def level(self) -> int | None:
        """The valid level on the day (``None`` once the assessment has expired)."""
        return None if self.expired else self.assessment.level.level

    def reaches(self, min_level: int) -> bool:
        """Whether the valid level is at least ``min_level``."""
        return self.level is not None and self.level >= min_level


def competency_statuses(
    session: Session,
    person_ids: Collection[int],
    as_of: date,
    competency_ids: Collection[int] | None = None,
) -> dict[tuple[int, int], CompetencyStatus]:
    """(person, competency) → status, for each competency assessed (all, or ``competency_ids``).

    A pair missing from the result was never assessed on or before ``as_of``.
    """
    rank = func.row_number().over(
        partition_by=(Assessment.person_id, Assessment.competency_id), order_by=latest_first()
    )
    ranked = select(Assessment.id, rank.label("rank")).where(
        Assessment.person_id.in_(sorted(person_ids)), on_record(as_of)
    )
    if competency_ids is not None:
        ranked = ranked.where(Assessment.competency_id.in_(sorted(competency_ids)))
    latest = ranked.subquery("ranked_assessment")
    assessor = aliased(Person)
    rows = session.execute(
        select(
            Assessment.person_id,
            Assessment.competency_id,
            Assessment.id,
            Assessment.level,
            Assessment.assessed_on,
            Assessment.method,
            ScaleLevel.label_fr,
            ScaleLevel.label_en,
            Framework.assessment_validity_months,
            assessor.given_name,
            assessor.family_name,
        )
        .join(latest, latest.c.id == Assessment.id)
        .join(assessor, assessor.id == Assessment.assessor_id)
        .join(Framework, Framework.id == Assessment.framework_id)
        .join(
            ScaleLevel,
            and_(
                ScaleLevel.framework_id == Assessment.framework_id,
                ScaleLevel.level == Assessment.level,
            ),
        )
        .where(latest.c.rank == 1)
    )
    return {
        (row.person_id, row.competency_id): CompetencyStatus(
            as_of=as_of,
            assessment=AssessmentEvidence(
                assessment_id=row.id,
                level=LevelRef(row.level, row.label_fr, row.label_en),
                assessed_on=row.assessed_on,
                expires_on=(
                    None
                    if row.assessment_validity_months is None
                    else add_months(row.assessed_on, row.assessment_validity_months)
                ),
                assessor_name=f"{row.given_name} {row.family_name}",
                method=row.method,
            ),
        )
        for row in rows
    }


class AssessmentStanding(enum.StrEnum):
    """How one assessment stands on a day."""

    #: The latest on record, still valid: it gives the level.
    COUNTS = "counts"
    #: A correction replaced it.
    CORRECTED = "corrected"
    #: A later assessment of the same competency replaced it.
    OVERTAKEN = "overtaken"
    #: The latest on record, but past its validity: no valid level.
    EXPIRED = "expired"
    #: Made after the day.
    LATER = "later"


@dataclass(frozen=True)
class AssessmentState:
    """One assessment's standing on a day, and what replaced it or when it ends."""

    #: How it stands.
    standing: AssessmentStanding
    #: The assessment that replaced it (corrected, overtaken), else ``None``.
    replaced_by: int | None = None
    #: The day of that assessment.
    replaced_on: date | None = None
    #: First day it no longer counts (counts, expired; ``None``: forever or not known).
    expires_on: date | None = None


def assessment_states(session: Session, person_id: int, as_of: date) -> dict[int, AssessmentState]:
    """Assessment id → how it stands on ``as_of``, for every assessment of the person."""
    latest = {
        status.assessment.assessment_id: status
        for status in competency_statuses(session, [person_id], as_of).values()
    }
    correction = aliased(Assessment)
    rows = session.execute(
        select(
            Assessment.id,
            Assessment.competency_id,
            Assessment.assessed_on,
            correction.id.label("corrected_by"),
            correction.assessed_on.label("corrected_on"),
        )
        .outerjoin(correction, correction.supersedes_id == Assessment.id)
        .where(Assessment.person_id == person_id)
        .order_by(Assessment.competency_id, *latest_first())
    )
    states: dict[int, AssessmentState] = {}
    # Competency → the assessment on record just after the row (the first is the latest).
    after: dict[int, tuple[int, date]] = {}
    for row in rows:
        if row.corrected_by is not None:
            states[row.id] = AssessmentState(
                AssessmentStanding.CORRECTED, row.corrected_by, row.corrected_on
            )
            continue
        if row.assessed_on > as_of:
            states[row.id] = AssessmentState(AssessmentStanding.LATER)
            continue
        if (status := latest.get(row.id)) is not None:
            standing = AssessmentStanding.EXPIRED if status.expired else AssessmentStanding.COUNTS
            states[row.id] = AssessmentState(standing, expires_on=status.assessment.expires_on)
        else:
            states[row.id] = AssessmentState(
                AssessmentStanding.OVERTAKEN, *after.get(row.competency_id, (None, None))
            )
        after[row.competency_id] = (row.id, row.assessed_on)
    return states
