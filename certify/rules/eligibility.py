"""Programme eligibility of one person as of a date, explained requirement by requirement.

Eligible means: every required competency at its minimum level (see
:mod:`certify.rules.competencies`), every required module completed and within its
refresh period (:mod:`certify.rules.modules`), every prerequisite certificate held on
the day and for its minimum time (:mod:`certify.rules.holdings`), and the person active
on the day (``active_from`` ≤ day ≤ ``active_until``, the latter if set).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, joinedload

from certify.errors import NotFound
from certify.model import (
    Competency,
    Domain,
    Module,
    Person,
    Programme,
    ProgrammeCompetency,
    ProgrammeModule,
    ProgrammePrerequisite,
    ScaleLevel,
)
from certify.rules.competencies import CompetencyStatus, competency_statuses
from certify.rules.dates import add_months
from certify.rules.evidence import (
    ActivityEvidence,
    AttendanceEvidence,
    AttendanceRule,
    CertificateEvidence,
    Finding,
    HoldingRule,
    LevelRef,
    RequirementKind,
)
from certify.rules.explanation import Explanation, PersonRef, ProgrammeRef, Requirement, SiteRef
from certify.rules.holdings import holdings
from certify.rules.modules import ModuleStatus, module_statuses


def explain(session: Session, person_id: int, programme_id: int, as_of: date) -> Explanation:
    """Whether the person is eligible for the programme on ``as_of``, line by line."""
    explanations = explain_many(session, [person_id], programme_id, as_of)
    if person_id not in explanations:
        raise NotFound(f"aucune personne n° {person_id} / no person with id {person_id}")
    return explanations[person_id]


def explain_many(
    session: Session, person_ids: Collection[int], programme_id: int, as_of: date
) -> dict[int, Explanation]:
    """:func:`explain` for many people at once, in a fixed number of queries.

    People that do not exist are left out of the result.
    """
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(f"aucun programme n° {programme_id} / no programme with id {programme_id}")
    people = session.scalars(
        select(Person).where(Person.id.in_(sorted(person_ids))).options(joinedload(Person.site))
    ).all()
    ids = [person.id for person in people]
    competencies = _competency_lines(session, ids, programme_id, as_of)
    modules = _module_lines(session, ids, programme_id, as_of)
    prerequisites = _prerequisite_lines(session, ids, programme_id, as_of)
    programme_ref = ProgrammeRef(
        programme.id, programme.code, programme.title_fr, programme.title_en
    )
    return {
        person.id: Explanation(
            person=PersonRef(
                person.id,
                person.full_name,
                person.email,
                SiteRef(person.site.id, person.site.code, person.site.name),
            ),
            programme=programme_ref,
            as_of=as_of,
            requirements=(
                *competencies(person.id),
                *modules(person.id),
                *prerequisites(person.id),
                _active_line(person, as_of),
            ),
        )
        for person in people
    }


#: Builds one person's lines of one kind, once the facts of everyone were loaded.
Lines = Callable[[int], list[Requirement]]


def _competency_lines(
    session: Session, person_ids: Collection[int], programme_id: int, as_of: date
) -> Lines:
    """One line per required competency, in the framework's order."""
    required = session.execute(
        select(
            Competency.id,
            Competency.code,
            Competency.label_fr,
            Competency.label_en,
            ProgrammeCompetency.min_level,
            ScaleLevel.label_fr.label("level_fr"),
            ScaleLevel.label_en.label("level_en"),
        )
        .select_from(ProgrammeCompetency)
        .join(Competency, Competency.id == ProgrammeCompetency.competency_id)
        .join(Competency.domain)
        .join(
            ScaleLevel,
            and_(
                ScaleLevel.framework_id == ProgrammeCompetency.framework_id,
                ScaleLevel.level == ProgrammeCompetency.min_level,
            ),
        )
        .where(ProgrammeCompetency.programme_id == programme_id)
        .order_by(Domain.position, Competency.position, Competency.code)
    ).all()
    statuses = competency_statuses(session, person_ids, as_of, [row.id for row in required])

    def lines(person_id: int) -> list[Requirement]:
        """The person's competency lines."""
        return [
            Requirement(
                kind=RequirementKind.COMPETENCY,
                code=row.code,
                label_fr=row.label_fr,
                label_en=row.label_en,
                finding=_competency_finding(
                    status := statuses.get((person_id, row.id)), row.min_level
                ),
                required=LevelRef(row.min_level, row.level_fr, row.level_en),
                evidence=status.assessment if status else None,
            )
            for row in required
        ]

    return lines


