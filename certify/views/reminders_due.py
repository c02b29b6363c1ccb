"""What ``certify remind`` reads: the certificates a reminder may be due for, what was
already recorded of them, and the coordinators of each site (set-based, a query each).

Which threshold is due is :func:`certify.rules.reminders.due`'s to say.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from certify.access.narrowing import active_on
from certify.model import (
    Certificate,
    CertificateState,
    CoordinatorScope,
    ExpiryReminder,
    Person,
    PersonRole,
    Programme,
    RecipientKind,
    Role,
    Site,
)
from certify.rules.reminder_messages import ReminderItem
from certify.rules.reminders import window
from certify.rules.wording import Lang, as_lang


@dataclass(frozen=True)
class Recipient:
    """A person written to."""

    #: Their id.
    person_id: int
    #: Their given name (the greeting).
    given_name: str
    #: Their e-mail address.
    email: str
    #: The language they are written to in (``Person.lang``).
    lang: Lang = "fr"


@dataclass(frozen=True)
class Candidate:
    """A certificate a reminder may be due for, with what was recorded of it."""

    #: The certificate, as the messages word it.
    item: ReminderItem
    #: The holder.
    holder: Recipient
    #: The holder's site.
    site_id: int
    #: Thresholds already recorded (sent or passed over), by kind of recipient.
    recorded: dict[RecipientKind, frozenset[int]]


def candidates(
    session: Session,
    as_of: date,
    thresholds: Collection[int],
    within: ColumnElement[bool] | None = None,
) -> list[Candidate]:
    """Standing certificates (issued, neither revoked nor superseded) of active staff, each
    the one of its holder and programme ending last, whose last valid day is within the
    thresholds' window of ``as_of`` (of the holders ``within`` selects, SQL on ``Person``,
    when given)."""
    earliest, latest = window(as_of, thresholds)
    last_first = func.row_number().over(
        partition_by=(Certificate.person_id, Certificate.programme_id),
        order_by=(Certificate.valid_until.desc(), Certificate.id.desc()),
    )
    ranked = (
        select(Certificate.id, last_first.label("rank"))
        .where(Certificate.state == CertificateState.ISSUED)
        .subquery("ranked")
    )
    rows = session.execute(
        select(
            Certificate.id,
            Certificate.serial,
            Certificate.valid_until,
            Person.id.label("person_id"),
            Person.given_name,
            Person.family_name,
            Person.email,
            Person.reminders_off,
            Person.lang,
            Site.id.label("site_id"),
            Site.code.label("site_code"),
            Programme.code.label("programme_code"),
            Programme.title_fr,
            Programme.title_en,
        )
        .select_from(ranked)
        .join(Certificate, Certificate.id == ranked.c.id)
        .join(Person, Person.id == Certificate.person_id)
        .join(Site, Site.id == Person.site_id)
        .join(Programme, Programme.id == Certificate.programme_id)
        .where(
            ranked.c.rank == 1,
            Certificate.valid_until.between(earliest, latest),
            active_on(as_of),
            true() if within is None else within,
        )
        .order_by(Certificate.valid_until, Certificate.id)
    ).all()
    recorded: dict[int, dict[RecipientKind, set[int]]] = defaultdict(lambda: defaultdict(set))
    ids = [row.id for row in rows]
    if ids:
        for certificate_id, threshold, kind in session.execute(
            select(
                ExpiryReminder.certificate_id,
                ExpiryReminder.threshold_days,
                ExpiryReminder.recipient_kind,
            ).where(ExpiryReminder.certificate_id.in_(ids))
        ):
            recorded[certificate_id][RecipientKind(kind)].add(threshold)
    return [
        Candidate(
            ReminderItem(
                certificate_id=row.id,
                serial=row.serial,
                holder_id=row.person_id,
                holder_name=f"{row.given_name} {row.family_name}",
                site_code=row.site_code,
                programme_code=row.programme_code,
                title_fr=row.title_fr,
                title_en=row.title_en,
                valid_until=row.valid_until,
                days_left=(row.valid_until - as_of).days,
                reminders_off=row.reminders_off,
            ),
            Recipient(row.person_id, row.given_name, row.email, as_lang(row.lang)),
            row.site_id,
            {kind: frozenset(found) for kind, found in recorded[row.id].items()},
        )
        for row in rows
    ]


def coordinators_of(
    session: Session, site_ids: Collection[int], as_of: date
) -> dict[int, list[Recipient]]:
    """The active coordinators whose scope covers each of ``site_ids`` (a site covered
    brings its centres; no scope row: their own site, as :func:`load_actor` reads it)."""
    if not site_ids:
        return {}
    holder_site = aliased(Site, name="holder_site")
    coordinator = aliased(Person, name="coordinator")
    any_row = aliased(CoordinatorScope, name="any_scope")
    has_rows = select(any_row.id).where(any_row.person_id == coordinator.id)
    covered_site = or_(
        holder_site.id == CoordinatorScope.site_id,
        holder_site.parent_id == CoordinatorScope.site_id,
    )
    by_rows = and_(
        CoordinatorScope.id.is_not(None),
        or_(
            and_(CoordinatorScope.site_id.is_(None), CoordinatorScope.region_id.is_(None)),
            covered_site,
            holder_site.region_id == CoordinatorScope.region_id,
        ),
    )
    own_site = and_(
        ~has_rows.exists(),
        or_(holder_site.id == coordinator.site_id, holder_site.parent_id == coordinator.site_id),
    )
    rows = session.execute(
        select(holder_site.id, coordinator.id, coordinator.given_name, coordinator.email)
        .distinct()
        .select_from(holder_site)
        .join(coordinator, true())
        .join(
            PersonRole,
            and_(PersonRole.person_id == coordinator.id, PersonRole.role == Role.COORDINATOR),
        )
        .outerjoin(CoordinatorScope, CoordinatorScope.person_id == coordinator.id)
        .where(
            holder_site.id.in_(sorted(site_ids)),
            coordinator.active_from <= as_of,
            or_(coordinator.active_until.is_(None), coordinator.active_until >= as_of),
            or_(by_rows, own_site),
        )
        .order_by(holder_site.id, coordinator.id)
    ).all()
    found: dict[int, list[Recipient]] = defaultdict(list)
    for site_id, person_id, given_name, email in rows:
        found[site_id].append(Recipient(person_id, given_name, email))
    return dict(found)
