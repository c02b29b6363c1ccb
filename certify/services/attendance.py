"""Recording a training session's attendance in one transaction."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, authorize_session
from certify.errors import CertifyError
from certify.model import Attendance, Module, TrainingSession
from certify.store.audit import Change, record_all


def record_attendance(
    session: Session, actor: Actor, training_session_id: int, hours: dict[int, Decimal]
) -> int:
    """Set the hours present of each participant given; return how many changed.

    Participants not yet on the session are added. Hours must lie between 0 and the
    module's duration.
    """
    authorize_session(session, actor, Action.RECORD_ATTENDANCE, training_session_id)
    module_hours = session.scalar(
        select(Module.hours)
        .join(TrainingSession, TrainingSession.module_id == Module.id)
        .where(TrainingSession.id == training_session_id)
    )
    assert module_hours is not None
    for person_id, value in hours.items():
        if not Decimal(0) <= value <= module_hours:
            raise CertifyError(
                f"personne {person_id} : {value} h est hors de 0–{module_hours} h pour ce module",
                f"person {person_id}: {value} h is outside 0–{module_hours} h for this module",
            )
    existing = {
        a.person_id: a
        for a in session.scalars(
            select(Attendance).where(Attendance.session_id == training_session_id)
        )
    }
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
