"""Date rules: month-end clamping, validity periods, renewal windows, certificate statuses."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.model import CertificateState
from certify.rules.dates import (
    ONE_DAY,
    CertificateStatus,
    RenewalNotOpen,
    ValidityKind,
    add_months,
    certificate_status,
    latest_start,
    renewal_completion,
    validity_period,
    window_opens,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
month_ends = days.map(lambda d: d.replace(day=calendar.monthrange(d.year, d.month)[1]))
any_days = st.one_of(days, month_ends, st.sampled_from([date(2024, 2, 29), date(2028, 2, 29)]))
periods = st.integers(min_value=1, max_value=120)


@st.composite
def programmes(draw: st.DrawFn) -> tuple[int, int]:
    """A validity period and a renewal window shorter than it, in months."""
    validity = draw(periods)
    return validity, draw(st.integers(min_value=0, max_value=validity - 1))


def month_index(day: date) -> int:
    """Months since year 0, to count calendar months between dates."""
    return day.year * 12 + day.month - 1


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2025, 8, 31), 36, date(2028, 8, 31)),
        (date(2026, 11, 21), 36, date(2029, 11, 21)),
    ],
)
def test_add_months_clamps_to_month_end(day: date, months: int, expected: date) -> None:
    """31 January + 1 month is the last day of February; 29 February + 1 year is 28 February."""
    assert add_months(day, months) == expected


@given(any_days, st.integers(min_value=-120, max_value=120))
def test_add_months_moves_whole_months_never_past_the_day(day: date, months: int) -> None:
    """The month moves exactly; the day is kept, or clamped down to the month's last day."""
    moved = add_months(day, months)
    assert month_index(moved) - month_index(day) == months
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])


@given(any_days, any_days, st.integers(min_value=-120, max_value=120))
def test_latest_start_turns_a_moved_date_into_a_comparison(
    start: date, day: date, months: int
) -> None:
    """add_months(x, m) <= day exactly when x <= latest_start(day, m): what SQL relies on."""
    assert (add_months(start, months) <= day) == (start <= latest_start(day, months))


def test_latest_start_after_a_clamp() -> None:
    """28 to 31 January all reach 28 February 2025 a month later: the latest is the 31st."""
    assert latest_start(date(2025, 2, 28), 1) == date(2025, 1, 31)
    assert latest_start(date(2025, 2, 28), 12) == date(2024, 2, 29)
    assert latest_start(date(2025, 3, 1), 12) == date(2024, 3, 1)


@given(any_days, programmes())
def test_first_certification(completed_on: date, programme: tuple[int, int]) -> None:
    """Base = completion; valid until base + period, never later; the window opens after base."""
    validity, window = programme
    period = validity_period(validity, window, completed_on)
    assert period.kind is ValidityKind.FIRST
    assert period.base_date == period.valid_from == completed_on
    assert period.valid_until > period.base_date
    assert month_index(period.valid_until) - month_index(completed_on) == validity
    assert period.valid_until.day <= completed_on.day
    assert period.valid_from < period.window_opens <= period.valid_until
    assert (period.window_opens < period.valid_until) == (window > 0)


@given(any_days, programmes(), st.data())
def test_on_time_renewal_keeps_the_anniversary(
    previous_until: date, programme: tuple[int, int], data: st.DataObject
) -> None:
    """Completed inside the window: base = previous valid-until, same day up to clamping."""
    validity, window = programme
    opens = window_opens(previous_until, window)
    completed_on = data.draw(st.dates(min_value=opens, max_value=previous_until))
    period = validity_period(validity, window, completed_on, previous_until)
    assert period.kind is ValidityKind.ON_TIME_RENEWAL
    assert period.base_date == previous_until
    assert period.valid_from == completed_on
    assert period.valid_until == add_months(previous_until, validity)
    assert period.valid_until.day == min(
        previous_until.day,
        calendar.monthrange(period.valid_until.year, period.valid_until.month)[1],
    )
    assert period.window_opens > previous_until


@given(any_days, programmes(), st.integers(min_value=1, max_value=2000))
def test_late_renewal_restarts_from_completion(
    previous_until: date, programme: tuple[int, int], days_late: int
) -> None:
    """Completed after the previous certificate's last day: base = completion date."""
    validity, window = programme
    completed_on = date.fromordinal(previous_until.toordinal() + days_late)
    period = validity_period(validity, window, completed_on, previous_until)
    assert period.kind is ValidityKind.LATE_RENEWAL
    assert period.base_date == period.valid_from == completed_on
    assert period.valid_until == add_months(completed_on, validity)


def test_renewal_before_the_window_is_refused() -> None:
    """The window of a certificate valid until 2029-11-21 with 6 months opens 2029-05-21."""
    with pytest.raises(RenewalNotOpen, match="2029-05-21"):
        validity_period(36, 6, date(2029, 5, 20), date(2029, 11, 21))


