"""Module completion: the share of hours in one ended session, valid for the refresh period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from certify.model import Person
from certify.rules.modules import ModuleStatus, module_statuses
from certify.store.db import Database
from tests.factories import MiniNetwork

AS_OF = date(2026, 11, 21)


@pytest.fixture
def net(database: Database) -> Iterator[MiniNetwork]:
    """The miniature network, on each backend."""
    with database.transaction() as session:
        yield MiniNetwork.build(session)


def status(net: MiniNetwork, person: Person, code: str, as_of: date = AS_OF) -> ModuleStatus | None:
    """The person's record on one module (``None``: never attended)."""
    module_id = net.modules[code].id
    return module_statuses(net.session, [person.id], as_of, [module_id]).get((person.id, module_id))


@pytest.mark.parametrize(
    ("module", "hours", "completed"),
    [
        ("M02", "11.20", True),
        ("M02", "11.19", False),
        ("M02", "10.5", False),
        ("M04", "2.80", True),
        ("M04", "2.79", False),
        ("M05", "16.80", True),
    ],
)
def test_exactly_the_share_of_hours_completes(
    net: MiniNetwork, module: str, hours: str, completed: bool
) -> None:
    """80 % of 14 h is 11.2 h exactly, even where SQLite stores hours as floating point."""
    alice = net.person()
    net.attend(alice, module, ended=date(2026, 1, 15), hours=hours)
    found = status(net, alice, module)
    assert found is not None
    assert found.completed is completed
    assert (found.completion is not None) is completed
    assert (found.latest_attempt is not None) is not completed


@pytest.mark.parametrize(("hours", "percent", "present"), [("11.5", 80, "9.2"), ("21", 90, "18.9")])
def test_threshold_is_exact_where_floating_point_is_not(
    net: MiniNetwork, hours: str, percent: int, present: str
) -> None:
    """9.2 × 100 < 80 × 11.5 in floating point; in hundredths of an hour it is equal."""
    net.modules["M02"].hours = Decimal(hours)
    net.modules["M02"].min_attendance_percent = percent
    alice = net.person()
    net.attend(alice, "M02", ended=date(2026, 1, 15), hours=present)
    found = status(net, alice, "M02")
    assert found is not None and found.completed


def test_the_share_is_set_per_module(net: MiniNetwork) -> None:
    """A module asking 100 % is not completed with 13.5 h of 14 h."""
    net.modules["M02"].min_attendance_percent = 100
    alice = net.person()
    net.attend(alice, "M02", ended=date(2026, 1, 15), hours="13.5")
    found = status(net, alice, "M02")
    assert found is not None and not found.completed


def test_hours_are_not_added_across_sessions(net: MiniNetwork) -> None:
    """Two half-attended sessions of 14 h do not make a completion."""
    alice = net.person()
    net.attend(alice, "M02", ended=date(2026, 1, 15), hours="7")
    net.attend(alice, "M02", ended=date(2026, 3, 15), hours="7")
    found = status(net, alice, "M02")
    assert found is not None
    assert found.completion is None
    assert found.latest_attempt is not None
    assert found.latest_attempt.ends_on == date(2026, 3, 15)


def test_a_session_counts_once_it_has_ended(net: MiniNetwork) -> None:
    """A session ending after the date is not read."""
    alice = net.person()
    net.attend(alice, "M02", ended=date(2026, 11, 22))
    assert status(net, alice, "M02") is None
    assert status(net, alice, "M02", date(2026, 11, 22)) is not None


def test_completion_lasts_the_refresh_period(net: MiniNetwork) -> None:
    """M04 (refresh 24 months) ended 2023-05-02: valid on 2025-05-01, expired on 2025-05-02."""
    alice = net.person()
    net.attend(alice, "M04", ended=date(2023, 5, 2))
    before = status(net, alice, "M04", date(2025, 5, 1))
    after = status(net, alice, "M04", date(2025, 5, 2))
    assert before is not None and before.completed
    assert after is not None and not after.completed
    assert after.completion is not None
    assert after.completion.expires_on == date(2025, 5, 2)


def test_module_without_refresh_is_completed_forever(net: MiniNetwork) -> None:
    """M01 has no refresh period."""
    alice = net.person()
    net.attend(alice, "M01", ended=date(2001, 5, 2))
    found = status(net, alice, "M01", date(2040, 1, 1))
    assert found is not None and found.completed
    assert found.completion is not None and found.completion.expires_on is None


def test_the_latest_qualifying_session_is_the_completion(net: MiniNetwork) -> None:
    """A renewed module: the recent completion counts, a later partial attempt is kept apart."""
    alice = net.person()
    net.attend(alice, "M04", ended=date(2022, 5, 2))
    renewed = net.attend(alice, "M04", ended=date(2025, 5, 2), site="SQY")
    net.attend(alice, "M04", ended=date(2026, 5, 2), hours="1")
    found = status(net, alice, "M04")
    assert found is not None and found.completed
    assert found.completion is not None and found.latest_attempt is not None
    assert (found.completion.session_id, found.completion.site_code) == (renewed.id, "SQY")
    assert found.completion.expires_on == date(2027, 5, 2)
    assert found.latest_attempt.hours_present == 1


def test_evidence_carries_the_session(net: MiniNetwork) -> None:
    """Session id, site, dates and hours present, as an explanation shows them."""
    alice = net.person()
    training = net.training("M02", ended=date(2026, 1, 16), site="PARIS-N", days=2)
    net.attend(alice, "M02", ended=date(2026, 1, 16), hours="10.5", site="PARIS-N")
    found = status(net, alice, "M02")
    assert found is not None and found.latest_attempt is not None
    attempt = found.latest_attempt
    assert (attempt.session_id, attempt.site_code) == (training.id, "PARIS-N")
    assert (attempt.starts_on, attempt.ends_on) == (date(2026, 1, 15), date(2026, 1, 16))
    assert attempt.hours_present == Decimal("10.5")
