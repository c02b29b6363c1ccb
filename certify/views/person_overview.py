"""Everything a coordinator sees of one person: who, where, standings, certificates, assessments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, authorize_person
from certify.errors import NotFound
from certify.model import Organisation, Person, PersonRole, Region, Role, Site
from certify.rules.explanation import PersonRef
from certify.views.assessment_history import HistoryLine, history
from certify.views.certificate_lines import CertificateLine, person_certificates
from certify.views.my_progress import person_standings
from certify.views.references import in_role_order, person_columns, person_ref
from certify.views.standing import Standing

#: Assessments an overview shows, newest first.
RECENT_ASSESSMENTS = 20


@dataclass(frozen=True)
class PersonOverview:
    """One person's page."""

    #: Name, e-mail and site.
    person: PersonRef
    #: The site's region.
    region: str
    #: Employer's name, when known.
    employer: str | None
    #: Roles held, in the order of :class:`Role`.
    roles: tuple[Role, ...]
    #: First day of activity.
    active_from: date
    #: Last day of activity, if the person has left.
    active_until: date | None
    #: Every programme's standing with its explanation, by programme code.
    standings: tuple[Standing, ...]
    #: Certificates, newest first.
    certificates: tuple[CertificateLine, ...]
    #: The latest assessments (at most :data:`RECENT_ASSESSMENTS`), newest first.
    assessments: tuple[HistoryLine, ...]


def person_overview(
    session: Session, actor: Actor, person_id: int, as_of: date, recent: int = RECENT_ASSESSMENTS
) -> PersonOverview:
    """One person's page on ``as_of``, for someone allowed to see their records."""
    authorize_person(session, actor, Action.VIEW_PERSON, person_id)
    row = session.execute(
        select(
            *person_columns(),
            Region.name.label("region"),
            Organisation.name.label("employer"),
            Person.active_from,
            Person.active_until,
        )
        .join(Site, Site.id == Person.site_id)
        .join(Region, Region.id == Site.region_id)
        .outerjoin(Organisation, Organisation.id == Person.employer_id)
        .where(Person.id == person_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"aucune personne n° {person_id}", f"no person with id {person_id}")
    roles = session.scalars(select(PersonRole.role).where(PersonRole.person_id == person_id))
    return PersonOverview(
        person=person_ref(row),
        region=row.region,
        employer=row.employer,
        roles=in_role_order(roles),
        active_from=row.active_from,
        active_until=row.active_until,
        standings=tuple(person_standings(session, person_id, as_of)),
        certificates=tuple(person_certificates(session, person_id, as_of)),
        assessments=tuple(history(session, actor, person_id, as_of)[:recent]),
    )
