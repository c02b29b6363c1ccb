"""Recording assessments (one or a whole grid) and correcting them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, authorize_person
from certify.errors import CertifyError
from certify.model import (
    Assessment,
    AssessmentMethod,
    Competency,
    ScaleLevel,
    TrainingSession,
    utcnow,
)
from certify.store.audit import Change, record_all


@dataclass(frozen=True)
class NewAssessment:
    """One level to record for a person on a competency."""

    #: The person assessed.
    person_id: int
    #: The competency assessed.
    competency_id: int
    #: Level on the framework's scale.
    level: int
    #: Day of the assessment.
    assessed_on: date
    #: How it was assessed.
    method: AssessmentMethod
    #: Evidence or note.
    evidence: str = ""
    #: Training session it was made in, if any.
    session_id: int | None = None


def _off_scale(level: int, levels: set[int]) -> CertifyError:
    """The error for a level outside its competency's scale."""
    bounds = f"({min(levels)}–{max(levels)})"
    return CertifyError(
        f"le niveau {level} n'est pas sur l'échelle {bounds}",
        f"level {level} is not on the scale {bounds}",
    )


def _scales(session: Session, competency_ids: set[int]) -> dict[int, tuple[int, set[int]]]:
    """For each competency: its framework and the levels of that framework's scale."""
    rows = session.execute(
        select(Competency.id, Competency.framework_id, ScaleLevel.level)
        .join(ScaleLevel, ScaleLevel.framework_id == Competency.framework_id)
        .where(Competency.id.in_(competency_ids))
    )
    scales: dict[int, tuple[int, set[int]]] = {}
    for competency_id, framework_id, level in rows:
        scales.setdefault(competency_id, (framework_id, set()))[1].add(level)
    return scales


def record_assessments(
    session: Session, actor: Actor, entries: Sequence[NewAssessment], today: date
) -> int:
    """Record every entry in the caller's transaction (all or nothing); return the count.

    An assessment dated after ``today`` is refused.
    """
    for person_id in sorted({e.person_id for e in entries}):
        authorize_person(session, actor, Action.RECORD_ASSESSMENT, person_id)
    scales = _scales(session, {e.competency_id for e in entries})
    rows = []
    for entry in entries:
        if entry.competency_id not in scales:
            raise CertifyError(
                f"compétence n° {entry.competency_id} inconnue",
                f"unknown competency id {entry.competency_id}",
            )
        framework_id, levels = scales[entry.competency_id]
        if entry.level not in levels:
            raise _off_scale(entry.level, levels)
        if entry.assessed_on > today:
            raise CertifyError(
                f"l'évaluation datée du {entry.assessed_on} est dans le futur",
                f"assessment dated {entry.assessed_on} is in the future",
            )
        rows.append(
            {
                "person_id": entry.person_id,
                "competency_id": entry.competency_id,
                "framework_id": framework_id,
                "level": entry.level,
                "assessed_on": entry.assessed_on,
                "assessor_id": actor.person_id,
                "method": entry.method,
                "evidence": entry.evidence,
                "session_id": entry.session_id,
                "recorded_at": utcnow(),
            }
        )
    if not rows:
        return 0
    ids = session.scalars(insert(Assessment).returning(Assessment.id), rows).all()
    record_all(
        session,
        actor.person_id,
        (
            Change("assessment.recorded", "assessment", new_id, after=row)
            for new_id, row in zip(ids, rows, strict=True)
        ),
    )
    return len(rows)


@dataclass(frozen=True)
class GridMark:
    """One cell of a session's assessment grid: a level given to a participant."""

    #: The participant assessed.
    person_id: int
    #: The competency assessed.
    competency_id: int
    #: Level on the framework's scale.
    level: int
    #: How it was assessed.
    method: AssessmentMethod
    #: Evidence or note.
    evidence: str = ""


def grid_day(ends_on: date, today: date) -> date:
    """The day a session's grid dates its assessments: the session's last day, or today
    while the session is still running."""
    return min(ends_on, today)


def record_grid(
    session: Session, actor: Actor, session_id: int, marks: Sequence[GridMark], today: date
) -> int:
    """Record a session grid's marks dated :func:`grid_day` (all or nothing); the count."""
    ends_on = session.scalar(
        select(TrainingSession.ends_on).where(TrainingSession.id == session_id)
    )
    if ends_on is None:
        raise CertifyError(
            f"aucune session de formation n° {session_id}", f"no training session {session_id}"
        )
    day = grid_day(ends_on, today)
    entries = [
        NewAssessment(m.person_id, m.competency_id, m.level, day, m.method, m.evidence, session_id)
        for m in marks
    ]
    return record_assessments(session, actor, entries, today)


def correct_assessment(
    session: Session,
    actor: Actor,
    assessment_id: int,
    level: int,
    reason: str,
    assessed_on: date | None = None,
) -> Assessment:
    """Supersede an assessment with a corrected one; the old one stays, with the reason."""
    if not reason.strip():
        raise CertifyError("une correction doit être motivée", "a correction needs a reason")
    old = session.get(Assessment, assessment_id)
    if old is None:
        raise CertifyError(
            f"aucune évaluation n° {assessment_id}", f"no assessment with id {assessment_id}"
        )
    newer = session.scalar(select(Assessment.id).where(Assessment.supersedes_id == old.id))
    if newer is not None:
        raise CertifyError(
            f"l'évaluation {old.id} a déjà été corrigée par l'évaluation {newer}\u00a0: "
            "corrigez celle-ci",
            f"assessment {old.id} was already corrected by assessment {newer}: correct that one",
        )
    authorize_person(session, actor, Action.CORRECT_ASSESSMENT, old.person_id)
    _, levels = _scales(session, {old.competency_id})[old.competency_id]
    if level not in levels:
        raise _off_scale(level, levels)
    new = Assessment(
        person_id=old.person_id,
        competency_id=old.competency_id,
        framework_id=old.framework_id,
        level=level,
        assessed_on=assessed_on or old.assessed_on,
        assessor_id=actor.person_id,
        method=old.method,
        evidence=old.evidence,
        session_id=old.session_id,
        supersedes_id=old.id,
        correction_reason=reason.strip(),
    )
    session.add(new)
    session.flush()
    record_all(
        session,
        actor.person_id,
        [
            Change(
                "assessment.corrected",
                "assessment",
                new.id,
                before={"id": old.id, "level": old.level, "assessed_on": old.assessed_on},
                after={"id": new.id, "level": level, "assessed_on": new.assessed_on},
                extra={"reason": new.correction_reason},
                subject_id=new.person_id,
            )
        ],
    )
    return new
