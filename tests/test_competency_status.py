"""Competency status: the latest valid, non-superseded assessment gives the level."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from certify.model import Person
from certify.rules.competencies import (
    AssessmentStanding,
    AssessmentState,
    CompetencyStatus,
    assessment_states,
    competency_statuses,
)
from certify.store.db import Database
from tests.factories import MiniNetwork

#: The mini network framework's proficiency threshold.
PROFICIENT = 2

AS_OF = date(2026, 11, 21)


@pytest.fixture
def net(database: Database) -> Iterator[MiniNetwork]:
    """The miniature network, on each backend."""
    with database.transaction() as session:
        yield MiniNetwork.build(session)


def status(net: MiniNetwork, person: Person, code: str, as_of: date = AS_OF) -> CompetencyStatus:
    """The person's status on one competency."""
    competency_id = net.competencies[code].id
    return competency_statuses(net.session, [person.id], as_of, [competency_id])[
        person.id, competency_id
    ]


def test_latest_assessment_date_wins_not_latest_row(net: MiniNetwork) -> None:
    """An assessment of March entered after one of May does not override it."""
    alice = net.person()
    may = net.assess(alice, "ETH-01", 3, on=date(2025, 5, 10))
    net.assess(alice, "ETH-01", 1, on=date(2025, 3, 10))
    found = status(net, alice, "ETH-01")
    assert found.assessment.assessment_id == may.id
    assert found.level == 3
    assert found.reaches(PROFICIENT)


def test_same_day_the_later_record_wins_then_the_higher_id(net: MiniNetwork) -> None:
    """Two assessments on one day: the one recorded later, then the one with the higher id."""
    alice, bob = net.person(), net.person("Bob", "Léger")
    day = date(2025, 5, 10)
    later = net.assess(alice, "ETH-01", 1, on=day, recorded_at=datetime(2025, 5, 11, tzinfo=UTC))
    net.assess(alice, "ETH-01", 3, on=day, recorded_at=datetime(2025, 5, 10, tzinfo=UTC))
    assert status(net, alice, "ETH-01").assessment.assessment_id == later.id
    at = datetime(2025, 5, 10, tzinfo=UTC)
    net.assess(bob, "ETH-01", 3, on=day, recorded_at=at)
    last = net.assess(bob, "ETH-01", 0, on=day, recorded_at=at)
    assert status(net, bob, "ETH-01").assessment.assessment_id == last.id


def test_superseded_assessment_is_ignored(net: MiniNetwork) -> None:
    """A correction replaces the assessment it names, even with a lower level."""
    alice = net.person()
    wrong = net.assess(alice, "ETH-01", 3, on=date(2025, 5, 10))
    fixed = net.assess(alice, "ETH-01", 1, on=date(2025, 5, 10), supersedes=wrong)
    found = status(net, alice, "ETH-01")
    assert found.assessment.assessment_id == fixed.id
    assert not found.reaches(PROFICIENT)


def test_assessment_expires_after_the_framework_validity(net: MiniNetwork) -> None:
    """Assessed 2022-01-10, valid 36 months: counts on 2025-01-09, expired on 2025-01-10."""
    alice = net.person()
    net.assess(alice, "ETH-01", 2, on=date(2022, 1, 10))
    before = status(net, alice, "ETH-01", date(2025, 1, 9))
    assert (before.expired, before.level, before.reaches(PROFICIENT)) == (False, 2, True)
    after = status(net, alice, "ETH-01", date(2025, 1, 10))
    assert after.assessment.expires_on == date(2025, 1, 10)
    assert (after.expired, after.level, after.reaches(PROFICIENT)) == (True, None, False)


def test_expired_latest_assessment_is_not_replaced_by_an_older_one(net: MiniNetwork) -> None:
    """Once the latest has expired, the competency has no valid level at all."""
    alice = net.person()
    net.assess(alice, "ETH-01", 3, on=date(2021, 1, 10))
    net.assess(alice, "ETH-01", 2, on=date(2022, 1, 10))
    found = status(net, alice, "ETH-01", date(2025, 6, 1))
    assert found.assessment.assessed_on == date(2022, 1, 10)
    assert found.level is None


def test_framework_without_validity_counts_forever(net: MiniNetwork) -> None:
    """assessment_validity_months = None: an assessment never expires."""
    net.framework.assessment_validity_months = None
    alice = net.person()
    net.assess(alice, "ETH-01", 2, on=date(2001, 1, 10))
    found = status(net, alice, "ETH-01", date(2040, 1, 1))
    assert found.assessment.expires_on is None
    assert found.reaches(PROFICIENT)


def test_later_assessments_and_other_people_do_not_count(net: MiniNetwork) -> None:
    """Only the person's assessments made on or before the date are read."""
    alice, bob = net.person(), net.person("Bob", "Léger")
    net.assess(alice, "ETH-01", 1, on=date(2025, 1, 10))
    net.assess(alice, "ETH-01", 3, on=date(2027, 1, 10))
    net.assess(bob, "ETH-02", 3, on=date(2025, 1, 10))
    statuses = competency_statuses(net.session, [alice.id], AS_OF)
    assert set(statuses) == {(alice.id, net.competencies["ETH-01"].id)}
    assert statuses[alice.id, net.competencies["ETH-01"].id].level == 1