def _competency_finding(status: CompetencyStatus | None, min_level: int) -> Finding:
    """Whether the competency's latest assessment is valid and high enough."""
    if status is None:
        return Finding.NEVER_ASSESSED
    if status.expired:
        return Finding.ASSESSMENT_EXPIRED
    return Finding.PROFICIENT if status.reaches(min_level) else Finding.BELOW_LEVEL


def _module_lines(
    session: Session, person_ids: Collection[int], programme_id: int, as_of: date
) -> Lines:
    """One line per required module, by code."""
    modules = session.scalars(
        select(Module)
        .join(ProgrammeModule, ProgrammeModule.module_id == Module.id)
        .where(ProgrammeModule.programme_id == programme_id)
        .order_by(Module.code)
    ).all()
    statuses = module_statuses(session, person_ids, as_of, [module.id for module in modules])

    def lines(person_id: int) -> list[Requirement]:
        """The person's module lines."""
        found = [(m, _module_finding(statuses.get((person_id, m.id)))) for m in modules]
        return [
            Requirement(
                kind=RequirementKind.MODULE,
                code=module.code,
                label_fr=module.title_fr,
                label_en=module.title_en,
                finding=finding,
                required=AttendanceRule(module.min_attendance_percent, module.hours),
                evidence=evidence,
            )
            for module, (finding, evidence) in found
        ]

    return lines


def _module_finding(status: ModuleStatus | None) -> tuple[Finding, AttendanceEvidence | None]:
    """The module's finding and the attendance it rests on."""
    if status is None:
        return Finding.NEVER_ATTENDED, None
    if status.completion is None:
        return Finding.PARTIAL_ATTENDANCE, status.latest_attempt
    return (Finding.COMPLETED if status.completed else Finding.REFRESH_EXPIRED), status.completion


def _prerequisite_lines(
    session: Session, person_ids: Collection[int], programme_id: int, as_of: date
) -> Lines:
    """One line per prerequisite programme, by code."""
    required = session.execute(
        select(
            ProgrammePrerequisite.min_held_months,
            Programme.id,
            Programme.code,
            Programme.title_fr,
            Programme.title_en,
        )
        .join(Programme, Programme.id == ProgrammePrerequisite.prerequisite_id)
        .where(ProgrammePrerequisite.programme_id == programme_id)
        .order_by(Programme.code)
    ).all()
    held = holdings(session, person_ids, [row.id for row in required], as_of)

    def lines(person_id: int) -> list[Requirement]:
        """The person's prerequisite lines."""
        found = [(row, held.get((person_id, row.id))) for row in required]
        return [
            Requirement(
                kind=RequirementKind.PREREQUISITE,
                code=row.code,
                label_fr=row.title_fr,
                label_en=row.title_en,
                finding=_prerequisite_finding(certificate, row.min_held_months, as_of),
                required=HoldingRule(row.min_held_months),
                evidence=certificate,
            )
            for row, certificate in found
        ]

    return lines


def _prerequisite_finding(
    certificate: CertificateEvidence | None, min_held_months: int, as_of: date
) -> Finding:
    """Whether the prerequisite is held on the day, and for long enough."""
    if certificate is None:
        return Finding.NOT_HELD
    if certificate.valid_until < as_of:
        return Finding.CERTIFICATE_EXPIRED
    if add_months(certificate.held_since, min_held_months) > as_of:
        return Finding.HELD_TOO_BRIEFLY
    return Finding.HELD


def _active_line(person: Person, as_of: date) -> Requirement:
    """Whether the person is active in the network on the day."""
    if as_of < person.active_from:
        finding = Finding.NOT_YET_ACTIVE
    elif person.active_until is not None and as_of > person.active_until:
        finding = Finding.LEFT
    else:
        finding = Finding.ACTIVE
    return Requirement(
        kind=RequirementKind.ACTIVE,
        code="ACTIVE",
        label_fr="Activité dans le réseau",
        label_en="Activity in the network",
        finding=finding,
        required=None,
        evidence=ActivityEvidence(person.active_from, person.active_until),
    )
