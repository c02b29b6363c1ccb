"""Training sessions for trainers: their list, details, editing, and the assessment grid."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from certify.access.narrowing import active_on
from certify.access.permissions import (
    Action,
    Actor,
    authorize_person,
    authorize_session,
    authorize_site,
)
from certify.errors import CertifyError
from certify.model import (
    Assessment,
    AssessmentMethod,
    Attendance,
    Competency,
    Module,
    ModuleCompetency,
    Person,
    SessionTrainer,
    Site,
    TrainingSession,
)
from certify.rules.scope import Scope
from certify.rules.written_dates import written_date
from certify.services.attendance import authorize_participants
from certify.store.audit import Change, record


@dataclass(frozen=True)
class SessionSummary:
    """One line of a trainer's session list."""

    #: Session id.
    id: int
    #: Module code.
    module_code: str
    #: Module title in French.
    module_title_fr: str
    #: Module title in English.
    module_title_en: str
    #: Site code.
    site_code: str
    #: First day.
    starts_on: date
    #: Last day.
    ends_on: date
    #: Number of participants.
    participants: int


def _sessions_visible_to(actor: Actor) -> list[ColumnElement[bool]]:
    """Conditions restricting sessions to those the actor may see."""
    if actor.is_admin:
        return []
    trained = select(SessionTrainer.session_id).where(SessionTrainer.person_id == actor.person_id)
    if actor.coordinator_scope is not None:
        return [or_(TrainingSession.id.in_(trained), actor.coordinator_scope.site_filter())]
    return [TrainingSession.id.in_(trained)]


def _summaries() -> Select[int, str, str, str, str, date, date, int]:
    """The query of session list lines."""
    participants = (
        select(func.count()).where(Attendance.session_id == TrainingSession.id).scalar_subquery()
    )
    return (
        select(
            TrainingSession.id,
            Module.code,
            Module.title_fr,
            Module.title_en,
            Site.code,
            TrainingSession.starts_on,
            TrainingSession.ends_on,
            participants,
        )
        .join(Module, Module.id == TrainingSession.module_id)
        .join(Site, Site.id == TrainingSession.site_id)
        .order_by(TrainingSession.starts_on.desc(), TrainingSession.id.desc())
    )


