"""Signed checkpoints of the audit trail: written with the status list, kept in the keys
folder, and checked by ``certify audit verify --checkpoint`` with the pinned keys only."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update
from sqlalchemy.orm import Session

from certificates.checkpoints import CHECKPOINT_FILE, HISTORY_FOLDER, sign_checkpoint
from certificates.key_ids import did_key_id
from certificates.keys import SigningKey
from certify.cli import main
from certify.model import Certificate, CertificateState
from certify.store.audit import ChainHead
from certify.store.db import Database
from tests.pdf_helpers import HARD_NAMES, ISSUER, issue_hard_names, make_ring
from tests.test_audit import append_forged, empty, rechain, rehash_after_edit, truncate

#: The day the certificates are issued.
ON = date(2026, 3, 2)


@pytest.fixture
def ring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A key ring for the test issuer, chosen through the environment."""
    return make_ring(tmp_path / "keys", monkeypatch)


@pytest.fixture
def exported(database: Database, ring: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Five certificates issued, then the status list and its checkpoint exported."""
    issue_hard_names(database, ON)
    assert run(capsys, database, "status-list", "export")[0] == 0
    return ring / CHECKPOINT_FILE


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str, str]:
    """Run ``certify --db <database> argv…``; exit status, standard output and error."""
    status = main(["--db", database.url, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_export_writes_the_checkpoint_and_keeps_a_copy(
    database: Database,
    exported: Path,
    ring: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Beside the status list (wherever ``--out`` puts it) and in the keys folder's history;
    the trail verifies against it, and still does once more events are written."""
    document = json.loads(exported.read_text())
    assert document["eventCount"] == len(HARD_NAMES)  # one event per certificate issued
    [kept] = (ring / HISTORY_FOLDER).iterdir()
    assert json.loads(kept.read_text()) == document
    status, out, _ = run(capsys, database, "audit", "verify", "--checkpoint", str(exported))
    count = document["eventCount"]
    assert status == 0
    assert out.startswith(f"piste d'audit intacte\u00a0: {count} événements vérifiés\n")
    assert "point de contrôle signé du " in out and f"({count} événements)" in out
    serial = "CDM-2026-000001"
    assert (
        run(capsys, database, "revoke", serial, "--reason", "Fraude", "--date", "03/03/2026")[0]
        == 0
    )
    status, out, _ = run(
        capsys, database, "--lang", "en", "audit", "verify", "--checkpoint", str(exported)
    )
    assert status == 0 and f"audit trail intact: {count + 1} events verified" in out
    elsewhere = tmp_path / "published" / "status.json"
    elsewhere.parent.mkdir()
    assert run(capsys, database, "status-list", "export", "--out", str(elsewhere))[0] == 0
    newer = json.loads((elsewhere.parent / CHECKPOINT_FILE).read_text())
    assert newer["eventCount"] == count + 1
    assert len(list((ring / HISTORY_FOLDER).iterdir())) == 2


@pytest.mark.parametrize(
    ("attack", "english"),
    [
        (truncate, "fewer than the checkpoint's"),
        (append_forged, "is not the checkpoint's: the trail was rewritten"),
        (rehash_after_edit, "is not the checkpoint's: the trail was rewritten"),
        (empty, "the audit trail holds 0 event(s), fewer than the checkpoint's"),
    ],
)
def test_a_rebuilt_trail_is_caught(
    database: Database,
    exported: Path,
    capsys: pytest.CaptureFixture[str],
    attack: Callable[[Session], None],
    english: str,
) -> None:
    """Truncated, forged, edited or emptied, then hashed again with the head reset."""
    with database.transaction() as session:
        attack(session)
        rechain(session)
    argv = ("--lang", "en", "audit", "verify", "--checkpoint", str(exported))
    status, out, _ = run(capsys, database, *argv)
    assert status == 4 and out.startswith("audit trail BROKEN") and english in out


def test_a_certificate_changed_without_its_event(
    database: Database, exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The chain is intact, but the row no longer agrees with the events: exit 4, named."""
    with database.transaction() as session:
        session.execute(
            update(Certificate)
            .where(Certificate.serial == "CDM-2026-000002")
            .values(state=CertificateState.SUPERSEDED)
        )
    status, out, _ = run(capsys, database, "audit", "verify", "--checkpoint", str(exported))
    assert status == 4 and out.startswith("piste d'audit intacte")
    assert "1 certificat(s) en désaccord avec leur historique\u00a0:\n" in out
    assert "  CDM-2026-000002\u00a0: remplacé selon sa ligne, délivré selon son historique" in out


def foreign_checkpoint(path: Path, count: int) -> Path:
    """A checkpoint of ``count`` events signed by a key that is not pinned, naming it."""
    private = Ed25519PrivateKey.generate()
    key = SigningKey(did_key_id(private.public_key()), private)
    document = sign_checkpoint(ChainHead(count, "0" * 64), ISSUER, key, datetime.now(UTC))
    path.write_text(json.dumps(document))
    return path


def test_a_checkpoint_not_signed_by_a_pinned_key_is_refused(
    database: Database, exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key named in the file is never trusted; an edited checkpoint fails its signature;
    a file that is not a checkpoint is refused: one line each, exit 1."""
    forged = foreign_checkpoint(tmp_path / "forged.json", 0)
    status, _, err = run(capsys, database, "audit", "verify", "--checkpoint", str(forged))
    assert status == 1 and err.count("\n") == 1 and "n'est pas une clé épinglée" in err
    edited = json.loads(exported.read_text()) | {"eventCount": 1}
    (tmp_path / "edited.json").write_text(json.dumps(edited))
    argv = ("--lang", "en", "audit", "verify", "--checkpoint", str(tmp_path / "edited.json"))
    status, _, err = run(capsys, database, *argv)
    assert err == "certify: error: checkpoint refused: its signature does not match\n"
    (tmp_path / "list.json").write_text("[]")
    status, _, err = run(
        capsys, database, "audit", "verify", "--checkpoint", str(tmp_path / "list.json")
    )
    assert (
        status == 1 and "point de contrôle refusé\u00a0: ce n'est pas un point de contrôle" in err
    )


def test_no_checkpoint_is_signed_over_a_broken_trail(
    database: Database, exported: Path, ring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The status list is still written (revocations must reach verifiers), the checkpoint
    refused and the trail named as broken."""
    with database.transaction() as session:
        truncate(session)
    status, out, err = run(capsys, database, "--lang", "en", "status-list", "export")
    assert status == 1 and "Signed status list" in out
    assert err.startswith("certify: error: checkpoint refused, the audit trail is broken: ")
    assert len(list((ring / HISTORY_FOLDER).iterdir())) == 1
