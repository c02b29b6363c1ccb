"""Recording assessments (one or a whole grid), correcting them, and reading the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, aliased

from certify.access.permissions import Action, Actor, authorize_person
from certify.errors import CertifyError
from certify.model import (
    Assessment,
    AssessmentMethod,
    Competency,
    Person,
    ScaleLevel,
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


def record_assessments(session: Session, actor: Actor, entries: list[NewAssessment]) -> int:
    """Record every entry in the caller's transaction (all or nothing); return the count."""
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
        if entry.assessed_on > date.today():
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
            f"l'évaluation {old.id} a déjà été corrigée par l'évaluation {newer} : "
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
            )
        ],
    )
    return new


@dataclass(frozen=True)
class HistoryLine:
    """One assessment in a person's history."""

    #: Assessment id.
    id: int
    #: Competency code.
    competency_code: str
    #: Level given.
    level: int
    #: Day assessed.
    assessed_on: date
    #: Who assessed.
    assessor_name: str
    #: How.
    method: AssessmentMethod
    #: Evidence or note.
    evidence: str
    #: When it was recorded.
    recorded_at: datetime
    #: Id of the assessment that corrected this one, if any.
    superseded_by: int | None
    #: Why this one corrects an earlier one, if it does.
    correction_reason: str | None


def history(
    session: Session, actor: Actor, person_id: int, competency_id: int | None = None
) -> list[HistoryLine]:
    """A person's assessments, newest first, with who assessed and what was corrected."""
    authorize_person(session, actor, Action.VIEW_PERSON, person_id)
    assessor = aliased(Person)
    corrector = aliased(Assessment)
    query = (
        select(Assessment, Competency.code, assessor, corrector.id)
        .join(Competency, Competency.id == Assessment.competency_id)
        .join(assessor, assessor.id == Assessment.assessor_id)
        .outerjoin(corrector, corrector.supersedes_id == Assessment.id)
        .where(Assessment.person_id == person_id)
        .order_by(Assessment.assessed_on.desc(), Assessment.recorded_at.desc(), Assessment.id)
    )
    if competency_id is not None:
        query = query.where(Assessment.competency_id == competency_id)
    return [
        HistoryLine(
            a.id,
            code,
            a.level,
            a.assessed_on,
            who.full_name,
            a.method,
            a.evidence,
            a.recorded_at,
            corrected_by,
            a.correction_reason,
        )
        for a, code, who, corrected_by in session.execute(query)
    ]
