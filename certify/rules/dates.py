"""Date rules: month arithmetic, certificate validity periods and certificate statuses.

Periods are calendar months added with ``relativedelta``, which clamps to the end of a
shorter month: 31 January + 1 month = 28 (29) February, 29 February + 12 months =
28 February. The clamp always falls *earlier*, never later, so nothing outlives its period.

Two kinds of end date, both as the issue words them:

- a certificate's ``valid_until`` is its **last valid day** (inclusive): a certificate
  "valid until 21 novembre 2029" is expired when ``as_of > valid_until``;
- an assessment's or a module completion's ``expires_on`` is its **first invalid day**:
  an assessment of 2022-01-10 that counts 36 months expired on 2025-01-10.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from certify.errors import CertifyError
from certify.model import CertificateState

#: One calendar day.
ONE_DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (back if negative), clamped to month end."""
    return day + relativedelta(months=months)


def latest_start(day: date, months: int) -> date:
    """The latest date ``x`` such that ``add_months(x, months) <= day``.

    It turns a condition on a moved date into a plain comparison with one value per distinct
    period: ``add_months(x, months) <= day`` holds exactly when ``x <= latest_start(day,
    months)`` (``add_months`` never decreases). Set-based SQL compares stored dates with
    these values, bound as parameters, instead of doing month arithmetic of its own, which
    SQLite and PostgreSQL do differently.
    """
    start = add_months(day, -months)
    while add_months(start + ONE_DAY, months) <= day:
        start += ONE_DAY
    return start


def window_opens(valid_until: date, window_months: int) -> date:
    """First day of the recertification window of a certificate valid until ``valid_until``.

    With a window of 0 months the window is the last valid day alone.
    """
    return add_months(valid_until, -window_months)


class ValidityKind(enum.StrEnum):
    """Which rule chose the base date of a validity period."""

    #: No previous certificate: the base is the completion date.
    FIRST = "first"
    #: Completed inside the previous certificate's window: the base is its valid-until,
    #: so the anniversary is kept.
    ON_TIME_RENEWAL = "on_time_renewal"
    #: Completed after the previous certificate expired: the base is the completion date.
    LATE_RENEWAL = "late_renewal"


@dataclass(frozen=True)
class ValidityPeriod:
    """The dates of a certificate about to be issued."""

    #: Which rule chose the base date.
    kind: ValidityKind
    #: The date the validity period is counted from.
    base_date: date
    #: First valid day: the completion date (an on-time renewal overlaps the previous one).
    valid_from: date
    #: Last valid day: ``base_date`` + the programme's validity (clamped at month end).
    valid_until: date
    #: First day of the recertification window.
    window_opens: date


class RenewalNotOpen(CertifyError):
    """A renewal completed before the previous certificate's window opened."""


def validity_period(
    validity_months: int,
    window_months: int,
    completed_on: date,
    previous_valid_until: date | None = None,
) -> ValidityPeriod:
    """The validity of a certificate completed on ``completed_on``.

    ``previous_valid_until`` is the last valid day of the person's latest certificate of
    the same programme, if any. A renewal completed on or before that day and inside the
    window keeps the anniversary (base = previous valid-until: the clamp of a 29 February
    or a 31st then stays, since the base is that clamped day); one completed after it
    restarts from the completion date. A renewal before the window opens is refused
    (:class:`RenewalNotOpen`).
    """
    if previous_valid_until is None:
        kind, base = ValidityKind.FIRST, completed_on
    elif completed_on > previous_valid_until:
        kind, base = ValidityKind.LATE_RENEWAL, completed_on
    elif completed_on >= (opens := window_opens(previous_valid_until, window_months)):
        kind, base = ValidityKind.ON_TIME_RENEWAL, previous_valid_until
    else:
        raise RenewalNotOpen(
            f"la fenêtre de renouvellement ouvre le {opens.isoformat()} / "
            f"the renewal window opens on {opens.isoformat()}"
        )
    valid_until = add_months(base, validity_months)
    return ValidityPeriod(
        kind=kind,
        base_date=base,
        valid_from=completed_on,
        valid_until=valid_until,
        window_opens=window_opens(valid_until, window_months),
    )


def renewal_completion(
    completed_on: date, previous_valid_until: date | None, window_months: int
) -> date:
    """The completion date a renewal's validity period counts from.

    ``completed_on`` is when the last requirement was met (an explanation's
    ``completed_on``). Requirements met before the previous certificate's window opened —
    evidence still valid, not renewed — count from the day the window opens: a renewal
    completes inside the window at the earliest, so it is on time and keeps the
    anniversary, even when issued after the previous certificate's last day. Evidence
    dated after that day makes a late renewal. Without a previous certificate:
    ``completed_on``.
    """
    if previous_valid_until is None:
        return completed_on
    return max(completed_on, window_opens(previous_valid_until, window_months))


class CertificateStatus(enum.StrEnum):
    """Status of one certificate on a given day."""

    VALID = "valid"
    IN_WINDOW = "in_window"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    NOT_YET_VALID = "not_yet_valid"


def certificate_status(
    state: CertificateState,
    valid_from: date,
    valid_until: date,
    window_months: int,
    revoked_on: date | None,
    as_of: date,
) -> CertificateStatus:
    """The status of a certificate on ``as_of``.

    A superseded certificate is replaced by its reissue whatever the day. A revocation
    takes effect on ``revoked_on``: before that day the certificate stands on its dates.
    """
    if state is CertificateState.SUPERSEDED:
        return CertificateStatus.SUPERSEDED
    if state is CertificateState.REVOKED and (revoked_on is None or revoked_on <= as_of):
        return CertificateStatus.REVOKED
    if as_of < valid_from:
        return CertificateStatus.NOT_YET_VALID
    if as_of > valid_until:
        return CertificateStatus.EXPIRED
    if as_of >= window_opens(valid_until, window_months):
        return CertificateStatus.IN_WINDOW
    return CertificateStatus.VALID
