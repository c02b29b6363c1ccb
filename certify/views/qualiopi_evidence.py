"""Qualiopi evidence (indicators 21 and 22) of a scope over a period, in four queries.

For each staff member active during the period: the competencies assessed (date, level,
method, assessor; corrected assessments left out, their corrections kept) — indicator
21 — and the training sessions followed (module, dates, hours present, trainers) —
indicator 22. People, assessments, attendances and trainers are each read in one query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, aliased

from certify.model import (
    Assessment,
    AssessmentMethod,
    Attendance,
    Competency,
    Module,
    Person,
    ScaleLevel,
    SessionTrainer,
    Site,
    TrainingSession,
)
from certify.rules.scope import Scope
from certify.rules.wording import Wording


@dataclass(frozen=True)
class AssessedCompetency:
    """One assessment: what, when, which level, how, by whom."""

    #: Day of the assessment.
    assessed_on: date
    #: Competency code.
    code: str
    #: Competency label.
    label: Wording
    #: Level given.
    level: int
    #: Label of the level.
    level_label: Wording
    #: How it was assessed.
    method: AssessmentMethod
    #: The assessor's full name.
    assessor: str


@dataclass(frozen=True)
class TrainingFollowed:
    """One session attended: the module, the dates, the hours, the trainers."""

    #: Module code.
    code: str
    #: Module title.
    title: Wording
    #: First day of the session.
    starts_on: date
    #: Last day of the session.
    ends_on: date
    #: Hours the person was present.
    hours_present: Decimal
    #: The module's hours.
    module_hours: Decimal
    #: The site that ran the session.
    site: str
    #: Full names of the trainers.
    trainers: tuple[str, ...]


@dataclass(frozen=True)
class PersonEvidence:
    """A staff member and their evidence over the period."""

    #: The person's id.
    person_id: int
    #: Given name.
    given_name: str
    #: Family name.
    family_name: str
    #: Work e-mail.
    email: str
    #: The person's site.
    site: str
    #: Competencies assessed, by date.
    assessments: tuple[AssessedCompetency, ...]
    #: Sessions followed, by date.
    trainings: tuple[TrainingFollowed, ...]


def qualiopi_evidence(
    session: Session, scope: Scope, start: date, end: date
) -> tuple[PersonEvidence, ...]:
    """The evidence of every person of ``scope`` active between ``start`` and ``end``."""
    people = (
        select(Person.id, Person.given_name, Person.family_name, Person.email, Site.name)
        .join(Site, Site.id == Person.site_id)
        .where(
            scope.site_filter(Site),
            Person.active_from <= end,
            (Person.active_until.is_(None)) | (Person.active_until >= start),
        )
        .order_by(Site.name, Person.family_name, Person.given_name, Person.id)
    )
    person_ids = people.with_only_columns(Person.id).order_by(None)
    assessments = _assessments(session, person_ids, start, end)
    trainings = _trainings(session, person_ids, start, end)
    return tuple(
        PersonEvidence(
            person_id,
            given_name,
            family_name,
            email,
            site,
            tuple(assessments[person_id]),
            tuple(trainings[person_id]),
        )
        for person_id, given_name, family_name, email, site in session.execute(people)
    )


def _assessments(
    session: Session, person_ids: Select[int], start: date, end: date
) -> dict[int, list[AssessedCompetency]]:
    """Assessments of the period not corrected since, per person."""
    assessor = aliased(Person)
    correction = aliased(Assessment)
    rows = session.execute(
        select(
            Assessment.person_id,
            Assessment.assessed_on,
            Competency.code,
            Competency.label_fr,
            Competency.label_en,
            Assessment.level,
            ScaleLevel.label_fr,
            ScaleLevel.label_en,
            Assessment.method,
            assessor.given_name,
            assessor.family_name,
        )
        .join(Competency, Competency.id == Assessment.competency_id)
        .join(
            ScaleLevel,
            (ScaleLevel.framework_id == Assessment.framework_id)
            & (ScaleLevel.level == Assessment.level),
        )
        .join(assessor, assessor.id == Assessment.assessor_id)
        .where(
            Assessment.person_id.in_(person_ids),
            Assessment.assessed_on.between(start, end),
            ~exists().where(correction.supersedes_id == Assessment.id),
        )
        .order_by(Assessment.person_id, Assessment.assessed_on, Competency.code)
    )
    found: dict[int, list[AssessedCompetency]] = defaultdict(list)
    for person_id, day, code, label_fr, label_en, level, level_fr, level_en, method, *name in rows:
        found[person_id].append(
            AssessedCompetency(
                day,
                code,
                Wording(label_fr, label_en),
                level,
                Wording(level_fr, level_en),
                AssessmentMethod(method),
                " ".join(name),
            )
        )
    return found


def _trainings(
    session: Session, person_ids: Select[int], start: date, end: date
) -> dict[int, list[TrainingFollowed]]:
    """Sessions of the period attended (some hours present), per person, with trainers."""
    attended = (
        Attendance.person_id.in_(person_ids),
        Attendance.hours_present > 0,
        TrainingSession.starts_on <= end,
        TrainingSession.ends_on >= start,
    )
    rows = session.execute(
        select(
            Attendance.person_id,
            TrainingSession.id,
            Module.code,
            Module.title_fr,
            Module.title_en,
            TrainingSession.starts_on,
            TrainingSession.ends_on,
            Attendance.hours_present,
            Module.hours,
            Site.name,
        )
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .join(Module, Module.id == TrainingSession.module_id)
        .join(Site, Site.id == TrainingSession.site_id)
        .where(*attended)
        .order_by(Attendance.person_id, TrainingSession.starts_on, Module.code)
    )
    sessions = (
        select(Attendance.session_id)
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(*attended)
    )
    trainers = _trainers(session, sessions)
    found: dict[int, list[TrainingFollowed]] = defaultdict(list)
    for person_id, session_id, code, title_fr, title_en, first, last, present, hours, site in rows:
        found[person_id].append(
            TrainingFollowed(
                code,
                Wording(title_fr, title_en),
                first,
                last,
                Decimal(present),
                Decimal(hours),
                site,
                trainers.get(session_id, ()),
            )
        )
    return found


def _trainers(session: Session, session_ids: Select[int]) -> dict[int, tuple[str, ...]]:
    """The trainers' names of each session ``session_ids`` selects."""
    rows = session.execute(
        select(SessionTrainer.session_id, Person.given_name, Person.family_name)
        .join(Person, Person.id == SessionTrainer.person_id)
        .where(SessionTrainer.session_id.in_(session_ids))
        .order_by(SessionTrainer.session_id, Person.family_name, Person.given_name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for session_id, given_name, family_name in rows:
        names[session_id].append(f"{given_name} {family_name}")
    return {session_id: tuple(found) for session_id, found in names.items()}
