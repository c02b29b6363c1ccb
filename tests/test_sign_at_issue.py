"""Certificates signed once, when issued, by the active key at the real time; PDFs need no key."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from certificates import data_integrity, keys
from certificates.keys import export_public_keys, load_signing_key, signing_now
from certify.cli import main
from certify.model import Role
from certify.services.documents import (
    standing_signed_by,
    stored_signatures,
    unsigned_certificates,
)
from certify.store.db import Database
from certify.views.certificate_records import find_certificate
from tests.factories import MiniNetwork
from tests.pdf_helpers import make_ring

#: The day the commands run.
TODAY = date.today()


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str]:
    """Run ``certify --db <database> argv…``; the exit status and all it printed."""
    status = main(["--db", database.url, *argv])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def eligible(database: Database, count: int = 1) -> list[str]:
    """E-mails of ``count`` people qualified for CERT-ACC a month ago, holding nothing."""
    with database.transaction() as session:
        network = MiniNetwork.build(session)
        people = [network.person("Zoé", f"Martin{index}") for index in range(count)]
        for person in people:
            network.qualify(person, "CERT-ACC", on=TODAY - timedelta(days=30))
        network.person("Ayşe", "Yılmaz", roles=(Role.ADMIN,))
        return [person.email for person in people]


def signature_of(database: Database, serial: str) -> dict[str, object] | None:
    """The stored signature of ``serial``: key, moment and credential (``None``: unsigned)."""
    with database.reading() as session:
        certificate = find_certificate(session, serial)
        signature = stored_signatures(session, [certificate.id]).get(certificate.id)
    if signature is None:
        return None
    return {
        "key_id": signature.key_id,
        "signed_at": signature.signed_at,
        "credential": json.loads(signature.credential),
    }


@pytest.fixture
def ring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A key ring for the test issuer, chosen through the environment."""
    return make_ring(tmp_path / "keys", monkeypatch)


def issued_serial(output: str) -> str:
    """The serial ``certify issue --person`` printed."""
    return next(word for word in output.split() if word.startswith("CDM-"))


def test_issue_signs_at_the_real_time_with_the_active_key(
    database: Database,
    ring: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The proofs are dated when signed, not at midnight; the export then needs no passphrase."""
    [email] = eligible(database)
    before = signing_now()
    status, out = run(capsys, database, "issue", "--programme", "CERT-ACC", "--person", email)
    assert status == 0, out
    serial = issued_serial(out)
    signature = signature_of(database, serial)
    assert signature is not None
    assert signature["key_id"] == load_signing_key(ring).kid
    signed_at = signature["signed_at"]
    assert isinstance(signed_at, datetime)
    assert before <= signed_at <= datetime.now(UTC)
    assert data_integrity.created(signature["credential"]) == signed_at
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    pdf = tmp_path / "c.pdf"
    status, out = run(capsys, database, "certificate", "export", serial, "--out", str(pdf))
    assert status == 0, out
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_wrong_passphrase_issues_nothing(
    database: Database,
    ring: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The key is opened before anything is written: a wrong passphrase leaves no certificate."""
    [email] = eligible(database)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "not the passphrase at all")
    status, out = run(capsys, database, "issue", "--programme", "CERT-ACC", "--person", email)
    assert status != 0
    assert "phrase de passe" in out
    with database.reading() as session:
        assert unsigned_certificates(session) == []
        assert stored_signatures(session, list(range(1, 10))) == {}


def test_without_a_ring_issued_unsigned_then_signed_by_the_sign_command(
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No ring: issued unsigned, and told so; once a ring exists, ``certificate sign`` signs."""
    monkeypatch.setenv(keys.KEYS_DIR_ENV, str(tmp_path / "none"))
    emails = eligible(database, 2)
    status, out = run(capsys, database, "issue", "--programme", "CERT-ACC")
    assert status == 0, out
    assert "2 certificats délivrés sans signature" in out and "les signera" in out
    with database.reading() as session:
        assert len(unsigned_certificates(session)) == len(emails)
    make_ring(tmp_path / "keys", monkeypatch)
    status, out = run(capsys, database, "certificate", "sign")
    assert (status, out.strip()) == (0, "2 certificats signés")
    with database.reading() as session:
        assert unsigned_certificates(session) == []
    assert run(capsys, database, "--lang", "en", "certificate", "sign")[1] == (
        "0 certificates signed\n"
    )


def test_a_reissue_right_after_rotation_signs_with_the_new_key(
    database: Database,
    ring: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Reissuing after ``keys rotate`` signs with the new key, within its window."""
    [email] = eligible(database)
    serial = issued_serial(
        run(capsys, database, "issue", "--programme", "CERT-ACC", "--person", email)[1]
    )
    old = load_signing_key(ring).kid
    assert run(capsys, database, "keys", "rotate")[0] == 0
    new = load_signing_key(ring).kid
    status, out = run(capsys, database, "reissue", serial, "--reason", "nom corrigé")
    assert status == 0, out
    replacement = out.split()[-1]
    first, second = signature_of(database, serial), signature_of(database, replacement)
    assert first is not None and second is not None
    assert (first["key_id"], second["key_id"]) == (old, new)
    pdf = tmp_path / "new.pdf"
    run(capsys, database, "certificate", "export", replacement, "--out", str(pdf))
    run(capsys, database, "status-list", "export")
    status, out = run(capsys, database, "verify", str(pdf))
    assert (status, out.splitlines()[0]) == (0, "VALIDE"), out


def test_a_compromised_key_is_trusted_no_more_and_its_certificates_are_reissued(
    database: Database,
    ring: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``keys revoke KEY --compromised``: its PDFs read UNKNOWN KEY, the reissued ones VALID."""
    eligible(database, 2)
    assert run(capsys, database, "issue", "--programme", "CERT-ACC")[0] == 0
    stolen = load_signing_key(ring).kid
    with database.reading() as session:
        serials = [item.serial for item in standing_signed_by(session, stolen)]
    assert len(serials) == 2
    old_pdf = tmp_path / "old.pdf"
    run(capsys, database, "certificate", "export", serials[0], "--out", str(old_pdf))
    status, out = run(capsys, database, "keys", "revoke", stolen, "--compromised")
    assert status == 0, out
    assert "2 certificats réédités" in out
    active = load_signing_key(ring).kid
    assert active != stolen
    with database.reading() as session:
        assert standing_signed_by(session, stolen) == []
        reissued = [item.serial for item in standing_signed_by(session, active)]
    assert len(reissued) == 2
    entry = next(key for key in export_public_keys(ring).to_json() if key["id"] == stolen)
    assert entry["compromised"] is not None and entry["retired"] is not None
    run(capsys, database, "status-list", "export")
    status, out = run(capsys, database, "verify", str(old_pdf))
    assert (status, out.splitlines()[0]) == (3, "CLÉ INCONNUE")
    assert "compromise" in out
    new_pdf = tmp_path / "new.pdf"
    run(capsys, database, "certificate", "export", reissued[0], "--out", str(new_pdf))
    status, out = run(capsys, database, "verify", str(new_pdf))
    assert (status, out.splitlines()[0]) == (0, "VALIDE"), out
    status, out = run(capsys, database, "keys", "revoke", "https://nowhere#z6Mk", "--compromised")
    assert status != 0 and "clé inconnue" in out
