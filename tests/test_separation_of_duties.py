"""Separation of duties on every path: nobody issues, assesses or records attendance for
themselves, and taking part in a session grants a trainer nothing their scope does not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from certify.access.permissions import PermissionDenied, Reason
from certify.errors import CertifyError
from certify.exchange import KINDS, authorize_import, render_report
from certify.services.attendance import record_attendance
from certify.services.issuance import issue_certificate
from certify.store.db import Database
from tests.exchange_helpers import found, run_import, write_csv
from tests.network import SESSION_ID, SmallNetwork, build_small_network
from tests.test_issuance import Network
from tests.test_permissions import (
    ADMIN,
    COUNSELLOR,
    LIEGE_STAFF,
    NETWORK_COORD,
    SITE_COORD,
    TRAINER,
)

#: The kinds coordinators may import; administrators import every kind, others none.
COORDINATOR_KINDS = {"staff", "sessions", "assessments"}
ASSESSMENTS = ["Personne", "Compétence", "Niveau", "Date", "Évaluateur", "Méthode"]
SESSIONS = ["Module", "Site", "Début", "Fin", "Formateurs", "Participant", "Heures de présence"]


@pytest.fixture
def network(database: Database) -> SmallNetwork:
    """The small network of tests/network.py."""
    return build_small_network(database)


def email(person_id: int) -> str:
    """A person's e-mail in the small network."""
    return f"p{person_id}@cdm.example"


@pytest.mark.parametrize("actor_id", [ADMIN, NETWORK_COORD, SITE_COORD, TRAINER, COUNSELLOR])
def test_import_kinds_by_role(network: SmallNetwork, actor_id: int) -> None:
    """Every import kind × role: certificates issued elsewhere are for administrators only."""
    actor = network.actor(actor_id)
    for kind in KINDS:
        allowed = actor.is_admin or (actor.oversees and kind.name in COORDINATOR_KINDS)
        if allowed:
            authorize_import(actor, kind)
        else:
            wanted = "import reference data" if kind.reference else "import data"
            with pytest.raises(PermissionDenied, match=wanted):
                authorize_import(actor, kind)


def test_a_trainer_records_attendance_in_scope_only(network: SmallNetwork) -> None:
    """Not a Liège person on a Nîmes session, not oneself; a Nîmes counsellor, yes."""
    trainer = network.actor(TRAINER)
    refusals = [
        ({LIEGE_STAFF: Decimal(0)}, CertifyError, "not staff of NIMES"),
        ({TRAINER: Decimal(14)}, PermissionDenied, "nobody does this for themselves"),
    ]
    for hours, error, message in refusals:
        with pytest.raises(error, match=message), network.database.transaction() as session:
            record_attendance(session, trainer, SESSION_ID, hours)
    with network.database.transaction() as session:
        assert record_attendance(session, trainer, SESSION_ID, {COUNSELLOR: Decimal(14)}) == 1


def test_a_coordinator_does_not_certify_himself(database: Database) -> None:
    """Even with an override reason, the coordinator cannot issue his own certificate."""
    network = Network(database)
    coordinator = network.coordinator
    assert coordinator.person_id is not None
    with pytest.raises(PermissionDenied) as refusal, database.transaction() as session:
        issue_certificate(
            session,
            coordinator,
            coordinator.person_id,
            network.programme,
            date(2025, 4, 1),
            "Je le mérite",
        )
    assert refusal.value.why is Reason.NOT_FOR_ONESELF


def test_imports_keep_the_actor_off_their_own_records(
    network: SmallNetwork, tmp_path: Path
) -> None:
    """A coordinator's own assessment under another assessor's name, their own attendance,
    and a participant from another site are refused, each on its line."""
    coordinator = network.actor(SITE_COORD)
    assessment = [email(SITE_COORD), "ETH-01", "3", "02/03/2026", email(TRAINER), "quiz"]
    report = run_import(
        network.database,
        "assessments",
        write_csv(tmp_path / "a.csv", [ASSESSMENTS, assessment]),
        actor=coordinator,
        today=date(2026, 3, 4),
    )
    assert found(report) == [(2, "Personne", email(SITE_COORD))]
    assert "personne ne s'évalue soi-même" in render_report(report)
    session = ["M01", "NIMES", "02/03/2026", "03/03/2026", email(TRAINER)]
    rows = [
        SESSIONS,
        [*session, email(COUNSELLOR), "14"],
        [*session, email(SITE_COORD), "14"],
        [*session, email(LIEGE_STAFF), "14"],
    ]
    report = run_import(
        network.database,
        "sessions",
        write_csv(tmp_path / "s.csv", rows),
        actor=coordinator,
        today=date(2026, 3, 4),
    )
    assert found(report) == [
        (3, "Participant", email(SITE_COORD)),
        (4, "Participant", email(LIEGE_STAFF)),
        (4, "Participant", "LIEGE"),
    ]
    text = render_report(report, "en")
    assert "nobody does this for themselves" in text
    assert "not staff of NIMES or its centres" in text and "outside your scope" in text