def test_threshold_and_minimum_level(net: MiniNetwork) -> None:
    """Proficient from the framework's threshold (2); a programme may ask more (reaches)."""
    alice = net.person()
    net.assess(alice, "ETH-01", 2, on=date(2025, 1, 10))
    found = status(net, alice, "ETH-01")
    assert found.reaches(PROFICIENT)
    assert found.reaches(2)
    assert not found.reaches(3)


def test_evidence_names_the_assessor_method_and_level_labels(net: MiniNetwork) -> None:
    """The status carries what an explanation shows: level labels, assessor, method."""
    alice = net.person()
    made = net.assess(alice, "ETH-01", 1, on=date(2025, 3, 2))
    evidence = status(net, alice, "ETH-01").assessment
    assert evidence.assessment_id == made.id
    assert (evidence.level.level, evidence.level.label_fr, evidence.level.label_en) == (
        1,
        "En cours d'acquisition",
        "In progress",
    )
    assert evidence.assessor_name == "Jean Martin"
    assert evidence.method == "observation"
    assert evidence.expires_on == date(2028, 3, 2)


def test_each_assessment_stands_one_way(net: MiniNetwork) -> None:
    """Counts, corrected, overtaken by the next later one, expired, or not made yet."""
    alice = net.person()
    old = net.assess(alice, "ETH-01", 0, on=date(2024, 1, 10))
    wrong = net.assess(alice, "ETH-01", 1, on=date(2025, 3, 10))
    fixed = net.assess(alice, "ETH-01", 2, on=date(2025, 3, 10), supersedes=wrong)
    later = net.assess(alice, "ETH-01", 3, on=date(2027, 1, 10))
    lapsed = net.assess(alice, "ETH-02", 2, on=date(2022, 1, 10))
    older = net.assess(alice, "ETH-02", 3, on=date(2021, 1, 10))
    assert assessment_states(net.session, alice.id, AS_OF) == {
        old.id: AssessmentState(AssessmentStanding.OVERTAKEN, fixed.id, date(2025, 3, 10)),
        wrong.id: AssessmentState(AssessmentStanding.CORRECTED, fixed.id, date(2025, 3, 10)),
        fixed.id: AssessmentState(AssessmentStanding.COUNTS, expires_on=date(2028, 3, 10)),
        later.id: AssessmentState(AssessmentStanding.LATER),
        lapsed.id: AssessmentState(AssessmentStanding.EXPIRED, expires_on=date(2025, 1, 10)),
        older.id: AssessmentState(AssessmentStanding.OVERTAKEN, lapsed.id, date(2022, 1, 10)),
    }


def test_an_older_assessment_is_overtaken_even_when_the_newer_is_lower(net: MiniNetwork) -> None:
    """The latest by date counts, whatever its level; the earlier one no longer does."""
    alice = net.person()
    high = net.assess(alice, "ETH-01", 3, on=date(2025, 1, 10))
    low = net.assess(alice, "ETH-01", 0, on=date(2025, 6, 10))
    states = assessment_states(net.session, alice.id, AS_OF)
    assert states[high.id] == AssessmentState(
        AssessmentStanding.OVERTAKEN, low.id, date(2025, 6, 10)
    )
    assert states[low.id].standing is AssessmentStanding.COUNTS


def test_the_one_that_counts_is_the_one_giving_the_level(net: MiniNetwork) -> None:
    """Ties on a day as the level's rule breaks them: the later record, then the higher id."""
    alice = net.person()
    day, at = date(2025, 5, 10), datetime(2025, 5, 10, tzinfo=UTC)
    first = net.assess(alice, "ETH-01", 3, on=day, recorded_at=at)
    last = net.assess(alice, "ETH-01", 1, on=day, recorded_at=at)
    states = assessment_states(net.session, alice.id, AS_OF)
    assert status(net, alice, "ETH-01").assessment.assessment_id == last.id
    assert states[last.id].standing is AssessmentStanding.COUNTS
    assert states[first.id] == AssessmentState(AssessmentStanding.OVERTAKEN, last.id, day)


def test_states_follow_the_day(net: MiniNetwork) -> None:
    """The same assessment counts on one day and has expired on a later one."""
    alice = net.person()
    made = net.assess(alice, "ETH-01", 2, on=date(2022, 1, 10))
    assert assessment_states(net.session, alice.id, date(2025, 1, 9))[made.id].standing is (
        AssessmentStanding.COUNTS
    )
    assert assessment_states(net.session, alice.id, date(2025, 1, 10))[made.id] == (
        AssessmentState(AssessmentStanding.EXPIRED, expires_on=date(2025, 1, 10))
    )
    assert assessment_states(net.session, alice.id, date(2021, 1, 10))[made.id].standing is (
        AssessmentStanding.LATER
    )
