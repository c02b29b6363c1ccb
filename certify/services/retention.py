"""Applying the retention periods: leavers pseudonymised, lapsed evidence and old failed
sign-ins deleted, all in one transaction, audited (administrators only).

A deleted assessment takes with it the personal values (its evidence) of the audit events
that recorded it; the events themselves stay, and the chain verifies.

The periods and what is past them are :mod:`certify.rules.retention`'s; each leaver goes
through :mod:`certify.services.pseudonymisation`, as one asked for by name would. An
assessment another one corrects goes only with its correction: a chain stays whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session, aliased

from certify.access.permissions import Action, Actor, authorize_admin
from certify.model import Assessment, Attendance, AuditEvent, AuditPersonal, Person, SignInThrottle
from certify.rules.retention import (
    RetentionPeriods,
    departed,
    forgotten_sign_ins,
    lapsed_assessments,
    lapsed_attendance,
)
from certify.services.pseudonymisation import Pseudonymisation, pseudonymisation, pseudonymise
from certify.store.audit import Change, record

#: Ids deleted per statement (well under SQLite's limit of bound parameters).
BATCH = 5000
#: What is deleted in batches.
T = TypeVar("T")


@dataclass(frozen=True)
class Retention:
    """What applying the periods on a day removes, worked out before anything is written."""

    #: The periods applied.
    periods: RetentionPeriods
    #: The day they are applied on.
    today: date
    #: The leavers to pseudonymise, each with what that changes.
    leavers: tuple[Pseudonymisation, ...]
    #: The lapsed assessments that go.
    assessment_ids: tuple[int, ...]
    #: The lapsed attendance that goes: (session, person).
    attendance_keys: tuple[tuple[int, int], ...]
    #: The failed sign-ins forgotten.
    sign_in_ids: tuple[int, ...]

    @property
    def nothing(self) -> bool:
        """Whether nothing is past its period."""
        return not (self.leavers or self.assessment_ids or self.attendance_keys or self.sign_in_ids)


def retention(
    session: Session, actor: Actor, periods: RetentionPeriods, today: date, now: datetime
) -> Retention:
    """What applying ``periods`` on ``today`` (``now``, for sign-ins) would remove."""
    authorize_admin(actor, Action.APPLY_RETENTION)
    leavers = session.scalars(select(Person.id).where(departed(periods, today)).order_by(Person.id))
    attendance = session.execute(
        select(Attendance.session_id, Attendance.person_id)
        .where(lapsed_attendance(session, periods, today))
        .order_by(Attendance.session_id, Attendance.person_id)
    )
    sign_ins = session.scalars(
        select(SignInThrottle.id)
        .where(forgotten_sign_ins(periods, now))
        .order_by(SignInThrottle.id)
    )
    return Retention(
        periods,
        today,
        tuple(pseudonymisation(session, actor, person_id, today) for person_id in leavers),
        _whole_chains(session, lapsed_assessments(session, periods, today)),
        tuple((session_id, person_id) for session_id, person_id in attendance),
        tuple(sign_ins),
    )


def apply_retention(session: Session, actor: Actor, plan: Retention) -> None:
    """Write ``plan`` (from :func:`retention`, in this transaction) and audit it."""
    for leaver in plan.leavers:
        pseudonymise(session, actor, leaver)
    for ids in _batches(plan.assessment_ids):
        events = select(AuditEvent.id).where(
            AuditEvent.entity_type == "assessment", AuditEvent.entity_key.in_(map(str, ids))
        )
        session.execute(delete(AuditPersonal).where(AuditPersonal.event_id.in_(events)))
        session.execute(delete(Assessment).where(Assessment.id.in_(ids)))
    for keys in _batches(plan.attendance_keys):
        session.execute(
            delete(Attendance).where(tuple_(Attendance.session_id, Attendance.person_id).in_(keys))
        )
    for ids in _batches(plan.sign_in_ids):
        session.execute(delete(SignInThrottle).where(SignInThrottle.id.in_(ids)))
    periods = plan.periods
    record(
        session,
        actor.person_id,
        Change(
            "retention.applied",
            "network",
            "-",
            extra={
                "departed_years": periods.departed_years,
                "evidence_years": periods.evidence_years,
                "sign_in_days": periods.sign_in_days,
                "pseudonymised": len(plan.leavers),
                "assessments_deleted": len(plan.assessment_ids),
                "attendance_deleted": len(plan.attendance_keys),
                "sign_ins_deleted": len(plan.sign_in_ids),
            },
        ),
    )


def _whole_chains(session: Session, lapsed: Any) -> tuple[int, ...]:
    """The lapsed assessments but those a correction kept refers to, to the end of each chain."""
    going = set(session.scalars(select(Assessment.id).where(lapsed)))
    correction = aliased(Assessment)
    pairs = session.execute(
        select(correction.id, correction.supersedes_id)
        .join(Assessment, Assessment.id == correction.supersedes_id)
        .where(lapsed)
    )
    corrected_by: dict[int, int] = {
        corrected: corrector for corrector, corrected in pairs if corrected is not None
    }
    kept = True
    while kept:
        kept = False
        for corrected, corrector in corrected_by.items():
            if corrected in going and corrector not in going:
                going.discard(corrected)
                kept = True
    return tuple(sorted(going))


def _batches(items: Sequence[T]) -> list[Sequence[T]]:
    """``items`` in slices of :data:`BATCH`."""
    return [items[start : start + BATCH] for start in range(0, len(items), BATCH)]
