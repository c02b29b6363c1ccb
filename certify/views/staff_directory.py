"""The coordinator's staff list: filtered, searched as you type and paged in SQL.

Statuses are read for the persons of the page only, in one query; a status filter
is the one case that needs the statuses of the whole view (in SQL, never in Python). An
export reads the whole list's statuses in one query (:func:`staff_lines`).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, Subquery, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from certify.access.narrowing import CoordinatorView, DashboardFilters, Presence, coordinator_view
from certify.access.permissions import Actor
from certify.model import Organisation, Person, PersonRole, Role, Site
from certify.rules.explanation import PersonRef, ProgrammeRef
from certify.rules.progress import People, ProgressStatus
from certify.rules.scope import Scope
from certify.store.paging import Page, fetch_page
from certify.store.standings_cache import standing_rows
from certify.store.text_search import contains_words
from certify.views.certificate_lines import CertificateLine, people_certificates
from certify.views.references import in_role_order, person_columns, person_ref, programme_refs


class StaffOrder(enum.StrEnum):
    """How the staff list is sorted."""

    #: Family name, then given name.
    NAME = "name"
    #: Site code, then name.
    SITE = "site"
    #: E-mail address.
    EMAIL = "email"


#: The columns each order sorts on; the person's id last, so pages never overlap.
ORDERS: dict[StaffOrder, tuple[InstrumentedAttribute[Any], ...]] = {
    StaffOrder.NAME: (Person.family_name, Person.given_name, Person.id),
    StaffOrder.SITE: (Site.code, Person.family_name, Person.given_name, Person.id),
    StaffOrder.EMAIL: (Person.email, Person.id),
}


@dataclass(frozen=True)
class StaffQuery:
    """What the staff list shows: filters, search, page and order."""

    #: Words to find in the name or e-mail, whatever their case and accents.
    text: str = ""
    #: Only this site and its centres.
    site_id: int | None = None
    #: Only the sites of this region.
    region_id: int | None = None
    #: With ``status``: the programme the status is on (``None``: any programme).
    programme_id: int | None = None
    #: Only the persons standing so on the programme.
    status: ProgressStatus | None = None
    #: Only the staff of this employer.
    employer_id: int | None = None
    #: Those active on the day (the default), those who have left, or both.
    presence: Presence = Presence.CURRENT
    #: Lines skipped before the page.
    offset: int = 0
    #: Lines per page.
    limit: int = 50
    #: Sort order.
    order: StaffOrder = StaffOrder.NAME

    @property
    def filters(self) -> DashboardFilters:
        """The filters shared with the dashboard."""
        return DashboardFilters(self.region_id, self.site_id, self.programme_id, self.employer_id)


@dataclass(frozen=True)
class StatusCell:
    """Where a person of the list stands on one programme."""

    #: The programme.
    programme: ProgrammeRef
    #: Where the person stands.
    status: ProgressStatus
    #: Last valid day of the certificate ending last, if any.
    valid_until: date | None
    #: Requirements not met.
    missing: int


@dataclass(frozen=True)
class StaffLine:
    """One staff member of the list."""

    #: Name, e-mail and site.
    person: PersonRef
    #: Employer's name, when known.
    employer: str | None
    #: Roles held, in the order of :class:`Role`.
    roles: tuple[Role, ...]
    #: One cell per programme, by programme code.
    statuses: tuple[StatusCell, ...]
    #: Given name and family name, as the staff import reads them.
    given_name: str
    family_name: str
    #: First and last day of activity (``None``: still active).
    active_from: date
    active_until: date | None
    #: The language they are written to in (``fr`` or ``en``).
    lang: str = "fr"
    #: Their last day of activity, when it is past: they have left the network.
    left_on: date | None = None
    #: Their certificates, newest first.
    certificates: tuple[CertificateLine, ...] = ()

    def status_on(self, programme_id: int) -> StatusCell | None:
        """The cell of one programme."""
        return next((c for c in self.statuses if c.programme.id == programme_id), None)


def _conditions(
    session: Session, view: CoordinatorView, query: StaffQuery, as_of: date
) -> list[ColumnElement[bool]]:
    """SQL conditions on ``Person`` selecting the list's persons."""
    conditions = [view.person_condition(), query.presence.condition(as_of)]
    searched = Person.given_name + " " + Person.family_name + " " + Person.email
    dialect = session.get_bind().dialect.name
    if (found := contains_words(searched, query.text, dialect)) is not None:
        conditions.append(found)
    if query.status is not None:
        standing = standing_rows(session, as_of, view.scope, view.programme_ids, people=view.people)
        conditions.append(
            Person.id.in_(
                select(standing.c.person_id).where(standing.c.status == query.status.value)
            )
        )
    return conditions


