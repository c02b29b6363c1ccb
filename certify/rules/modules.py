"""Module completion: enough of the module's hours attended in one session.

A session counts once it has ended (``ends_on`` on or before the date). The attendance
qualifies when ``hours_present`` reaches the module's ``min_attendance_percent`` of its
hours, compared exactly in hundredths of an hour (SQLite stores the hours as floating
point). Hours are never added up across sessions. The completion is the qualifying
session that ended last; it counts for the module's ``refresh_months`` after the session
ended and expires on ``ends_on`` + refresh (``None``: forever).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Integer, SQLColumnExpression, cast, func, select
from sqlalchemy.orm import Session

from certify.model import Attendance, Module, Site, TrainingSession
from certify.rules.dates import add_months
from certify.rules.evidence import AttendanceEvidence


def _hundredths(hours: SQLColumnExpression[Decimal]) -> ColumnElement[int]:
    """Hours as an exact whole number of hundredths."""
    return cast(func.round(hours * 100), Integer)


def qualifies() -> ColumnElement[bool]:
    """SQL: the attendance (joined with its session's module) reaches the required share."""
    return _hundredths(Attendance.hours_present) * 100 >= Module.min_attendance_percent * (
        _hundredths(Module.hours)
    )


@dataclass(frozen=True)
class ModuleStatus:
    """A person's attendance record on one module as of a date."""

    #: The day the status holds on.
    as_of: date
    #: The latest qualifying attendance (the completion), if any.
    completion: AttendanceEvidence | None
    #: The latest attendance that did not qualify, if any.
    latest_attempt: AttendanceEvidence | None

    @property
    def completed(self) -> bool:
        """Whether a completion counts on the day (within its refresh period)."""
        if self.completion is None:
            return False
        expires_on = self.completion.expires_on
        return expires_on is None or self.as_of < expires_on


def module_statuses(
    session: Session,
    person_ids: Collection[int],
    as_of: date,
    module_ids: Collection[int] | None = None,
) -> dict[tuple[int, int], ModuleStatus]:
    """(person, module) → record, for each module attended in a session ended by ``as_of``.

    All modules, or those of ``module_ids``; a pair missing from the result was never
    attended.
    """
    query = (
        select(
            Attendance.person_id,
            TrainingSession.module_id,
            TrainingSession.id,
            Site.code,
            TrainingSession.starts_on,
            TrainingSession.ends_on,
            Attendance.hours_present,
            Module.refresh_months,
            qualifies().label("qualifies"),
        )
        .join(Attendance.session)
        .join(TrainingSession.module)
        .join(TrainingSession.site)
        .where(Attendance.person_id.in_(sorted(person_ids)), TrainingSession.ends_on <= as_of)
        .order_by(TrainingSession.ends_on, TrainingSession.id)
    )
    if module_ids is not None:
        query = query.where(TrainingSession.module_id.in_(sorted(module_ids)))
    latest: dict[tuple[int, int], dict[bool, AttendanceEvidence]] = {}
    for row in session.execute(query):
        key = (row.person_id, row.module_id)
        latest.setdefault(key, {})[bool(row.qualifies)] = AttendanceEvidence(
            session_id=row.id,
            site_code=row.code,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            hours_present=row.hours_present,
            expires_on=(
                None if row.refresh_months is None else add_months(row.ends_on, row.refresh_months)
            ),
        )
    return {
        key: ModuleStatus(as_of, found.get(True), found.get(False)) for key, found in latest.items()
    }
