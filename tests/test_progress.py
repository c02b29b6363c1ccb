"""Progress at scale: set-based SQL that agrees exactly with ``explain``, within a scope."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from certify.model import Certificate, CertificateState, Person, Programme
from certify.rules.dates import (
    add_months,
    window_opens,
)
from certify.rules.eligibility import explain
from certify.rules.progress import (
    ProgressRow,
    ProgressStatus,
    person_standing,
    progress,
    summary,
)
from certify.rules.scope import Scope
from certify.store.db import Database
from tests.factories import MiniNetwork

#: Days the agreement is checked on: month ends, a leap day, the day of writing.
AS_OFS = [date(2024, 2, 29), date(2025, 2, 28), date(2026, 11, 21), date(2027, 3, 31)]


@pytest.fixture
def net(database: Database) -> Iterator[MiniNetwork]:
    """The miniature network, on each backend."""
    with database.transaction() as session:
        yield MiniNetwork.build(session)


def tricky_days() -> list[date]:
    """Days on and around every cutoff of the rules (validity, refresh, holding, window)."""
    days = {date(2024, 1, 31), date(2024, 2, 29), date(2023, 8, 31), date(2025, 5, 31)}
    for as_of in AS_OFS:
        for months in (0, 6, 12, 24, 30, 33, 36, 48):
            moved = add_months(as_of, -months)
            days.update(moved + timedelta(days=delta) for delta in (-1, 0, 1))
    return sorted(days)


def populate(net: MiniNetwork, seed: int, people: int = 36) -> None:
    """Random staff with assessments, corrections, attendance and certificate chains."""
    rng = random.Random(seed)
    days = tricky_days()
    for n in range(people):
        active_from = rng.choice([date(2015, 1, 1), date(2024, 2, 29), date(2026, 12, 1)])
        active_until = rng.choice([None, None, date(2025, 1, 31), date(2026, 11, 21)])
        person = net.person(
            f"P{n}",
            "Test",
            site=rng.choice(["PARIS", "PARIS-N", "SQY"]),
            active_from=active_from,
            active_until=active_until if active_until and active_until >= active_from else None,
        )
        qualified_on = rng.choice(days)
        if rng.random() < 0.3:
            net.qualify(person, rng.choice(["CERT-ACC", "CERT-CONS"]), on=qualified_on)
        for code in net.competencies:
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                made = net.assess(person, code, rng.randint(1, 3), on=rng.choice(days))
                if rng.random() < 0.15:
                    net.assess(
                        person, code, rng.randint(0, 3), on=made.assessed_on, supersedes=made
                    )
        for code, module in net.modules.items():
            others = [day for day in days if day != qualified_on]
            for ended in rng.sample(others, rng.choice([0, 1, 1, 2])):
                share = rng.choice([1, 1, module.min_attendance_percent / 100, 0.79, 0.5])
                hours = (module.hours * Decimal(str(share))).quantize(Decimal("0.01"))
                net.attend(person, code, ended=ended, hours=hours)
        programmes = ("CERT-ACC", "CERT-ACC", "CERT-CONS")
        for programme, start in zip(programmes, rng.sample(days, 3), strict=True):
            if rng.random() < 0.6:
                chain(net, rng, person, programme, start)


def chain(
    net: MiniNetwork, rng: random.Random, person: Person, programme: str, start: date
) -> None:
    """One to three certificates renewed on time or late; some revoked or superseded."""
    valid_from, valid_until = start, add_months(start, 36)
    for _ in range(rng.randint(1, 3)):
        state = rng.choice([CertificateState.ISSUED] * 4 + list(CertificateState))
        revoked_on = rng.choice(AS_OFS) if state is CertificateState.REVOKED else None
        if revoked_on and revoked_on < valid_from:
            revoked_on = valid_from
        net.certify(
            person,
            programme,
            valid_from=valid_from,
            valid_until=valid_until,
            state=state,
            revoked_on=revoked_on,
        )
        if state is CertificateState.SUPERSEDED:
            net.certify(person, programme, valid_from=valid_from, valid_until=valid_until)
        if rng.random() < 0.5:
            opens = window_opens(valid_until, 6)
            valid_from = rng.choice([opens, valid_until, opens + (valid_until - opens) / 2])
            valid_until = add_months(valid_until, 36)
        else:
            valid_from = valid_until + timedelta(days=rng.choice([1, 2, 100, 400]))
            valid_until = add_months(valid_from, 36)


def active_on(person: Person, as_of: date) -> bool:
    """Whether the person is active on the day."""
    return person.active_from <= as_of and (
        person.active_until is None or person.active_until >= as_of
    )


def assert_agrees(net: MiniNetwork, as_of: date) -> list[ProgressRow]:
    """Check every row of the day against explain and certificate_status; return the rows."""
    session = net.session
    rows = progress(session, as_of, Scope())
    persons = session.scalars(select(Person)).all()
    assert {(row.person_id, row.programme_id) for row in rows} == {
        (person.id, programme.id)
        for person in persons
        if active_on(person, as_of)
        for programme in net.programmes.values()
    }
    certificates = session.scalars(select(Certificate)).all()
    for row in rows:
        explanation = explain(session, row.person_id, row.programme_id, as_of)
        programme = session.get(Programme, row.programme_id)
        assert programme is not None
        held = [
            c
            for c in certificates
            if (c.person_id, c.programme_id) == (row.person_id, row.programme_id)
        ]
        status, valid_until = person_standing(explanation, held, programme.recert_window_months)
        assert (row.missing, row.status, row.valid_until) == (
            explanation.missing_count,
            status,
            valid_until,
        ), explanation.render("en")
    return rows


@pytest.mark.parametrize("seed", [1, 2])
def test_progress_agrees_with_explain(net: MiniNetwork, seed: int) -> None:
    """Random staff on four days: same missing count and status as explain, row by row."""
    populate(net, seed)
    statuses = Counter(row.status for as_of in AS_OFS for row in assert_agrees(net, as_of))
    assert set(statuses) == set(ProgressStatus), statuses


def test_progress_agrees_with_explain_on_every_boundary(net: MiniNetwork) -> None:
    """Each cutoff falls on 2026-11-21: checked the day before, of and after."""
    day = date(2026, 11, 21)
    renewed, windowed, revoked, expiring, refreshing, held = (
        net.person(name) for name in ("Renewed", "Windowed", "Revoked", "Old", "M04", "Held")
    )
    net.qualify(renewed, "CERT-CONS", on=date(2025, 6, 1))
    net.certify(renewed, "CERT-ACC", valid_from=date(2022, 5, 21))
    net.certify(renewed, "CERT-ACC", valid_from=date(2025, 5, 21))
    net.certify(windowed, "CERT-ACC", valid_from=date(2024, 5, 21))
    net.certify(
        revoked,
        "CERT-ACC",
        valid_from=date(2025, 1, 1),
        state=CertificateState.REVOKED,
        revoked_on=day,
    )
    net.assess(expiring, "ETH-01", 2, on=add_months(day, -36))
    net.attend(refreshing, "M04", ended=add_months(day, -24))
    net.qualify(held, "CERT-CONS", on=date(2025, 6, 1))
    net.certify(held, "CERT-ACC", valid_from=add_months(day, -24))
    for as_of in (day - timedelta(days=1), day, day + timedelta(days=1)):
        assert_agrees(net, as_of)

    def standing(as_of: date) -> dict[tuple[str, str], tuple[ProgressStatus, int]]:
        names = {person.id: person.given_name for person in net.session.scalars(select(Person))}
        codes = {programme.id: code for code, programme in net.programmes.items()}
        return {
            (names[row.person_id], codes[row.programme_id]): (row.status, row.missing)
            for row in progress(net.session, as_of, Scope())
        }

    before, on = standing(day - timedelta(days=1)), standing(day)
    changes = {key: (before[key], on[key]) for key in on if before[key] != on[key]}
    assert changes == {
        ("Windowed", "CERT-ACC"): ((ProgressStatus.CERTIFIED, 7), (ProgressStatus.IN_WINDOW, 7)),
        ("Revoked", "CERT-ACC"): ((ProgressStatus.CERTIFIED, 7), (ProgressStatus.IN_PROGRESS, 7)),
        ("Old", "CERT-ACC"): ((ProgressStatus.IN_PROGRESS, 6), (ProgressStatus.IN_PROGRESS, 7)),
        ("M04", "CERT-ACC"): ((ProgressStatus.IN_PROGRESS, 6), (ProgressStatus.IN_PROGRESS, 7)),
        ("Held", "CERT-CONS"): ((ProgressStatus.IN_PROGRESS, 1), (ProgressStatus.ELIGIBLE, 0)),
    }
    assert on["Renewed", "CERT-CONS"] == (ProgressStatus.ELIGIBLE, 0)


def test_statuses_of_typical_people(net: MiniNetwork) -> None:
    """Certified, in window, eligible, lapsed, in progress; valid_until and missing."""
    certified, renewing, ready, lapsed, starting = (net.person(str(n)) for n in range(5))
    for person in (certified, renewing, ready, lapsed):
        net.qualify(person, "CERT-ACC", on=date(2025, 3, 2))
    net.certify(certified, "CERT-ACC", valid_from=date(2025, 3, 2))
    net.certify(renewing, "CERT-ACC", valid_from=date(2024, 3, 2))
    net.certify(lapsed, "CERT-ACC", valid_from=date(2020, 3, 2))
    net.assess(lapsed, "ETH-01", 1, on=date(2025, 4, 2))
    net.assess(starting, "ETH-01", 2, on=date(2025, 4, 2))
    acc = net.programmes["CERT-ACC"].id
    rows = {row.person_id: row for row in progress(net.session, date(2026, 11, 21), Scope(), [acc])}
    got = {person.id: rows[person.id] for person in (certified, renewing, ready, lapsed, starting)}
    assert got == {
        certified.id: ProgressRow(certified.id, acc, ProgressStatus.CERTIFIED, date(2028, 3, 2), 0),
        renewing.id: ProgressRow(renewing.id, acc, ProgressStatus.IN_WINDOW, date(2027, 3, 2), 0),
        ready.id: ProgressRow(ready.id, acc, ProgressStatus.ELIGIBLE, None, 0),
        lapsed.id: ProgressRow(lapsed.id, acc, ProgressStatus.EXPIRED, date(2023, 3, 2), 1),
        starting.id: ProgressRow(starting.id, acc, ProgressStatus.IN_PROGRESS, None, 6),
    }
    assert [row.issuable for row in got.values()] == [False, True, True, False, False]


def test_prerequisite_and_min_held_in_sql(net: MiniNetwork) -> None:
    """CERT-CONS counts CERT-ACC only once held 24 months, across an on-time renewal."""
    alice = net.person()
    net.qualify(alice, "CERT-CONS", on=date(2024, 6, 1))
    net.certify(alice, "CERT-ACC", valid_from=date(2023, 1, 31), valid_until=date(2026, 1, 31))
    net.certify(alice, "CERT-ACC", valid_from=date(2025, 9, 1), valid_until=date(2029, 1, 31))
    cons = net.programmes["CERT-CONS"].id
    for as_of, missing in [(date(2025, 1, 30), 1), (date(2025, 1, 31), 0), (date(2026, 2, 1), 0)]:
        [row] = [
            r for r in progress(net.session, as_of, Scope(), [cons]) if r.person_id == alice.id
        ]
        assert row.missing == missing == explain(net.session, alice.id, cons, as_of).missing_count


def test_scope_of_a_site_includes_its_centre_associe(net: MiniNetwork) -> None:
    """PARIS brings PARIS-N; SQY alone is SQY; a region brings all its sites."""
    nimes = net.site("NIMES", "Cité des métiers de Nîmes", region="Occitanie")
    people = {code: net.person(code, site=code) for code in ("PARIS", "PARIS-N", "SQY", "NIMES")}
    as_of = date(2026, 11, 21)

    def persons(scope: Scope) -> set[int]:
        return {row.person_id for row in progress(net.session, as_of, scope)}

    paris, sqy = net.sites["PARIS"].id, net.sites["SQY"].id
    everyone = {person.id for person in people.values()} | {net.assessor.id}
    assert persons(Scope.sites(paris)) == {
        people["PARIS"].id,
        people["PARIS-N"].id,
        net.assessor.id,
    }
    assert persons(Scope.sites(sqy)) == {people["SQY"].id}
    assert persons(Scope.regions(nimes.region_id)) == {people["NIMES"].id}
    assert persons(Scope.regions(net.sites["SQY"].region_id)) == everyone - {people["NIMES"].id}
    assert persons(Scope.network()) == everyone


def test_inactive_people_are_left_out(net: MiniNetwork) -> None:
    """Those who left, or start later, are not part of the progress of the day."""
    left = net.person("Left", active_until=date(2026, 6, 30))
    later = net.person("Later", active_from=date(2027, 1, 4))
    ids = {row.person_id for row in progress(net.session, date(2026, 11, 21), Scope())}
    assert left.id not in ids
    assert later.id not in ids
    assert later.id in {row.person_id for row in progress(net.session, date(2027, 1, 4), Scope())}


def test_summary_counts_progress_per_site_programme_status(net: MiniNetwork) -> None:
    """The SQL counts equal the rows counted in Python."""
    populate(net, seed=3, people=20)
    as_of = date(2026, 11, 21)
    sites = {person.id: person.site_id for person in net.session.scalars(select(Person))}
    counted = Counter(
        (sites[row.person_id], row.programme_id, row.status)
        for row in progress(net.session, as_of, Scope())
    )
    got = summary(net.session, as_of, Scope())
    assert {(row.site_id, row.programme_id, row.status): row.count for row in got} == counted
    cons = net.programmes["CERT-CONS"].id
    assert {row.programme_id for row in summary(net.session, as_of, Scope(), [cons])} == {cons}