def list_sessions(
    session: Session,
    actor: Actor,
    *,
    today: date,
    upcoming: bool | None = None,
    module_id: int | None = None,
    site_id: int | None = None,
) -> list[SessionSummary]:
    """Sessions the actor trains (all in scope for coordinators), filtered, newest first."""
    query = _summaries().where(*_sessions_visible_to(actor))
    if upcoming is True:
        query = query.where(TrainingSession.ends_on >= today)
    elif upcoming is False:
        query = query.where(TrainingSession.ends_on < today)
    if module_id is not None:
        query = query.where(TrainingSession.module_id == module_id)
    if site_id is not None:
        query = query.where(TrainingSession.site_id == site_id)
    return [SessionSummary(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class Participant:
    """A participant of a session and the hours they were present."""

    #: Person id.
    person_id: int
    #: Full name.
    name: str
    #: E-mail.
    email: str
    #: Hours present.
    hours_present: Decimal
    #: Their standing assessments made in this session (corrected ones not counted).
    assessments: int = 0


@dataclass(frozen=True)
class CompetencyColumn:
    """A competency a module covers (a column of the grid)."""

    #: Competency id.
    id: int
    #: Code, e.g. ``ETH-01``.
    code: str
    #: French label.
    label_fr: str
    #: English label.
    label_en: str


@dataclass(frozen=True)
class SessionDetail:
    """A session with its module, participants, trainers and the competencies covered."""

    #: The session's list line.
    summary: SessionSummary
    #: Module id.
    module_id: int
    #: Module duration in hours.
    module_hours: Decimal
    #: Site id.
    site_id: int
    #: Trainers (id, name).
    trainers: list[tuple[int, str]]
    #: Participants, by name.
    participants: list[Participant]
    #: Competencies the module covers, by code.
    competencies: list[CompetencyColumn]
    #: Scale levels (level, French label, English label) of the competencies' framework.
    levels: list[tuple[int, str, str]] = field(default_factory=list)


def _standing_assessments(session: Session, training_session_id: int) -> dict[int, int]:
    """Person id → how many of their assessments made in the session stand (not corrected)."""
    correction = aliased(Assessment)
    rows = session.execute(
        select(Assessment.person_id, func.count())
        .outerjoin(correction, correction.supersedes_id == Assessment.id)
        .where(Assessment.session_id == training_session_id, correction.id.is_(None))
        .group_by(Assessment.person_id)
    )
    return {person_id: count for person_id, count in rows}


def session_detail(session: Session, actor: Actor, training_session_id: int) -> SessionDetail:
    """Everything a trainer sees of one session."""
    authorize_session(session, actor, Action.RECORD_ATTENDANCE, training_session_id)
    summary = SessionSummary(
        *session.execute(_summaries().where(TrainingSession.id == training_session_id)).one()
    )
    ts = session.get(TrainingSession, training_session_id)
    assert ts is not None
    assessed = _standing_assessments(session, training_session_id)
    participants = [
        Participant(p.id, p.full_name, p.email, hours, assessed.get(p.id, 0))
        for p, hours in session.execute(
            select(Person, Attendance.hours_present)
            .join(Attendance, Attendance.person_id == Person.id)
            .where(Attendance.session_id == training_session_id)
            .order_by(Person.family_name, Person.given_name)
        )
    ]
    competencies = session.scalars(
        select(Competency)
        .join(ModuleCompetency, ModuleCompetency.competency_id == Competency.id)
        .where(ModuleCompetency.module_id == ts.module_id)
        .order_by(Competency.code)
    ).all()
    levels = []
    if competencies:
        levels = [(lv.level, lv.label_fr, lv.label_en) for lv in competencies[0].framework.levels]
    return SessionDetail(
        summary,
        ts.module_id,
        ts.module.hours,
        ts.site_id,
        [(p.id, p.full_name) for p in ts.trainers],
        participants,
        [CompetencyColumn(c.id, c.code, c.label_fr, c.label_en) for c in competencies],
        levels,
    )


@dataclass(frozen=True)
class SessionDraft:
    """A session to create (``id`` None) or to change."""

    #: Session id, or ``None`` for a new one.
    id: int | None
    #: Module delivered.
    module_id: int
    #: Site where it takes place.
    site_id: int
    #: First day.
    starts_on: date
    #: Last day.
    ends_on: date
    #: Trainers running it.
    trainer_ids: frozenset[int]
    #: Participants.
    participant_ids: frozenset[int]


def save_session(session: Session, actor: Actor, draft: SessionDraft) -> int:
    """Create or change a session with its trainers and participants; return its id.

    New participants must work at the session's site or a centre attached to it, within
    the actor's scope (see :func:`authorize_participants`); a trainer cannot be a participant.
    Removing a participant deletes their attendance and keeps their assessments.
    """
    if draft.id is None:
        authorize_site(session, actor, Action.MANAGE_SESSION, draft.site_id)
    else:
        authorize_session(session, actor, Action.MANAGE_SESSION, draft.id)
        authorize_site(session, actor, Action.MANAGE_SESSION, draft.site_id)
    if draft.ends_on < draft.starts_on:
        raise CertifyError(
            f"la session se termine le {written_date(draft.ends_on, 'fr')}, avant de commencer "
            f"(le {written_date(draft.starts_on, 'fr')})",
            f"the session ends on {written_date(draft.ends_on, 'en')}, before it starts "
            f"(on {written_date(draft.starts_on, 'en')})",
        )
    if not draft.trainer_ids:
        raise CertifyError(
            "une session doit avoir au moins un formateur", "a session needs at least one trainer"
        )
    if both := draft.trainer_ids & draft.participant_ids:
        name = session.get_one(Person, min(both)).full_name
        raise CertifyError(
            f"{name} ne peut pas à la fois former et participer",
            f"{name} cannot both train and take part",
        )
    if draft.id is None:
        ts = TrainingSession(
            module_id=draft.module_id,
            site_id=draft.site_id,
            starts_on=draft.starts_on,
            ends_on=draft.ends_on,
        )
        authorize_participants(session, actor, draft.site_id, draft.participant_ids)
        session.add(ts)
        session.flush()
        before = None
        current: set[int] = set()
    else:
        ts = session.get(TrainingSession, draft.id)
        assert ts is not None
        current = set(
            session.scalars(select(Attendance.person_id).where(Attendance.session_id == ts.id))
        )
        authorize_participants(session, actor, draft.site_id, draft.participant_ids, current)
        before = {
            "module_id": ts.module_id,
            "site_id": ts.site_id,
            "starts_on": ts.starts_on,
            "ends_on": ts.ends_on,
            "participants": sorted(current),
        }
        ts.module_id, ts.site_id = draft.module_id, draft.site_id
        ts.starts_on, ts.ends_on = draft.starts_on, draft.ends_on
    session.execute(delete(SessionTrainer).where(SessionTrainer.session_id == ts.id))
    session.add_all(SessionTrainer(session_id=ts.id, person_id=p) for p in draft.trainer_ids)
    session.execute(
        delete(Attendance).where(
            Attendance.session_id == ts.id, Attendance.person_id.not_in(draft.participant_ids)
        )
    )
    session.add_all(
        Attendance(session_id=ts.id, person_id=p, hours_present=Decimal(0))
        for p in draft.participant_ids - current
    )
    session.flush()
    after = {
        "module_id": draft.module_id,
        "site_id": draft.site_id,
        "starts_on": draft.starts_on,
        "ends_on": draft.ends_on,
        "trainers": sorted(draft.trainer_ids),
        "participants": sorted(draft.participant_ids),
    }
    action = "session.created" if before is None else "session.changed"
    record(session, actor.person_id, Change(action, "training_session", ts.id, before, after))
    return ts.id


@dataclass(frozen=True)
class StaffHit:
    """A staff member found by a search."""

    #: Person id.
    id: int
    #: Full name.
    name: str
    #: E-mail.
    email: str
    #: Site code.
    site_code: str


def search_staff(
    session: Session,
    actor: Actor,
    text: str,
    today: date,
    site_id: int | None = None,
    limit: int = 20,
) -> list[StaffHit]:
    """Staff active ``today`` whose name or e-mail contains ``text``, within what the actor
    may see.

    With ``site_id``: that site and the centres attached to it.
    """
    pattern = f"%{text.strip()}%"
    query = (
        select(Person.id, Person.given_name + " " + Person.family_name, Person.email, Site.code)
        .join(Site, Site.id == Person.site_id)
        .where(
            or_(
                (Person.given_name + " " + Person.family_name).ilike(pattern),
                Person.email.ilike(pattern),
            ),
            active_on(today),
        )
        .order_by(Person.family_name, Person.given_name)
        .limit(limit)
    )
    if site_id is not None:
        query = query.where(Scope.sites(site_id).site_filter())
    if not actor.is_admin:
        seen = actor.coordinator_scope or (
            Scope.sites(actor.site_id) if actor.site_id is not None else None
        )
        if seen is None:
            return []
        query = query.where(seen.site_filter())
    return [StaffHit(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class GridCell:
    """The level already recorded for a participant on a competency in a session."""

    #: Assessment id.
    assessment_id: int
    #: Level given.
    level: int
    #: How it was assessed.
    method: AssessmentMethod
    #: Evidence or note.
    evidence: str


def grid_levels(
    session: Session, actor: Actor, training_session_id: int
) -> dict[tuple[int, int], GridCell]:
    """(person, competency) → the latest standing assessment made in this session."""
    authorize_session(session, actor, Action.RECORD_ATTENDANCE, training_session_id)
    correction = aliased(Assessment)
    rows = session.scalars(
        select(Assessment)
        .outerjoin(correction, correction.supersedes_id == Assessment.id)
        .where(Assessment.session_id == training_session_id, correction.id.is_(None))
        .order_by(Assessment.assessed_on, Assessment.recorded_at, Assessment.id)
    )
    return {
        (a.person_id, a.competency_id): GridCell(a.id, a.level, a.method, a.evidence) for a in rows
    }


def person_card(session: Session, actor: Actor, person_id: int) -> StaffHit:
    """Name, e-mail and site of one person the actor may see."""
    authorize_person(session, actor, Action.VIEW_PERSON, person_id)
    row = session.execute(
        select(Person.id, Person.given_name + " " + Person.family_name, Person.email, Site.code)
        .join(Site, Site.id == Person.site_id)
        .where(Person.id == person_id)
    ).one()
    return StaffHit(*row)
