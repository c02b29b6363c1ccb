"""The standings cache: the rules' answer for the whole network, kept up to date.

Counting a network of 50,000 staff by the rules (:func:`certify.rules.progress.standings`)
ranks a million assessments: seconds. The dashboard and the issuing queue read the same
answer from :class:`~certify.model.CachedStanding` instead, when it is *current*: of
the day asked for, and having seen every audit event. :func:`refresh` brings it up to
date: for the persons the new events touch when it can tell who they are (an
assessment, attendance or certificate of theirs), for the whole network otherwise (a new
day, an import, a change of reference data). Reads never write: a stale cache is
simply not used, and the rules answer live.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, Subquery, delete, func, insert, select, true
from sqlalchemy.orm import Session

from certify.model import (
    Assessment,
    Attendance,
    AuditEvent,
    CachedStanding,
    Certificate,
    Site,
    StandingsCacheState,
)
from certify.rules.progress import People, standings
from certify.rules.scope import Scope

#: Above this many persons touched, the whole network is computed again (one big query
#: beats a huge list of ids).
MOST_PEOPLE = 2000
#: Audit actions that touch no standing at all.
NEUTRAL_ACTIONS = frozenset(
    {
        "account.created",
        "account.password_changed",
        "account.disabled",
        "account.enabled",
        "person.roles_changed",
        "session.created",
        "person.reminders_changed",
        "person.pseudonymised",
        "reminder.sent",
    }
)
#: Audit actions whose event names one assessment (its id).
ASSESSMENT_ACTIONS = frozenset({"assessment.recorded", "assessment.corrected"})
#: Audit actions whose event names one certificate (its serial).
CERTIFICATE_ACTIONS = frozenset(
    {"certificate.issued", "certificate.overridden", "certificate.revoked", "certificate.reissued"}
)


class RefreshKind(enum.StrEnum):
    """How much of the cache a refresh computed again."""

    #: Nothing: it was current.
    NONE = "none"
    #: The persons touched since the last refresh.
    PEOPLE = "people"
    #: The whole network.
    FULL = "full"


@dataclass(frozen=True)
class Refresh:
    """What :func:`refresh` did."""

    #: How much it computed again.
    kind: RefreshKind
    #: Persons computed again (every active person for a full refresh: their rows).
    people: int


def _newest_event(session: Session) -> int:
    """Id of the newest audit event (0 when there is none)."""
    return session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0


def is_current(session: Session, as_of: date) -> bool:
    """Whether the cache is of ``as_of`` and has seen every audit event."""
    state = session.get(StandingsCacheState, 1)
    return (
        state is not None and state.as_of == as_of and state.last_event_id == _newest_event(session)
    )


def _ints(keys: Iterable[str]) -> list[int] | None:
    """The keys as ids (``None`` if one is not a number)."""
    try:
        return [int(key) for key in keys]
    except ValueError:
        return None


def touched_people(session: Session, after_event_id: int) -> set[int] | None:
    """The persons whose standing the audit events after ``after_event_id`` may change.

    ``None`` when an event may change anybody's (imports, reference data, a new network)
    or names what cannot be traced to persons.
    """
    events = session.execute(
        select(AuditEvent.action, AuditEvent.entity_key).where(AuditEvent.id > after_event_id)
    ).all()
    assessments, serials, sessions, people = set(), set(), set(), set()
    for action, key in events:
        if action in NEUTRAL_ACTIONS:
            continue
        if action in ASSESSMENT_ACTIONS:
            assessments.add(key)
        elif action in CERTIFICATE_ACTIONS:
            serials.add(key)
        elif action == "attendance.recorded":
            people.add(key.partition("/")[2])
        elif action == "session.changed":
            sessions.add(key)
        else:
            return None
    ids = [_ints(keys) for keys in (assessments, sessions, people)]
    if any(found is None for found in ids):
        return None
    assessment_ids, session_ids, person_ids = (found or [] for found in ids)
    touched = set(person_ids)
    for query in (
        select(Assessment.person_id).where(Assessment.id.in_(assessment_ids)),
        select(Attendance.person_id).where(Attendance.session_id.in_(session_ids)),
        select(Certificate.person_id).where(Certificate.serial.in_(sorted(serials))),
    ):
        touched.update(session.scalars(query))
    return touched


def _compute(session: Session, as_of: date, people: Collection[int] | None) -> int:
    """Replace the rows of ``people`` (everybody when ``None``) by the rules' answer."""
    wipe = delete(CachedStanding)
    if people is not None:
        wipe = wipe.where(CachedStanding.person_id.in_(sorted(people)))
    session.execute(wipe)
    standing = standings(session, as_of, Scope.network(), people=people)
    columns = ("person_id", "programme_id", "site_id", "status", "valid_until", "missing")
    session.execute(
        insert(CachedStanding).from_select(columns, select(*(standing.c[name] for name in columns)))
    )
    return len(people) if people is not None else _count_people(session)


def _count_people(session: Session) -> int:
    """Persons with rows in the cache."""
    return session.scalar(select(func.count(func.distinct(CachedStanding.person_id)))) or 0


def refresh(session: Session, as_of: date) -> Refresh:
    """Bring the cache up to ``as_of`` and the newest audit event (in a write transaction).

    The state row is locked first: concurrent refreshes wait for each other, and the
    second finds nothing left to do.
    """
    state = session.get(StandingsCacheState, 1, with_for_update=True)
    if state is None:
        state = StandingsCacheState(id=1, as_of=None, last_event_id=0)
        session.add(state)
    newest = _newest_event(session)
    if state.as_of == as_of and state.last_event_id == newest:
        return Refresh(RefreshKind.NONE, 0)
    touched = touched_people(session, state.last_event_id) if state.as_of == as_of else None
    partial = touched is not None and len(touched) <= MOST_PEOPLE
    counted = _compute(session, as_of, touched if partial else None) if touched != set() else 0
    state.as_of, state.last_event_id = as_of, newest
    session.flush()
    if not partial:
        return Refresh(RefreshKind.FULL, counted)
    return Refresh(RefreshKind.PEOPLE if counted else RefreshKind.NONE, counted)


def _from_cache(
    scope: Scope, programme_ids: Collection[int] | None, people: People | None
) -> Subquery:
    """The cache's rows of the scope, programmes and persons: the columns of standings()."""
    row = CachedStanding
    in_scope = (
        true()
        if scope.is_network
        else row.site_id.in_(select(Site.id).where(scope.site_filter(Site)))
    )
    return (
        select(
            row.person_id,
            row.site_id,
            row.programme_id,
            row.status,
            row.valid_until,
            row.missing,
        )
        .where(
            in_scope,
            true() if programme_ids is None else row.programme_id.in_(sorted(programme_ids)),
            true() if people is None else row.person_id.in_(_listed(people)),
        )
        .subquery("standing")
    )


def _listed(people: People) -> Select[int] | list[int]:
    """Persons as SQL can take them: the SELECT as it is, ids sorted."""
    return people if isinstance(people, Select) else sorted(people)


def standing_rows(
    session: Session,
    as_of: date,
    scope: Scope,
    programme_ids: Collection[int] | None = None,
    *,
    people: People | None = None,
) -> Subquery:
    """:func:`certify.rules.progress.standings`, read from the cache when it is current."""
    if is_current(session, as_of):
        return _from_cache(scope, programme_ids, people)
    return standings(session, as_of, scope, programme_ids, people=people)
