"""The retention periods applied: what is past them goes, what still counts stays, audited."""

# On 7 December 2026, with the default periods (leavers 5 years, evidence 6 years after it
# lapsed, failed sign-ins 30 days), evidence must have lapsed by 7 December 2020 and a
# leaver have left by 7 December 2021. Assessments count 36 months; modules M01 never
# lapse, M02 after 36 months, M04 after 24.

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from certify.access.permissions import Actor, PermissionDenied, Reason
from certify.cli import main
from certify.model import (
    Assessment,
    Attendance,
    AuditEvent,
    AuditPersonal,
    Person,
    Role,
    SignInThrottle,
)
from certify.rules.eligibility import explain
from certify.rules.retention import RetentionPeriods
from certify.services.retention import apply_retention, retention
from certify.store.audit import Change, record
from certify.store.db import Database
from tests.factories import MiniNetwork

#: The day the periods are applied on; sign-ins are judged from now, as the command does.
TODAY = date(2026, 12, 7)
NOW = datetime.now(UTC)
#: An administrator who is nobody's colleague.
ADMIN = Actor("admin", None, frozenset({Role.ADMIN}))


class Kept:
    """The ids of what goes and what stays, by name."""

    def __init__(self) -> None:
        """Nothing yet."""
        self.ids: dict[str, Any] = {}


@pytest.fixture
def network(database: Database) -> Kept:
    """Alice's evidence, old and new; Bob left in 2021, Carol in 2022; three sign-in rows."""
    kept = Kept()
    with database.transaction() as session:
        net = MiniNetwork.build(session)
        alice = net.person("Alice", "Durand")
        bob = net.person("Bob", "Leroy", active_until=date(2021, 12, 1))
        carol = net.person("Carol", "Petit", active_until=date(2022, 1, 1))
        old = net.assess(alice, "ETH-01", 2, on=date(2017, 1, 10))  # lapsed 10/01/2020
        recent_enough = net.assess(alice, "ETH-02", 2, on=date(2018, 1, 10))  # 10/01/2021
        corrected = net.assess(alice, "ETH-03", 1, on=date(2017, 1, 10))
        correction = net.assess(alice, "ETH-03", 2, on=date(2018, 6, 1), supersedes=corrected)
        both_old = net.assess(alice, "ACC-01", 1, on=date(2016, 5, 1))
        both_old_fix = net.assess(alice, "ACC-01", 2, on=date(2016, 5, 1), supersedes=both_old)
        counts = net.assess(alice, "CON-01", 2, on=date(2025, 1, 1))
        net.attend(alice, "M02", ended=date(2017, 1, 1))  # lapsed 01/01/2020: goes
        net.attend(alice, "M01", ended=date(2010, 1, 1))  # never lapses: stays
        net.attend(alice, "M04", ended=date(2019, 1, 1))  # lapsed 01/01/2021: stays
        session.add_all(
            [
                SignInThrottle(
                    kind="account",
                    key="old",
                    failures=2,
                    last_failed_at=NOW - timedelta(days=60),
                ),
                SignInThrottle(
                    kind="client",
                    key="10.0.0.1",
                    failures=1,
                    last_failed_at=NOW - timedelta(days=2),
                ),
                SignInThrottle(
                    kind="account",
                    key="locked",
                    failures=9,
                    last_failed_at=NOW - timedelta(days=60),
                    locked_until=NOW + timedelta(days=30),
                ),
            ]
        )
        record(
            session,
            None,
            Change(
                "assessment.recorded",
                "assessment",
                old.id,
                after={"person_id": alice.id, "evidence": "Accueil de Mme X observé"},
            ),
        )
        kept.ids = {
            "alice": alice.id,
            "bob": bob.id,
            "carol": carol.id,
            "programme": net.programmes["CERT-ACC"].id,
            "gone": {old.id, both_old.id, both_old_fix.id},
            "stay": {recent_enough.id, corrected.id, correction.id, counts.id},
        }
    return kept


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str]:
    """Run ``certify --db <database> argv…``: its exit status and what it printed."""
    status = main(["--db", database.url, *argv])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def state(database: Database, person_id: int, programme_id: int) -> dict[str, Any]:
    """What the database holds now, and what the person's status is on ``TODAY``."""
    with database.reading() as session:
        explanation = explain(session, person_id, programme_id, TODAY)
        return {
            "assessments": set(session.scalars(select(Assessment.id))),
            "attendance": sorted(
                session.execute(select(Attendance.session_id, Attendance.person_id))
            ),
            "sign_ins": sorted(session.scalars(select(SignInThrottle.key))),
            "pseudonymised": sorted(
                session.scalars(select(Person.id).where(Person.pseudonymised_on.is_not(None)))
            ),
            "status": (explanation.eligible, explanation.missing_count),
            "audit_values": session.scalar(select(func.count()).select_from(AuditPersonal)),
        }


