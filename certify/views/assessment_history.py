"""A person's assessment history: every assessment, newest first, with how each stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from certify.access.permissions import Action, Actor, authorize_person
from certify.model import Assessment, AssessmentMethod, Competency, Person
from certify.rules.competencies import AssessmentState, assessment_states, latest_first


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
    #: Id of the assessment this one corrects, if any.
    supersedes_id: int | None
    #: How it stands on the day the history is read as of.
    state: AssessmentState


def history(
    session: Session, actor: Actor, person_id: int, as_of: date, competency_id: int | None = None
) -> list[HistoryLine]:
    """A person's assessments, newest first, with who, what was corrected, each one's standing."""
    authorize_person(session, actor, Action.VIEW_PERSON, person_id)
    assessor = aliased(Person)
    corrector = aliased(Assessment)
    query = (
        select(Assessment, Competency.code, assessor, corrector.id)
        .join(Competency, Competency.id == Assessment.competency_id)
        .join(assessor, assessor.id == Assessment.assessor_id)
        .outerjoin(corrector, corrector.supersedes_id == Assessment.id)
        .where(Assessment.person_id == person_id)
        .order_by(*latest_first())
    )
    if competency_id is not None:
        query = query.where(Assessment.competency_id == competency_id)
    states = assessment_states(session, person_id, as_of)
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
            a.supersedes_id,
            states[a.id],
        )
        for a, code, who, corrected_by in session.execute(query)
    ]
