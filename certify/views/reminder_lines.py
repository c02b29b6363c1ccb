"""What a coordinator sees of the expiry reminders: the next one each certificate of their
scope will get, and those sent, most recent first (set-based, paged like the watchlists).

What is due is :func:`certify.rules.reminders.due`'s to say, on what
:func:`certify.views.reminders_due.candidates` reads; the run itself is
:mod:`certify.services.reminders`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.narrowing import DashboardFilters, coordinator_view
from certify.access.permissions import Actor
from certify.model import Certificate, ExpiryReminder, Person, Programme, RecipientKind, Site
from certify.rules.explanation import PersonRef, SiteRef
from certify.rules.reminders import DEFAULT_THRESHOLDS, due
from certify.store.paging import Page, fetch_page
from certify.views.references import person_columns, person_ref
from certify.views.reminders_due import candidates


@dataclass(frozen=True)
class DueLine:
    """The next reminder a standing certificate will get."""

    #: The holder.
    person: PersonRef
    #: The programme's code.
    programme_code: str
    #: The certificate's serial.
    serial: str
    #: Its last valid day.
    valid_until: date
    #: Days from the day asked to the last valid day (below 0: expired).
    days_left: int
    #: The threshold of the next reminder, in days before the last valid day (0: on expiry).
    threshold: int
    #: The day it goes: the day asked when it is due already (the next run sends it).
    goes_on: date
    #: Whether the holder opted out (their coordinators' digest still lists them).
    reminders_off: bool


@dataclass(frozen=True)
class SentLine:
    """A reminder sent."""

    #: The holder of the certificate.
    person: PersonRef
    #: The programme's code.
    programme_code: str
    #: The certificate's serial.
    serial: str
    #: The threshold, in days before the last valid day (0: on expiry).
    threshold: int
    #: The holder, or the coordinators' digest.
    recipient_kind: RecipientKind
    #: When the server accepted it.
    sent_at: datetime


def due_reminders(
    session: Session,
    actor: Actor,
    as_of: date,
    thresholds: Sequence[int] = DEFAULT_THRESHOLDS,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> Page[DueLine]:
    """The next reminder of each standing certificate of the actor's scope nearing its
    expiry, the soonest to go first; a threshold counts as gone once recorded for the
    holder or for the coordinators' digest. :class:`PermissionDenied` for staff."""
    view = coordinator_view(actor, DashboardFilters())
    found = candidates(session, as_of, thresholds, view.person_condition())
    site_names: dict[int, str] = {}
    if found:
        sites = select(Site.id, Site.name).where(Site.id.in_({c.site_id for c in found}))
        site_names = {site_id: name for site_id, name in session.execute(sites)}
    lines: list[DueLine] = []
    for candidate in found:
        item = candidate.item
        gone = frozenset().union(*candidate.recorded.values())
        now = due(item.days_left, thresholds, gone)
        if now is not None:
            threshold, goes_on = now.threshold, as_of
        else:
            later = [t for t in thresholds if t < item.days_left and t not in gone]
            if not later:
                continue
            threshold = max(later)
            goes_on = item.valid_until - timedelta(days=threshold)
        site = SiteRef(candidate.site_id, item.site_code, site_names.get(candidate.site_id, ""))
        lines.append(
            DueLine(
                person=PersonRef(item.holder_id, item.holder_name, candidate.holder.email, site),
                programme_code=item.programme_code,
                serial=item.serial,
                valid_until=item.valid_until,
                days_left=item.days_left,
                threshold=threshold,
                goes_on=goes_on,
                reminders_off=item.reminders_off,
            )
        )
    lines.sort(key=lambda line: (line.goes_on, line.valid_until, line.person.name, line.serial))
    end = None if limit is None else offset + limit
    return Page(tuple(lines[offset:end]), len(lines), offset, limit)


def sent_reminders(
    session: Session, actor: Actor, *, offset: int = 0, limit: int | None = None
) -> Page[SentLine]:
    """The reminders sent (not those passed over) about certificates of holders of the
    actor's scope, most recent first. :class:`PermissionDenied` for staff."""
    view = coordinator_view(actor, DashboardFilters())
    rows, total = fetch_page(
        session,
        select(
            *person_columns(),
            Programme.code.label("programme_code"),
            Certificate.serial,
            ExpiryReminder.threshold_days,
            ExpiryReminder.recipient_kind,
            ExpiryReminder.sent_at,
        )
        .select_from(ExpiryReminder)
        .join(Certificate, Certificate.id == ExpiryReminder.certificate_id)
        .join(Person, Person.id == Certificate.person_id)
        .join(Site, Site.id == Person.site_id)
        .join(Programme, Programme.id == Certificate.programme_id)
        .where(ExpiryReminder.skipped.is_(False), view.person_condition())
        .order_by(ExpiryReminder.sent_at.desc(), ExpiryReminder.id.desc()),
        offset,
        limit,
    )
    lines = (
        SentLine(
            person=person_ref(row),
            programme_code=row.programme_code,
            serial=row.serial,
            threshold=row.threshold_days,
            recipient_kind=RecipientKind(row.recipient_kind),
            sent_at=row.sent_at,
        )
        for row in rows
    )
    return Page(tuple(lines), total, offset, limit)
