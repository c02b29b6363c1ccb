"""Certificates issued elsewhere: recorded, never signed, delivered, listed nor reissued here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from certificates.snapshot import facts_from_certificate
from certify.access.permissions import Actor
from certify.model import Certificate
from certify.rules.scope import Scope
from certify.services.issuance import IssuedElsewhere, reissue_certificate, revoke_certificate
from certify.store.db import Database
from certify.views.revocations import highest_index, withdrawn_indexes
from certify.views.standing_certificates import standing_certificates
from tests.exchange_helpers import run_import, write_csv
from tests.factories import MiniNetwork

ALICE = "alice.durand.1@example.org"
HEADER = [
    "Numéro",
    "Personne",
    "Programme",
    "Délivré le",
    "Valide à partir du",
    "Valide jusqu'au",
    "Motif de reprise",
]


@pytest.fixture
def recorded(database: Database, tmp_path: Path) -> Database:
    """Alice, with a certificate issued in Lyon before certify, recorded by an import."""
    with database.transaction() as session:
        MiniNetwork.build(session).person("Alice", "Durand")
    row = ["LYON-12", ALICE, "CERT-ACC", "15/03/2025", "12/03/2025", "12/03/2028", "Registre"]
    report = run_import(database, "certificates", write_csv(tmp_path / "c.csv", [HEADER, row]))
    assert not report.problems
    return database


def test_never_signed_nor_reissued(recorded: Database) -> None:
    """Its facts are refused to the signer, its reissue refused, in one line each."""
    with recorded.reading() as session:
        certificate = session.scalars(select(Certificate)).one()
        assert certificate.issued_elsewhere
        with pytest.raises(IssuedElsewhere, match="LYON-12 was issued outside certify"):
            facts_from_certificate(certificate)
    refusal = pytest.raises(IssuedElsewhere, match="neither signs, delivers nor reissues")
    with refusal, recorded.transaction() as session:
        reissue_certificate(session, Actor.system(), "LYON-12", "Nom corrigé", date(2026, 1, 5))


def test_not_in_the_status_list(recorded: Database) -> None:
    """Revoked in certify, it still has no entry in certify's list: certify never signed it."""
    with recorded.transaction() as session:
        revoke_certificate(session, Actor.system(), "LYON-12", date(2026, 1, 5), "Fraude")
    with recorded.reading() as session:
        assert withdrawn_indexes(session) == []


def test_left_out_of_batches(recorded: Database) -> None:
    """A batch of the programme's standing certificates prints certify's own only."""
    with recorded.reading() as session:
        programme = session.scalars(select(Certificate.programme_id)).one()
        assert standing_certificates(session, programme, Scope.network(), date(2026, 1, 5)) == []


def test_imported_certificates_take_free_random_indexes(recorded: Database, tmp_path: Path) -> None:
    """The status-index column is required and unique: imported rows draw free random
    indexes too (in one batch), though no list will ever carry them."""
    rows = [
        [f"LYON-{n}", ALICE, "CERT-ACC", "15/03/2020", f"{n:02d}/03/2020", f"{n:02d}/03/2023", "R"]
        for n in range(13, 23)
    ]
    report = run_import(recorded, "certificates", write_csv(tmp_path / "more.csv", [HEADER, *rows]))
    assert not report.problems
    with recorded.reading() as session:
        indexes = session.scalars(select(Certificate.status_index)).all()
        assert len(indexes) == len(set(indexes)) == 11
        assert highest_index(session) == 0
