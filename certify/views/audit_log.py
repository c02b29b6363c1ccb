"""The audit trail as people read it: events newest first, filtered and paged in SQL.

Admins read every event; a coordinator reads the events about the people of their scope
and their own actions; trainers and staff read none (:func:`audit_scope`). The person an
event is about is found from its entity (a person, an assessment, a certificate, an
attendance, an account: all named by id) and named as the person table names them now;
the names, e-mails and free text kept outside the hash chain are put back in its details.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from certify.access.permissions import Actor, audit_scope
from certify.errors import NotFound
from certify.model import (
    Assessment,
    Attendance,
    AuditEvent,
    AuditPersonal,
    Certificate,
    Person,
    Site,
    UserAccount,
)
from certify.rules.audit_actions import action_label
from certify.rules.wording import Wording
from certify.store.audit_personal import merge

#: Where the network's clocks are: periods and times are read and written in it.
PARIS = ZoneInfo("Europe/Paris")
#: What a reader of the trail gets of each event.
EVENT_COLUMNS = (
    AuditEvent.id,
    AuditEvent.occurred_at,
    AuditEvent.actor_id,
    AuditEvent.action,
    AuditEvent.entity_type,
    AuditEvent.entity_key,
    AuditEvent.details,
)
#: What stands for the system as an actor (``--actor system``).
SYSTEM = "system"
#: Longest payload summary, in characters.
SUMMARY_LENGTH = 80


@dataclass(frozen=True)
class AuditFilters:
    """What the reader narrows the trail to (each ``None`` or empty: no narrowing)."""

    #: Events about this person.
    person_id: int | None = None
    #: Events by this account's person; :data:`SYSTEM` for the system's.
    actor: str | None = None
    #: Events of one of these actions.
    actions: tuple[str, ...] = ()
    #: Events on or after this day (Paris time).
    since: date | None = None
    #: Events on or before this day (Paris time).
    until: date | None = None


@dataclass(frozen=True)
class AuditLine:
    """One event as the log shows it."""

    #: The event's number in the chain.
    id: int
    #: When it happened (UTC).
    occurred_at: datetime
    #: The acting person's id (``None``: the system).
    actor_id: int | None
    #: The acting account's user name (:data:`SYSTEM` for the system).
    actor: str
    #: What was done, e.g. ``assessment.recorded``.
    action: str
    #: Kind and key of the entity touched.
    entity_type: str
    entity_key: str
    #: The person the event is about, and their name now (``None``: nobody, or unknown).
    person_id: int | None
    person: str | None
    #: The payload, whole: its personal values put back, unless erased.
    details: dict[str, Any]

    @property
    def label(self) -> Wording:
        """The action in words."""
        return action_label(self.action)

    @property
    def local_time(self) -> datetime:
        """When it happened, in Paris."""
        return self.occurred_at.astimezone(PARIS)

    @property
    def summary(self) -> str:
        """The payload in one short line."""
        return summarize(self.details)


@dataclass(frozen=True)
class AuditPage:
    """One page of the log, newest first."""

    #: Its events.
    lines: tuple[AuditLine, ...]
    #: The ``before`` of the next (older) page; ``None`` when this one is the last.
    next_before: int | None


def summarize(details: dict[str, Any]) -> str:
    """``before → after`` for each value changed, then the other details, cut short."""
    before = details.get("before") or {}
    after = details.get("after") or {}
    parts: list[str] = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*after, *(k for k in before if k not in after)]:
            if key in before and key in after:
                parts.append(f"{key}: {_short(before[key])} → {_short(after[key])}")
            elif key in after:
                parts.append(f"{key}: {_short(after[key])}")
            else:
                parts.append(f"{key}: {_short(before[key])} → ∅")
    parts += [f"{k}: {_short(v)}" for k, v in details.items() if k not in ("before", "after")]
    text = ", ".join(parts)
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def _short(value: Any) -> str:
    """A value in a few characters."""
    if isinstance(value, list | dict):
        return f"[{len(value)}]"
    return str(value)


def day_start(day: date) -> datetime:
    """Midnight of ``day`` in Paris, in UTC."""
    return datetime.combine(day, time(), PARIS).astimezone(UTC)


def find_actor_id(session: Session, username: str) -> int | None:
    """The person behind the account ``username`` (``None`` for :data:`SYSTEM`)."""
    if username.strip().lower() == SYSTEM:
        return None
    person_id = session.scalar(
        select(UserAccount.person_id).where(
            func.lower(UserAccount.username) == username.strip().lower()
        )
    )
    if person_id is None:
        raise NotFound(
            f"aucun compte ne s'appelle {username!r} (donnez un nom d'utilisateur, ou system)",
            f"no account is named {username!r} (give a user name, or system)",
        )
    return person_id


def about(people: Select[int]) -> ColumnElement[bool]:
    """SQL on :class:`AuditEvent`: the event is about one of ``people`` (ids)."""
    event = AuditEvent
    return or_(
        and_(
            event.entity_type == "person",
            event.entity_key.in_(select(cast(Person.id, String)).where(Person.id.in_(people))),
        ),
        and_(
            event.entity_type == "assessment",
            event.entity_key.in_(
                select(cast(Assessment.id, String)).where(Assessment.person_id.in_(people))
            ),
        ),
        and_(
            event.entity_type == "certificate",
            event.entity_key.in_(
                select(Certificate.serial).where(Certificate.person_id.in_(people))
            ),
        ),
        and_(
            event.entity_type == "attendance",
            event.entity_key.in_(
                select(
                    cast(Attendance.session_id, String) + "/" + cast(Attendance.person_id, String)
                ).where(Attendance.person_id.in_(people))
            ),
        ),
        and_(
            event.entity_type.in_(("user_account", "account")),
            event.entity_key.in_(
                select(cast(UserAccount.id, String)).where(UserAccount.person_id.in_(people))
            ),
        ),
    )


def conditions(session: Session, actor: Actor, filters: AuditFilters) -> list[ColumnElement[bool]]:
    """The SQL conditions of what ``actor`` may read, narrowed by ``filters``."""
    scope = audit_scope(actor)
    event = AuditEvent
    where: list[ColumnElement[bool]] = []
    if scope is not None:
        in_scope = select(Person.id).where(
            Person.site_id.in_(select(Site.id).where(scope.site_filter(Site)))
        )
        where.append(or_(about(in_scope), event.actor_id == actor.person_id))
    if filters.person_id is not None:
        where.append(about(select(Person.id).where(Person.id == filters.person_id)))
    if filters.actor is not None:
        actor_id = find_actor_id(session, filters.actor)
        where.append(event.actor_id.is_(None) if actor_id is None else event.actor_id == actor_id)
    if filters.actions:
        where.append(event.action.in_(sorted(set(filters.actions))))
    if filters.since is not None:
        where.append(event.occurred_at >= day_start(filters.since))
    if filters.until is not None:
        where.append(event.occurred_at < day_start(filters.until + timedelta(days=1)))
    return where


def audit_log(
    session: Session,
    actor: Actor,
    filters: AuditFilters,
    *,
    limit: int = 50,
    before: int | None = None,
    offset: int = 0,
) -> AuditPage:
    """One page of the events ``actor`` may read, newest first.

    Paged by key (``before``: only events numbered below it), or, failing that, by
    ``offset``; one more event than the page is read to know whether another follows.
    """
    where = conditions(session, actor, filters)
    if before is not None:
        where.append(AuditEvent.id < before)
    rows = session.execute(
        select(*EVENT_COLUMNS)
        .where(*where)
        .order_by(AuditEvent.id.desc())
        .offset(offset if before is None else 0)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    concerned = _people_concerned(session, rows)
    people = {person_id for person_id in concerned.values() if person_id is not None}
    actors = {row.actor_id for row in rows if row.actor_id is not None}
    names = _names(session, people | actors)
    personal = _personal_values(session, [row.id for row in rows])
    usernames = _usernames(session, actors)
    lines = tuple(
        AuditLine(
            id=row.id,
            occurred_at=row.occurred_at,
            actor_id=row.actor_id,
            actor=SYSTEM
            if row.actor_id is None
            else usernames.get(row.actor_id) or names.get(row.actor_id, str(row.actor_id)),
            action=row.action,
            entity_type=row.entity_type,
            entity_key=row.entity_key,
            person_id=concerned.get(row.id),
            person=names.get(concerned.get(row.id) or 0),
            details=merge(row.details or {}, personal.get(row.id)),
        )
        for row in rows
    )
    return AuditPage(lines, lines[-1].id if more and lines else None)


def _people_concerned(session: Session, rows: Sequence[Any]) -> dict[int, int | None]:
    """For each event of a page (by id), the id of the person it is about."""
    keys: dict[str, set[str]] = {}
    for row in rows:
        keys.setdefault(row.entity_type, set()).add(row.entity_key)
    assessments = _lookup(
        session,
        select(cast(Assessment.id, String), Assessment.person_id).where(
            Assessment.id.in_(_ints(keys.get("assessment", ())))
        ),
    )
    certificates = _lookup(
        session,
        select(Certificate.serial, Certificate.person_id).where(
            Certificate.serial.in_(sorted(keys.get("certificate", ())))
        ),
    )
    accounts = _lookup(
        session,
        select(cast(UserAccount.id, String), UserAccount.person_id).where(
            UserAccount.id.in_(_ints(keys.get("user_account", set()) | keys.get("account", set())))
        ),
    )
    found: dict[int, int | None] = {}
    for row in rows:
        kind, key = row.entity_type, row.entity_key
        person_id: int | None = None
        if kind == "person":
            person_id = int(key) if key.isdigit() else None
        elif kind == "assessment":
            person_id = assessments.get(key)
        elif kind == "certificate":
            person_id = certificates.get(key)
        elif kind == "attendance":
            tail = key.rpartition("/")[2]
            person_id = int(tail) if tail.isdigit() else None
        elif kind in ("user_account", "account"):
            person_id = accounts.get(key)
        found[row.id] = person_id
    return found


def _personal_values(session: Session, event_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The personal values of these events that are still kept, by event id."""
    rows = session.execute(
        select(AuditPersonal.event_id, AuditPersonal.values).where(
            AuditPersonal.event_id.in_(event_ids)
        )
    )
    return {event_id: values for event_id, values in rows}


def _ints(keys: Iterable[str]) -> list[int]:
    """The keys that are numbers, as numbers."""
    return sorted(int(key) for key in keys if key.isdigit())


def _lookup(session: Session, query: Select[str, int]) -> dict[str, int]:
    """A key → person id mapping read in one query."""
    return {key: person_id for key, person_id in session.execute(query)}


def _names(session: Session, person_ids: set[int]) -> dict[int, str]:
    """The persons' names as they are now."""
    rows = session.execute(
        select(Person.id, Person.given_name, Person.family_name).where(
            Person.id.in_(sorted(person_ids))
        )
    )
    return {person_id: f"{given} {family}" for person_id, given, family in rows}


def _usernames(session: Session, person_ids: set[int]) -> dict[int, str]:
    """The user name of each person's account."""
    rows = session.execute(
        select(UserAccount.person_id, UserAccount.username).where(
            UserAccount.person_id.in_(sorted(person_ids))
        )
    )
    return {person_id: username for person_id, username in rows}
