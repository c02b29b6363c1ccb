"""Programme eligibility: each requirement line's finding, evidence and wording."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from certify.errors import NotFound
from certify.model import CertificateState, Person
from certify.rules.eligibility import explain
from certify.rules.evidence import (
    AssessmentEvidence,
    AttendanceEvidence,
    CertificateEvidence,
    Finding,
    HoldingRule,
    LevelRef,
    RequirementKind,
)
from certify.rules.explanation import Explanation, Requirement
from certify.store.db import Database
from tests.factories import MiniNetwork

AS_OF = date(2026, 11, 21)


@pytest.fixture
def net(database: Database) -> Iterator[MiniNetwork]:
    """The miniature network, on each backend."""
    with database.transaction() as session:
        yield MiniNetwork.build(session)


def why(net: MiniNetwork, person: Person, programme: str, as_of: date = AS_OF) -> Explanation:
    """The explanation of ``person`` for ``programme``."""
    return explain(net.session, person.id, net.programmes[programme].id, as_of)


def line(explanation: Explanation, code: str) -> Requirement:
    """The requirement line of ``code``."""
    (found,) = (item for item in explanation.requirements if item.code == code)
    return found


def wording(explanation: Explanation, code: str) -> tuple[str, str]:
    """The French and English text of one line: its two rows after the 3-row header."""
    (index,) = (n for n, item in enumerate(explanation.requirements) if item.code == code)
    texts = [
        "\n".join(explanation.render(lang).splitlines()[3 + 2 * index :][:2])
        for lang in ("fr", "en")
    ]
    return texts[0], texts[1]


def test_eligible_person_every_line_met_with_evidence(net: MiniNetwork) -> None:
    """Each met line shows its evidence; completed_on is the latest evidence date."""
    alice = net.person()
    net.qualify(alice, "CERT-ACC", on=date(2025, 3, 2))
    net.assess(alice, "ETH-02", 3, on=date(2025, 6, 20))
    explanation = why(net, alice, "CERT-ACC")
    assert explanation.eligible
    assert explanation.missing_count == 0
    assert explanation.completed_on == date(2025, 6, 20)
    assert [item.kind for item in explanation.requirements] == [
        *[RequirementKind.COMPETENCY] * 4,
        *[RequirementKind.MODULE] * 3,
        RequirementKind.ACTIVE,
    ]
    assert [item.code for item in explanation.requirements] == [
        "ETH-01", "ETH-02", "ETH-03", "ACC-01", "M01", "M02", "M04", "ACTIVE",
    ]  # fmt: skip
    eth02 = line(explanation, "ETH-02")
    assert eth02.finding is Finding.PROFICIENT
    assert eth02.required == LevelRef(2, "Acquis", "Acquired")
    assert isinstance(eth02.evidence, AssessmentEvidence)
    assert (eth02.evidence.level.level, eth02.evidence.assessor_name) == (3, "Jean Martin")
    m02 = line(explanation, "M02")
    assert m02.finding is Finding.COMPLETED
    assert isinstance(m02.evidence, AttendanceEvidence)
    assert m02.evidence.expires_on == date(2028, 3, 2)
    assert "✓ ETH-02 Adopter une posture non prescriptive — niveau 2 (Acquis) requis" in (
        explanation.render("fr")
    )
    assert explanation.render("en").splitlines()[1] == (
        "CERT-ACC “First-level reception officer” as of 2026-11-21: "
        "eligible (last requirement met on 2025-06-20)"
    )


def test_below_level_and_never_assessed(net: MiniNetwork) -> None:
    """Level 1 where 2 is required, with its date; a competency never assessed."""
    alice = net.person()
    made = net.assess(alice, "ETH-01", 1, on=date(2025, 3, 2))
    explanation = why(net, alice, "CERT-ACC")
    below = line(explanation, "ETH-01")
    assert (below.finding, below.met, below.evidence.assessed_on) == (
        Finding.BELOW_LEVEL,
        False,
        date(2025, 3, 2),
    )
    assert wording(explanation, "ETH-01") == (
        "✗ ETH-01 Appliquer les principes de la Charte — niveau 2 (Acquis) requis\n"
        "    niveau 1 (En cours d'acquisition) le 02/03/2025, évalué·e par Jean Martin "
        f"(observation), évaluation n° {made.id}, expire le 02/03/2028",
        "✗ ETH-01 Apply the Charter principles — level 2 (Acquired) required\n"
        "    level 1 (In progress) on 2025-03-02, assessed by Jean Martin (observation), "
        f"assessment no. {made.id}, expires on 2028-03-02",
    )
    never = line(explanation, "ETH-02")
    assert (never.finding, never.evidence) == (Finding.NEVER_ASSESSED, None)
    assert wording(explanation, "ETH-02")[1].endswith("\n    never assessed")
    assert not explanation.eligible
    assert explanation.completed_on is None


def test_expired_assessment(net: MiniNetwork) -> None:
    """Assessed 2022-01-10, 36 months: expired on 2025-01-10, missing since then."""
    alice = net.person()
    net.assess(alice, "ETH-01", 2, on=date(2022, 1, 10))
    expired = line(why(net, alice, "CERT-ACC", date(2025, 1, 10)), "ETH-01")
    assert (expired.finding, expired.evidence.expires_on) == (
        Finding.ASSESSMENT_EXPIRED,
        date(2025, 1, 10),
    )
    text = wording(why(net, alice, "CERT-ACC", date(2025, 1, 10)), "ETH-01")
    assert text[0].endswith(
        "évaluation du 10/01/2022 expirée le 10/01/2025\u00a0: niveau 2 (Acquis)"
    )
    assert text[1].endswith("assessment of 2022-01-10 expired on 2025-01-10: level 2 (Acquired)")
    assert line(why(net, alice, "CERT-ACC", date(2025, 1, 9)), "ETH-01").met


def test_superseded_assessment_is_ignored(net: MiniNetwork) -> None:
    """A correction to level 1 makes the line unmet, whatever the corrected level was."""
    alice = net.person()
    wrong = net.assess(alice, "ETH-01", 3, on=date(2025, 3, 2))
    fixed = net.assess(alice, "ETH-01", 1, on=date(2025, 3, 2), supersedes=wrong)
    found = line(why(net, alice, "CERT-ACC"), "ETH-01")
    assert found.finding is Finding.BELOW_LEVEL
    assert isinstance(found.evidence, AssessmentEvidence)
    assert found.evidence.assessment_id == fixed.id


def test_partial_attendance(net: MiniNetwork) -> None:
    """10.5 h of 14 h is 75 %, short of 80 %."""
    alice = net.person()
    training = net.attend(alice, "M02", ended=date(2025, 3, 2), hours="10.5")
    explanation = why(net, alice, "CERT-ACC")
    assert line(explanation, "M02").finding is Finding.PARTIAL_ATTENDANCE
    assert wording(explanation, "M02") == (
        "✗ M02 Accueil de 1er niveau — présence à 80 % de 14 h requise\n"
        f"    présent·e 10,5 h sur 14 h (75 %) à la session {training.id} "
        "(PARIS, 02/03/2025 – 02/03/2025)",
        "✗ M02 First-level reception — attendance of 80 % of 14 h required\n"
        f"    attended 10.5 h of 14 h (75 %) in session {training.id} "
        "(PARIS, 2025-03-02 – 2025-03-02)",
    )
    never = line(explanation, "M01")
    assert (never.finding, never.evidence) == (Finding.NEVER_ATTENDED, None)


def test_refresh_expired(net: MiniNetwork) -> None:
    """M04 completed 2023-05-02 with a 24-month refresh expired on 2025-05-02."""
    alice = net.person()
    training = net.attend(alice, "M04", ended=date(2023, 5, 2))
    explanation = why(net, alice, "CERT-ACC")
    found = line(explanation, "M04")
    assert (found.finding, found.evidence.expires_on) == (Finding.REFRESH_EXPIRED, date(2025, 5, 2))
    assert wording(explanation, "M04")[1].endswith(
        f"completed 2023-05-02 (session {training.id}), refresh expired 2025-05-02"
    )
    assert wording(explanation, "M04")[0].endswith(
        f"suivi le 02/05/2023 (session {training.id}), recyclage échu le 02/05/2025"
    )


def test_prerequisite_held_too_briefly(net: MiniNetwork) -> None:
    """CERT-CONS needs CERT-ACC held 24 months: held since 2025-01-01, until 2027-01-01."""
    alice = net.person()
    net.certify(alice, "CERT-ACC", valid_from=date(2025, 1, 1))
    explanation = why(net, alice, "CERT-CONS")
    found = line(explanation, "CERT-ACC")
    assert found.finding is Finding.HELD_TOO_BRIEFLY
    assert found.required == HoldingRule(24)
    assert isinstance(found.evidence, CertificateEvidence)
    assert found.evidence.held_since == date(2025, 1, 1)
    serial = found.evidence.serial
    assert wording(explanation, "CERT-ACC") == (
        "✗ CERT-ACC Chargé·e d'accueil de 1er niveau — certificat valide détenu depuis au "
        "moins 24 mois requis\n"
        f"    certificat {serial} détenu depuis le 01/01/2025, 24 mois requis "
        "(jusqu'au 01/01/2027)",
        "✗ CERT-ACC First-level reception officer — valid certificate held for at least 24 "
        "months required\n"
        f"    certificate {serial} held since 2025-01-01, 24 months required (until 2027-01-01)",
    )
    assert line(why(net, alice, "CERT-CONS", date(2027, 1, 1)), "CERT-ACC").met


def test_prerequisite_held_across_on_time_renewals(net: MiniNetwork) -> None:
    """An on-time renewal continues the chain: held since the first certificate."""
    alice = net.person()
    net.certify(alice, "CERT-ACC", valid_from=date(2020, 3, 1))
    renewal = net.certify(
        alice, "CERT-ACC", valid_from=date(2022, 12, 1), valid_until=date(2026, 3, 1)
    )
    net.certify(alice, "CERT-ACC", valid_from=date(2026, 3, 1))
    found = line(why(net, alice, "CERT-CONS"), "CERT-ACC")
    assert found.finding is Finding.HELD
    assert isinstance(found.evidence, CertificateEvidence)
    assert found.evidence.held_since == date(2020, 3, 1)
    assert found.evidence.valid_until == date(2029, 3, 1)
    assert found.met_on == date(2022, 3, 1)
    earlier = line(why(net, alice, "CERT-CONS", date(2023, 1, 1)), "CERT-ACC")
    assert isinstance(earlier.evidence, CertificateEvidence)
    assert earlier.evidence.serial == renewal.serial


def test_late_renewal_restarts_the_time_held(net: MiniNetwork) -> None:
    """A renewal starting the day after expiry begins a new chain."""
    alice = net.person()
    net.certify(alice, "CERT-ACC", valid_from=date(2020, 3, 1))
    net.certify(alice, "CERT-ACC", valid_from=date(2023, 3, 2))
    found = line(why(net, alice, "CERT-CONS", date(2025, 6, 1)), "CERT-ACC")
    assert found.finding is Finding.HELD
    assert isinstance(found.evidence, CertificateEvidence)
    assert found.evidence.held_since == date(2023, 3, 2)
    assert line(why(net, alice, "CERT-CONS", date(2025, 3, 1)), "CERT-ACC").finding is (
        Finding.HELD_TOO_BRIEFLY
    )


def test_prerequisite_expired_revoked_and_reissued(net: MiniNetwork) -> None:
    """Expired: since the day after; revoked: not held from its date; a reissue stands."""
    alice, bob, carol = net.person(), net.person("Bob", "Léger"), net.person("Carol", "Roy")
    net.certify(alice, "CERT-ACC", valid_from=date(2020, 3, 1))
    expired = line(why(net, alice, "CERT-CONS"), "CERT-ACC")
    assert (expired.finding, expired.evidence.valid_until) == (
        Finding.CERTIFICATE_EXPIRED,
        date(2023, 3, 1),
    )
    assert wording(why(net, alice, "CERT-CONS"), "CERT-ACC")[1].endswith(
        "expired: valid until 2023-03-01"
    )
    net.certify(
        bob,
        "CERT-ACC",
        valid_from=date(2024, 3, 1),
        state=CertificateState.REVOKED,
        revoked_on=date(2026, 6, 1),
    )
    assert line(why(net, bob, "CERT-CONS"), "CERT-ACC").finding is Finding.NOT_HELD
    before = line(why(net, bob, "CERT-CONS", date(2026, 5, 31)), "CERT-ACC").finding
    assert before is Finding.HELD
    net.certify(carol, "CERT-ACC", valid_from=date(2024, 3, 1), state=CertificateState.SUPERSEDED)
    assert line(why(net, carol, "CERT-CONS"), "CERT-ACC").finding is Finding.NOT_HELD
    net.certify(carol, "CERT-ACC", valid_from=date(2024, 3, 1))
    assert line(why(net, carol, "CERT-CONS"), "CERT-ACC").finding is Finding.HELD


def test_completed_on_counts_the_prerequisite_holding_time(net: MiniNetwork) -> None:
    """Everything else met in 2025: eligible from the day CERT-ACC was held 24 months."""
    alice = net.person()
    net.certify(alice, "CERT-ACC", valid_from=date(2024, 8, 31))
    net.qualify(alice, "CERT-CONS", on=date(2025, 3, 2))
    explanation = why(net, alice, "CERT-CONS")
    assert explanation.eligible
    assert explanation.completed_on == date(2026, 8, 31)


@pytest.mark.parametrize(
    ("active_from", "active_until", "finding", "text_en"),
    [
        (date(2027, 1, 4), None, Finding.NOT_YET_ACTIVE, "not active yet: from 2027-01-04"),
        (
            date(2020, 1, 1),
            date(2026, 6, 30),
            Finding.LEFT,
            "left the network: last day 2026-06-30",
        ),
        (date(2020, 1, 1), AS_OF, Finding.ACTIVE, "active since 2020-01-01"),
    ],
)
def test_active_line(
    net: MiniNetwork,
    active_from: date,
    active_until: date | None,
    finding: Finding,
    text_en: str,
) -> None:
    """An inactive person is not eligible even with every other requirement met."""
    person = net.person(active_from=active_from, active_until=active_until)
    net.qualify(person, "CERT-ACC", on=date(2025, 3, 2))
    explanation = why(net, person, "CERT-ACC")
    active = line(explanation, "ACTIVE")
    assert active.finding is finding
    assert explanation.eligible is (finding is Finding.ACTIVE)
    assert explanation.missing_count == (0 if finding is Finding.ACTIVE else 1)
    assert wording(explanation, "ACTIVE")[1].endswith(f"    {text_en}")


def test_left_and_not_yet_active_lines_write_their_days_in_french(net: MiniNetwork) -> None:
    """A leaver's last day and a newcomer's first day, as French readers write them."""
    leaver = net.person(active_until=date(2026, 6, 30))
    left = line(why(net, leaver, "CERT-ACC"), "ACTIVE")
    assert (left.finding, left.evidence.active_until) == (Finding.LEFT, date(2026, 6, 30))
    assert wording(why(net, leaver, "CERT-ACC"), "ACTIVE")[0].endswith(
        "a quitté le réseau\u00a0: dernier jour le 30/06/2026"
    )
    newcomer = net.person(active_from=date(2027, 1, 4))
    assert wording(why(net, newcomer, "CERT-ACC"), "ACTIVE")[0].endswith(
        "pas encore en activité\u00a0: à partir du 04/01/2027"
    )


def test_json_round_trip_without_floats(net: MiniNetwork) -> None:
    """to_dict is JSON-safe (ISO dates, hours as strings) and from_dict gives it back."""
    alice = net.person()
    net.qualify(alice, "CERT-ACC", on=date(2025, 3, 2))
    net.assess(alice, "ETH-01", 1, on=date(2025, 4, 2))
    net.attend(alice, "M04", ended=date(2025, 4, 2), hours="2.5")
    net.certify(alice, "CERT-ACC", valid_from=date(2025, 3, 2))
    for programme in ("CERT-ACC", "CERT-CONS"):
        explanation = why(net, alice, programme)
        data = explanation.to_dict()
        text = json.dumps(data)
        assert json.loads(text) == data
        assert not any(isinstance(leaf, float) for leaf in _leaves(data))
        assert Explanation.from_dict(json.loads(text)) == explanation
        assert Explanation.from_dict(data).to_dict() == data
    acc = why(net, alice, "CERT-ACC").to_dict()
    assert (acc["eligible"], acc["missing_count"], acc["completed_on"]) == (False, 1, None)
    m04 = next(item for item in acc["requirements"] if item["code"] == "M04")
    assert m04["required"] == {"percent": 80, "hours": "3.5"}
    assert m04["evidence"]["hours_present"] == "3.5"
    assert m04["met"] is True
    eth01 = next(item for item in acc["requirements"] if item["code"] == "ETH-01")
    assert eth01["evidence"]["assessed_on"] == "2025-04-02"
    assert eth01["finding"] == "below_level"


def _leaves(value: object) -> Iterator[object]:
    """Every scalar inside a JSON value."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_unknown_person_or_programme(net: MiniNetwork) -> None:
    """One plain message, in both languages."""
    alice = net.person()
    with pytest.raises(NotFound, match="no person with id 999"):
        explain(net.session, 999, net.programmes["CERT-ACC"].id, AS_OF)
    with pytest.raises(NotFound, match="no programme with id 999"):
        explain(net.session, alice.id, 999, AS_OF)