def test_a_dry_run_says_what_would_go_and_writes_nothing(
    database: Database, network: Kept, capsys: pytest.CaptureFixture[str]
) -> None:
    """Counts and the leaver's name, the cut-off days written out, nothing changed."""
    before = state(database, network.ids["alice"], network.ids["programme"])
    status, output = run(
        capsys, database, "privacy", "retention", "--dry-run", "--date", "07/12/2026"
    )
    assert status == 0, output
    bob = f"Bob Leroy ({network.ids['bob']})"
    assert output.splitlines()[1:] == [
        "  1 personne partie au plus tard le 7 décembre 2021, pseudonymisée\u00a0: " + bob,
        "  3 évaluations échues au plus tard le 7 décembre 2020, supprimées",
        "  1 présence dont la validité a pris fin au plus tard le 7 décembre 2020, supprimée",
        "  1 échec de connexion de plus de 30 jours, effacé",
        "Essai à blanc (--dry-run)\u00a0: rien n'a été écrit.",
    ]
    assert state(database, network.ids["alice"], network.ids["programme"]) == before


def test_what_is_past_its_period_goes_and_nothing_that_counts_changes(
    database: Database, network: Kept
) -> None:
    """The lapsed assessments go (a chain whole or not at all), the lapsed attendance, the
    leaver of 2021 pseudonymised, old failed sign-ins forgotten; statuses stay; audited."""
    alice, programme = network.ids["alice"], network.ids["programme"]
    before = state(database, alice, programme)
    with database.transaction() as session:
        apply_retention(session, ADMIN, retention(session, ADMIN, RetentionPeriods(), TODAY, NOW))
    after = state(database, alice, programme)
    assert after["assessments"] == before["assessments"] - network.ids["gone"]
    assert network.ids["stay"] <= after["assessments"]
    assert len(after["attendance"]) == len(before["attendance"]) - 1
    assert after["sign_ins"] == ["10.0.0.1", "locked"]
    assert after["pseudonymised"] == [network.ids["bob"]]
    assert after["status"] == before["status"]
    assert after["audit_values"] == before["audit_values"] - 1  # the old assessment's evidence
    with database.reading() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last is not None and last.action == "retention.applied"
        assert last.details == {
            "departed_years": 5,
            "evidence_years": 6,
            "sign_in_days": 30,
            "pseudonymised": 1,
            "assessments_deleted": 3,
            "attendance_deleted": 1,
            "sign_ins_deleted": 1,
        }
    with database.transaction() as session:
        assert retention(session, ADMIN, RetentionPeriods(), TODAY, NOW).nothing


def test_only_an_administrator_applies_periods_of_at_least_a_year(
    database: Database, network: Kept, capsys: pytest.CaptureFixture[str]
) -> None:
    """A coordinator is refused; a period of 0 is refused in words; the chain verifies after."""
    coordinator = Actor("coord", None, frozenset({Role.COORDINATOR}))
    with database.reading() as session, pytest.raises(PermissionDenied) as refused:
        retention(session, coordinator, RetentionPeriods(), TODAY, NOW)
    assert refused.value.why is Reason.ADMINS_ONLY
    status, output = run(capsys, database, "privacy", "retention", "--evidence-years", "0")
    assert status != 0 and "une durée de conservation compte au moins 1 an" in output
    assert run(capsys, database, "privacy", "retention", "--date", "07/12/2026")[0] == 0
    status, output = run(capsys, database, "audit", "verify")
    assert status == 0 and "intacte" in output, output