def _listing(conditions: list[ColumnElement[bool]], order: StaffOrder) -> Select[Any]:
    """The list's persons with their site and employer, sorted."""
    return (
        select(
            *person_columns(),
            Organisation.name.label("employer"),
            Person.given_name,
            Person.family_name,
            Person.active_from,
            Person.active_until,
            Person.lang,
        )
        .join(Site, Site.id == Person.site_id)
        .outerjoin(Organisation, Organisation.id == Person.employer_id)
        .where(*conditions)
        .order_by(*ORDERS[order])
    )


def _lines(
    session: Session,
    rows: Sequence[Row[Any]],
    people: People,
    standing: Subquery,
    as_of: date,
) -> tuple[StaffLine, ...]:
    """The lines of ``rows`` (from :func:`_listing`), whose persons ``people`` selects.

    Three queries: their roles, their statuses in ``standing`` (rows of other persons in it
    are left out), their certificates.
    """
    roles: dict[int, list[Role]] = defaultdict(list)
    for person_id, role in session.execute(
        select(PersonRole.person_id, PersonRole.role).where(PersonRole.person_id.in_(people))
    ):
        roles[person_id].append(role)
    programmes = {programme.id: programme for programme in programme_refs(session)}
    cells: dict[int, list[StatusCell]] = defaultdict(list)
    for person_id, programme_id, status, valid_until, missing in session.execute(
        select(
            standing.c.person_id,
            standing.c.programme_id,
            standing.c.status,
            standing.c.valid_until,
            standing.c.missing,
        )
    ):
        cell = StatusCell(programmes[programme_id], ProgressStatus(status), valid_until, missing)
        cells[person_id].append(cell)
    certificates = people_certificates(session, people, as_of)
    return tuple(
        StaffLine(
            person_ref(row),
            row.employer,
            in_role_order(roles[row.person_id]),
            tuple(sorted(cells[row.person_id], key=lambda cell: cell.programme.code)),
            row.given_name,
            row.family_name,
            row.active_from,
            row.active_until,
            row.lang,
            row.active_until if row.active_until and row.active_until < as_of else None,
            certificates.get(row.person_id, ()),
        )
        for row in rows
    )


def staff_page(
    session: Session, actor: Actor, as_of: date, query: StaffQuery | None = None
) -> Page[StaffLine]:
    """One page of the staff active on ``as_of`` (or who left before, as the query says) in
    the actor's view, with their statuses and certificates.

    A fixed number of queries: the page with its total, the page's roles, its statuses, its
    certificates.
    """
    query = query or StaffQuery()
    view = coordinator_view(actor, query.filters)
    conditions = _conditions(session, view, query, as_of)
    rows, total = fetch_page(session, _listing(conditions, query.order), query.offset, query.limit)
    ids = [row.person_id for row in rows]
    standing = standing_rows(session, as_of, Scope.network(), people=ids)
    lines = _lines(session, rows, ids, standing, as_of)
    return Page(lines, total, query.offset, query.limit)


def staff_lines(
    session: Session, actor: Actor, as_of: date, query: StaffQuery | None = None
) -> tuple[StaffLine, ...]:
    """Every line of the staff list of ``query``, its page ignored: for an export.

    The statuses of the whole view are read in one query, as the dashboard counts them
    (page by page, 50,000 persons would take minutes).
    """
    query = query or StaffQuery()
    view = coordinator_view(actor, query.filters)
    conditions = _conditions(session, view, query, as_of)
    rows = session.execute(_listing(conditions, query.order)).all()
    standing = standing_rows(session, as_of, view.scope, people=view.people)
    return _lines(session, rows, select(Person.id).where(*conditions), standing, as_of)
