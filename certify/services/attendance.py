"""Recording a training session's attendance in one transaction; who may take part."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.permissions import (
    Action,
    Actor,
    authorize_other,
    authorize_person,
    authorize_session,
)
from certify.errors import CertifyError
from certify.model import Attendance, Module, Person, Site, TrainingSession
from certify.rules.scope import Scope
from certify.rules.wording import NBSP
from certify.rules.wording import hours as hours_text
from certify.store.audit import Change, record_all


def authorize_participants(
    session: Session,
    actor: Actor,
    site_id: int,
    person_ids: Collection[int],
    already: Collection[int] = (),
) -> None:
    """Refuse the actor as a participant, and participants not ``already`` on the session who
    are not staff of its site or its centres, or whom the actor may not record attendance
    for (outside their scope)."""
    for person_id in sorted(person_ids):
        authorize_other(actor, Action.RECORD_ATTENDANCE, person_id)
    added = sorted(set(person_ids) - set(already))
    site = session.get(Site, site_id)
    assert site is not None
    outside = session.scalars(
        select(Person.email)
        .join(Site, Site.id == Person.site_id)
        .where(Person.id.in_(added), ~Scope.sites(site.id).site_filter())
        .order_by(Person.email)
    ).all()
    if outside:
        raise CertifyError(
            f"hors du personnel de {site.code} ou de ses centres\u00a0: {', '.join(outside)}",
            f"not staff of {site.code} or its centres: {', '.join(outside)}",
        )
    for person_id in added:
        authorize_person(session, actor, Action.RECORD_ATTENDANCE, person_id)


def check_hours(name: str, value: Decimal, module_hours: Decimal) -> None:
    """Refuse hours present outside 0 to the module's duration, naming the participant."""
    if not Decimal(0) <= value <= module_hours:
        given, most = hours_text(value), hours_text(module_hours)
        raise CertifyError(
            f"{name}{NBSP}: {given.fr} n'est pas entre 0 et {most.fr}, la durée du module",
            f"{name}: {given.en} is not between 0 and {most.en}, the module's length",
        )


def record_attendance(
    session: Session, actor: Actor, training_session_id: int, hours: dict[int, Decimal]
) -> int:
    """Set the hours present of each participant given; return how many changed.

    Participants not yet on the session are added (staff of its site the actor may record
    attendance for: see :func:`authorize_participants`). Hours must lie between 0 and the
    module's duration.
    """
    authorize_session(session, actor, Action.RECORD_ATTENDANCE, training_session_id)
    site_id = session.scalar(
        select(TrainingSession.site_id).where(TrainingSession.id == training_session_id)
    )
    assert site_id is not None
    module_hours = session.scalar(
        select(Module.hours)
        .join(TrainingSession, TrainingSession.module_id == Module.id)
        .where(TrainingSession.id == training_session_id)
    )
    assert module_hours is not None
    existing = {
        a.person_id: a
        for a in session.scalars(
            select(Attendance).where(Attendance.session_id == training_session_id)
        )
    }
    authorize_participants(session, actor, site_id, hours.keys(), existing.keys())
    people = session.scalars(select(Person).where(Person.id.in_(hours))).all()
    for person in sorted(people, key=lambda p: (p.family_name, p.given_name)):
        check_hours(person.full_name, hours[person.id], module_hours)
    changes = []
    for person_id, value in sorted(hours.items()):
        row = existing.get(person_id)
        before = None if row is None else row.hours_present
        if before == value:
            continue
        if row is None:
            session.add(
                Attendance(session_id=training_session_id, person_id=person_id, hours_present=value)
            )
        else:
            row.hours_present = value
        changes.append(
            Change(
                "attendance.recorded",
                "attendance",
                f"{training_session_id}/{person_id}",
                before=None if before is None else {"hours": before},
                after={"hours": value},
            )
        )
    session.flush()
    return record_all(session, actor.person_id, changes)