@pytest.mark.parametrize(
    ("completed_on", "previous_until", "kind", "valid_until"),
    [
        (date(2026, 11, 21), None, ValidityKind.FIRST, date(2029, 11, 21)),
        (date(2029, 9, 1), date(2029, 11, 21), ValidityKind.ON_TIME_RENEWAL, date(2032, 11, 21)),
        (date(2029, 11, 21), date(2029, 11, 21), ValidityKind.ON_TIME_RENEWAL, date(2032, 11, 21)),
        (date(2029, 11, 22), date(2029, 11, 21), ValidityKind.LATE_RENEWAL, date(2032, 11, 22)),
        (date(2024, 2, 29), None, ValidityKind.FIRST, date(2027, 2, 28)),
        (date(2026, 12, 1), date(2027, 2, 28), ValidityKind.ON_TIME_RENEWAL, date(2030, 2, 28)),
    ],
)
def test_validity_examples(
    completed_on: date, previous_until: date | None, kind: ValidityKind, valid_until: date
) -> None:
    """The dates a coordinator sees, including a 29 February whose clamp then stays."""
    period = validity_period(36, 6, completed_on, previous_until)
    assert (period.kind, period.valid_until) == (kind, valid_until)


@given(any_days, any_days, programmes())
def test_renewal_completion_is_never_before_the_window(
    completed_on: date, previous_until: date, programme: tuple[int, int]
) -> None:
    """Old evidence counts from the window's opening, so the renewal is never refused."""
    validity, window = programme
    completion = renewal_completion(completed_on, previous_until, window)
    assert completion == max(completed_on, window_opens(previous_until, window))
    period = validity_period(validity, window, completion, previous_until)
    expected = (
        ValidityKind.LATE_RENEWAL
        if completed_on > previous_until
        else (ValidityKind.ON_TIME_RENEWAL)
    )
    assert period.kind is expected


def test_renewal_completion_without_previous_certificate() -> None:
    """A first certification completes on the day its last requirement was met."""
    assert renewal_completion(date(2025, 3, 2), None, 6) == date(2025, 3, 2)


VALID_FROM, VALID_UNTIL = date(2026, 11, 21), date(2029, 11, 21)


@pytest.mark.parametrize(
    ("as_of", "state", "revoked_on", "expected"),
    [
        (date(2026, 11, 20), CertificateState.ISSUED, None, CertificateStatus.NOT_YET_VALID),
        (date(2026, 11, 21), CertificateState.ISSUED, None, CertificateStatus.VALID),
        (date(2029, 5, 20), CertificateState.ISSUED, None, CertificateStatus.VALID),
        (date(2029, 5, 21), CertificateState.ISSUED, None, CertificateStatus.IN_WINDOW),
        (date(2029, 11, 21), CertificateState.ISSUED, None, CertificateStatus.IN_WINDOW),
        (date(2029, 11, 22), CertificateState.ISSUED, None, CertificateStatus.EXPIRED),
        (date(2027, 1, 1), CertificateState.SUPERSEDED, None, CertificateStatus.SUPERSEDED),
        (
            date(2027, 12, 31),
            CertificateState.REVOKED,
            date(2028, 1, 1),
            CertificateStatus.VALID,
        ),
        (
            date(2028, 1, 1),
            CertificateState.REVOKED,
            date(2028, 1, 1),
            CertificateStatus.REVOKED,
        ),
        (
            date(2030, 1, 1),
            CertificateState.REVOKED,
            date(2028, 1, 1),
            CertificateStatus.REVOKED,
        ),
    ],
)
def test_certificate_status(
    as_of: date, state: CertificateState, revoked_on: date | None, expected: CertificateStatus
) -> None:
    """valid_until is the last valid day; a revocation takes effect on its date."""
    status = certificate_status(state, VALID_FROM, VALID_UNTIL, 6, revoked_on, as_of)
    assert status is expected


@given(any_days, programmes(), any_days)
def test_certificate_status_follows_the_dates(
    completed_on: date, programme: tuple[int, int], as_of: date
) -> None:
    """An issued certificate is not yet valid, valid, in its window or expired, in that order."""
    validity, window = programme
    period = validity_period(validity, window, completed_on)
    status = certificate_status(
        CertificateState.ISSUED, period.valid_from, period.valid_until, window, None, as_of
    )
    if as_of < period.valid_from:
        assert status is CertificateStatus.NOT_YET_VALID
    elif as_of < period.window_opens:
        assert status is CertificateStatus.VALID
    elif as_of <= period.valid_until:
        assert status is CertificateStatus.IN_WINDOW
    else:
        assert status is CertificateStatus.EXPIRED
    assert (
        certificate_status(
            CertificateState.ISSUED,
            period.valid_from,
            period.valid_until,
            window,
            None,
            period.valid_until + ONE_DAY,
        )
        is CertificateStatus.EXPIRED
    )
