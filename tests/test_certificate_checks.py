"""A person's certificates verified as a verifier would, and their PDFs of record."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from certificates.checks import IssuerKeys, certificate_pdf, verify_certificates
from certificates.errors import KeyRingMissing
from certificates.verification import Verdict
from certify.access.permissions import Actor, PermissionDenied
from certify.model import Role
from certify.services.issuance import reissue_certificate, revoke_certificate
from certify.store.db import Database
from certify.views.certificate_records import find_certificate
from tests.pdf_helpers import issue_hard_names, make_ring

#: The day of issue and of the checks.
TODAY = date.today()
#: An administrator acting in these tests.
ADMIN = Actor("admin", None, frozenset({Role.ADMIN}))


@pytest.fixture
def ring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IssuerKeys:
    """The test issuer's key ring."""
    return IssuerKeys(make_ring(tmp_path / "keys", monkeypatch))


def holder(person_id: int) -> Actor:
    """A counsellor with no other role: the holder."""
    return Actor("holder", person_id, frozenset({Role.COUNSELLOR}))


def test_valid_revoked_and_superseded_as_a_verifier_sees_them(
    database: Database, ring: IssuerKeys, tmp_path: Path
) -> None:
    """Unsigned: no verdict; signed on first download: valid, from the PDF; revoked, reissued.

    The checks need no passphrase: a ring opened with a wrong one verifies as well.
    """
    issued = issue_hard_names(database, TODAY)
    first, second = issued.serials
    person, other = issued.person_ids
    locked = IssuerKeys(tmp_path / "keys", "not the passphrase")
    with database.transaction() as session:
        assert (
            verify_certificates(session, holder(person), person, lambda: locked, TODAY).checks == {}
        )
        pdf = certificate_pdf(
            session, holder(person), find_certificate(session, first).id, ring, "fr"
        )
        assert first in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        [check] = verify_certificates(
            session, holder(person), person, lambda: locked, TODAY
        ).checks.values()
        assert (check.result.verdict, check.from_pdf) == (Verdict.VALID, True)
        assert len(check.code) == 11 and check.code[5] == "-"
        assert check.code in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        certificate_pdf(session, ADMIN, find_certificate(session, second).id, ring, "fr")
        revoke_certificate(session, ADMIN, first, TODAY, "erreur de saisie")
        reissue_certificate(session, ADMIN, second, "nom corrigé", TODAY)
    with database.reading() as session:
        [revoked] = verify_certificates(
            session, ADMIN, person, lambda: locked, TODAY
        ).checks.values()
        assert revoked.result.verdict is Verdict.REVOKED
        checks = verify_certificates(session, ADMIN, other, lambda: locked, TODAY).checks
        assert {id_: check.result.verdict for id_, check in checks.items()} == {
            find_certificate(session, second).id: Verdict.REVOKED
        }


def test_nobody_reads_another_persons_certificates(database: Database, ring: IssuerKeys) -> None:
    """A counsellor may neither verify nor download someone else's certificates."""
    issued = issue_hard_names(database, TODAY)
    first, second = issued.person_ids
    with database.transaction() as session:
        theirs = find_certificate(session, issued.serials[1]).id
        with pytest.raises(PermissionDenied):
            verify_certificates(session, holder(first), second, lambda: ring, TODAY)
        with pytest.raises(PermissionDenied):
            certificate_pdf(session, holder(first), theirs, ring, "fr")


def test_without_a_key_ring_verification_is_unavailable(database: Database, tmp_path: Path) -> None:
    """No ring configured here: no verdict, and the reason, in both languages."""
    person = issue_hard_names(database, TODAY).person_ids[0]
    with database.reading() as session:
        verification = verify_certificates(
            session, holder(person), person, lambda: IssuerKeys(tmp_path / "none"), TODAY
        )
    assert verification.checks == {}
    assert isinstance(verification.unavailable, KeyRingMissing)
