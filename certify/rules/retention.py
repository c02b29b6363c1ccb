"""How long certify keeps what it no longer needs: the retention periods, and what is past them.

Three periods, set by whoever runs ``certify privacy retention`` (its options; the defaults
below are the network's): a person who left is pseudonymised ``departed_years`` after their
last day; evidence that lapsed goes ``evidence_years`` after it lapsed (an assessment when
its framework's validity ran out, an attendance when its module's completion did; evidence
that never lapses stays); failed sign-ins go ``sign_in_days`` after the last one, unless a
lock still runs. Evidence past these periods no longer counts for anything, so nothing a
status, a dashboard or a certificate shows changes when it goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, false, or_, select
from sqlalchemy.orm import Session

from certify.errors import CertifyError
from certify.model import (
    Assessment,
    Attendance,
    Framework,
    Module,
    Person,
    SignInThrottle,
    TrainingSession,
)
from certify.rules.dates import add_months, latest_start

#: Years after their last day a person who left is pseudonymised (personnel records: 5).
DEPARTED_YEARS = 5
#: Years after it lapsed an assessment or an attendance goes (two Qualiopi cycles of 3).
EVIDENCE_YEARS = 6
#: Days after the last failure a sign-in failure is forgotten.
SIGN_IN_DAYS = 30


@dataclass(frozen=True)
class RetentionPeriods:
    """The periods applied: years for people and evidence, days for failed sign-ins."""

    departed_years: int = DEPARTED_YEARS
    evidence_years: int = EVIDENCE_YEARS
    sign_in_days: int = SIGN_IN_DAYS

    def __post_init__(self) -> None:
        """Refuse a period that would erase what still counts (none shorter than a year,
        a day for sign-ins)."""
        if self.departed_years < 1 or self.evidence_years < 1 or self.sign_in_days < 1:
            raise CertifyError(
                "une durée de conservation compte au moins 1 an (1 jour pour les échecs de "
                "connexion)",
                "a retention period is at least 1 year (1 day for failed sign-ins)",
            )

    def departed_by(self, today: date) -> date:
        """The last day on or before which a person who left is pseudonymised."""
        return add_months(today, -12 * self.departed_years)

    def lapsed_by(self, today: date) -> date:
        """The day on or before which evidence must have lapsed to go."""
        return add_months(today, -12 * self.evidence_years)


def departed(periods: RetentionPeriods, today: date) -> ColumnElement[bool]:
    """People who left long enough ago and are not pseudonymised yet."""
    return and_(
        Person.active_until.is_not(None),
        Person.active_until <= periods.departed_by(today),
        Person.pseudonymised_on.is_(None),
    )


def lapsed_assessments(
    session: Session, periods: RetentionPeriods, today: date
) -> ColumnElement[bool]:
    """Assessments lapsed long enough ago: ``assessed_on`` + their framework's validity."""
    validities = session.execute(
        select(Framework.id, Framework.assessment_validity_months).where(
            Framework.assessment_validity_months.is_not(None)
        )
    )
    return _lapsed(
        Assessment.framework_id, Assessment.assessed_on, validities, periods.lapsed_by(today)
    )


def lapsed_attendance(
    session: Session, periods: RetentionPeriods, today: date
) -> ColumnElement[bool]:
    """Attendance whose module completion lapsed long enough ago: session end + refresh."""
    refreshes = session.execute(
        select(Module.id, Module.refresh_months).where(Module.refresh_months.is_not(None))
    )
    lapsed = _lapsed(
        TrainingSession.module_id, TrainingSession.ends_on, refreshes, periods.lapsed_by(today)
    )
    return Attendance.session_id.in_(select(TrainingSession.id).where(lapsed))


def _lapsed(
    kind: SQLColumnExpression[int],
    day: SQLColumnExpression[date],
    months_by_kind: Iterable[tuple[int, int | None]],
    by: date,
) -> ColumnElement[bool]:
    """Rows whose ``day`` plus their kind's months falls on or before ``by`` (a kind with no
    months never lapses)."""
    return or_(
        false(),
        *(
            and_(kind == key, day <= latest_start(by, months))
            for key, months in months_by_kind
            if months is not None
        ),
    )


def forgotten_sign_ins(periods: RetentionPeriods, now: datetime) -> ColumnElement[bool]:
    """Failed sign-ins whose last failure is old enough and whose lock, if any, is over."""
    return and_(
        or_(
            SignInThrottle.last_failed_at.is_(None),
            SignInThrottle.last_failed_at < now - timedelta(days=periods.sign_in_days),
        ),
        or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until <= now),
    )
