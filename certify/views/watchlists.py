"""What a coordinator watches: certificates expiring soon, and people to certify.

Both lists cover the actor's scope narrowed by the dashboard's filters and are paged in
SQL; the issuing queue is the list :func:`certify.services.issuance.issue_batch` is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from certify.access.narrowing import DashboardFilters, active_on, coordinator_view
from certify.access.permissions import Actor
from certify.model import Certificate, Person, Programme, Site
from certify.rules.explanation import PersonRef, ProgrammeRef
from certify.rules.holdings import stands_on
from certify.rules.progress import ProgressRow, ProgressStatus, issuable, progress
from certify.rules.scope import Scope
from certify.store.paging import Page, fetch_page
from certify.store.standings_cache import standing_rows
from certify.views.references import person_columns, person_ref, programme_columns, programme_ref

#: The horizons the expiring list is offered with, in days.
HORIZONS = (30, 90, 180)


@dataclass(frozen=True)
class ExpiringLine:
    """A person whose certification ends within the horizon."""

    #: The holder.
    person: PersonRef
    #: The programme.
    programme: ProgrammeRef
    #: Serial of the certificate ending last.
    serial: str
    #: Its last valid day.
    valid_until: date
    #: Days from the day asked to the last valid day (0: ends that day).
    days_left: int
    #: Requirements of a renewal not met on the day asked.
    missing: int
    #: Whether a renewal may be issued on the day asked (eligible, window open).
    renewable: bool


def expiring(
    session: Session,
    actor: Actor,
    as_of: date,
    within_days: int,
    filters: DashboardFilters | None = None,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> Page[ExpiringLine]:
    """Active staff whose certification ends in ``[as_of, as_of + within_days]``, soonest first.

    A person's certification ends with the standing certificate ending last (a renewal
    already issued takes them off the list), as in :mod:`certify.rules.progress`.
    """
    view = coordinator_view(actor, filters or DashboardFilters())
    last_first = func.row_number().over(
        partition_by=(Certificate.person_id, Certificate.programme_id),
        order_by=(Certificate.valid_until.desc(), Certificate.id.desc()),
    )
    holders = select(Person.id).where(view.person_condition(), active_on(as_of))
    ranked = select(Certificate.id, Certificate.valid_until, last_first.label("rank")).where(
        stands_on(as_of), Certificate.person_id.in_(holders)
    )
    if view.programme_ids is not None:
        ranked = ranked.where(Certificate.programme_id.in_(view.programme_ids))
    last = ranked.subquery("last_certificate")
    rows, total = fetch_page(
        session,
        select(*person_columns(), *programme_columns(), Certificate.serial, last.c.valid_until)
        .select_from(last)
        .join(Certificate, Certificate.id == last.c.id)
        .join(Person, Person.id == Certificate.person_id)
        .join(Site, Site.id == Person.site_id)
        .join(Programme, Programme.id == Certificate.programme_id)
        .where(
            last.c.rank == 1,
            last.c.valid_until.between(as_of, as_of + timedelta(days=within_days)),
        )
        .order_by(
            last.c.valid_until,
            Person.family_name,
            Person.given_name,
            Person.id,
            Programme.code,
        ),
        offset,
        limit,
    )
    standing = {
        (row.person_id, row.programme_id): row
        for row in progress(
            session,
            as_of,
            Scope.network(),
            {row.programme_id for row in rows},
            people={row.person_id for row in rows},
        )
    }
    lines = (_expiring(row, standing[row.person_id, row.programme_id], as_of) for row in rows)
    return Page(tuple(lines), total, offset, limit)


def _expiring(row: Row[Any], renewal: ProgressRow, as_of: date) -> ExpiringLine:
    """The line of a certificate ending soon, with where its holder stands for a renewal."""
    return ExpiringLine(
        person=person_ref(row),
        programme=programme_ref(row),
        serial=row.serial,
        valid_until=row.valid_until,
        days_left=(row.valid_until - as_of).days,
        missing=renewal.missing,
        renewable=renewal.issuable,
    )


@dataclass(frozen=True)
class QueueLine:
    """A person who may be issued a certificate on the day, without an override."""

    #: The person.
    person: PersonRef
    #: The programme to certify.
    programme: ProgrammeRef
    #: Eligible (no valid certificate) or in the renewal window of a valid one.
    status: ProgressStatus
    #: Last valid day of the certificate being renewed, if any.
    valid_until: date | None


def eligible_queue(
    session: Session,
    actor: Actor,
    as_of: date,
    filters: DashboardFilters | None = None,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> Page[QueueLine]:
    """Everyone of the view a certificate may be issued to on ``as_of``.

    By programme, site and name: the same persons as
    :func:`certify.services.issuance.batch_candidates`, filtered in SQL.
    """
    view = coordinator_view(actor, filters or DashboardFilters())
    standing = standing_rows(session, as_of, view.scope, view.programme_ids, people=view.people)
    rows, total = fetch_page(
        session,
        select(*person_columns(), *programme_columns(), standing.c.status, standing.c.valid_until)
        .select_from(standing)
        .join(Person, Person.id == standing.c.person_id)
        .join(Site, Site.id == Person.site_id)
        .join(Programme, Programme.id == standing.c.programme_id)
        .where(issuable(standing))
        .order_by(Programme.code, Site.code, Person.family_name, Person.given_name, Person.id),
        offset,
        limit,
    )
    lines = (
        QueueLine(person_ref(row), programme_ref(row), ProgressStatus(row.status), row.valid_until)
        for row in rows
    )
    return Page(tuple(lines), total, offset, limit)
