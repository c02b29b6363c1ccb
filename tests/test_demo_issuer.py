"""The demo's issuer: ``certify demo`` makes a key ring with the demo passphrase, once, and
publishes its status list, so that a demo certificate verifies VALID straight away."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from sqlalchemy import select

from certificates import keys
from certificates.checkpoints import CHECKPOINT_FILE
from certificates.demo_issuer import DEMO_ISSUER, set_up_demo_issuer
from certificates.errors import WrongPassphrase
from certificates.issuer import load_issuer
from certificates.keys import INDEX_FILE, load_signing_key
from certificates.status_publication import STATUS_LIST_FILE
from certify.cli import DEMO_EXTRAS_GROUP, demo, main
from certify.model import Certificate, CertificateState
from certify.rules.wording import Wording
from certify.store.db import Database

#: The demo's day in these tests.
DAY = date(2026, 11, 21)
#: The demo issuer as pyproject.toml declares it.
EXTRA = EntryPoint(
    name="certificates",
    value="certificates.demo_issuer:set_up_demo_issuer",
    group=DEMO_EXTRAS_GROUP,
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A keys folder of the test's own, with cheap key encryption."""
    monkeypatch.setattr(keys, "KDF_ROUNDS", 1)
    monkeypatch.setenv(keys.KEYS_DIR_ENV, str(tmp_path / "keys"))
    return tmp_path / "keys"


def test_the_demo_issuer_opens_with_the_demo_password(folder: Path, database: Database) -> None:
    """A ring of a plainly fake issuer, unlocked by certify-demo only, and its signed status
    list with the audit checkpoint beside it; the user is told."""
    said: list[Wording] = []
    set_up_demo_issuer(database, DAY, said.append)
    assert load_issuer() == DEMO_ISSUER
    assert DEMO_ISSUER.profile.name == "Réseau des Cités des métiers (démo)"
    assert DEMO_ISSUER.profile.id.endswith(".invalid")
    assert load_signing_key(passphrase="certify-demo").kid.startswith(
        DEMO_ISSUER.profile.id + "#z6Mk"
    )
    with pytest.raises(WrongPassphrase):
        load_signing_key(passphrase="not-the-demo-one")
    status_list = json.loads((folder / STATUS_LIST_FILE).read_text(encoding="utf-8"))
    assert status_list["issuer"]["id"] == DEMO_ISSUER.profile.id
    assert (folder / CHECKPOINT_FILE).exists()
    assert said[0] == Wording(
        f"émetteur de démonstration créé\u00a0: {folder} (phrase de passe certify-demo)",
        f"demo issuer created: {folder} (passphrase certify-demo)",
    )
    until = status_list["validUntil"]
    assert said[-1].en == f"signed status list: {folder / STATUS_LIST_FILE} (valid until {until})"
    assert said[-1].fr.startswith(
        f"liste de révocation signée\u00a0: {folder / STATUS_LIST_FILE} (valable jusqu'au "
    )
    assert said[-1].fr.endswith(f" {until[11:16]} UTC)") and until[:4] in said[-1].fr


def test_an_existing_ring_is_left_alone(folder: Path, database: Database) -> None:
    """A ring already there (a real one here) is neither replaced nor re-encrypted, and no
    status list is signed for it."""
    keys.init_ring(
        "https://cdm.example.org",
        passphrase="a real, long passphrase",
        now=datetime(2025, 1, 1, tzinfo=UTC),
    )
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    said: list[Wording] = []
    set_up_demo_issuer(database, DAY, said.append)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert said == [
        Wording(
            f"trousseau de clés existant laissé tel quel\u00a0: {folder}",
            f"existing key ring left unchanged: {folder}",
        )
    ]


def test_certify_demo_makes_the_ring_once(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``certify demo`` runs the demo extras: the first demo makes the ring; a demo on
    another database finds it and leaves it as it was."""
    monkeypatch.setattr(demo, "entry_points", lambda group: [EXTRA])
    first = str(tmp_path / "first.db")
    assert main(["--db", first, "demo", "--staff", "125", "--as-of", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "émetteur de démonstration créé" in out and "liste de révocation signée" in out
    assert (folder / INDEX_FILE).exists()
    ring = (folder / INDEX_FILE).read_bytes()
    second = str(tmp_path / "second.db")
    assert main(["--db", second, "demo", "--staff", "125", "--as-of", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "trousseau de clés existant laissé tel quel" in out and "créé" not in out
    assert "signed status list" not in out
    assert (folder / INDEX_FILE).read_bytes() == ring
    load_signing_key(passphrase="certify-demo")


def test_a_fresh_demo_verifies_valid(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Right after ``certify demo``, a demo certificate's PDF reads VALID with nothing else
    done: the demo published its status list where ``certify verify`` looks."""
    monkeypatch.setattr(demo, "entry_points", lambda group: [EXTRA])
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "certify-demo")
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    today = date.today()
    assert main(["--db", url, "demo", "--staff", "125", "--as-of", today.isoformat()]) == 0
    database = Database(url)
    with database.reading() as session:
        serial = session.scalars(
            select(Certificate.serial)
            .where(
                Certificate.state == CertificateState.ISSUED,
                Certificate.issued_elsewhere.is_(False),
                Certificate.valid_from <= today,
                Certificate.valid_until >= today,
            )
            .order_by(Certificate.serial)
        ).first()
    database.dispose()
    assert serial is not None
    pdf = tmp_path / "demo.pdf"
    assert main(["--db", url, "certificate", "export", serial, "--out", str(pdf)]) == 0
    capsys.readouterr()
    assert main(["--db", url, "verify", str(pdf)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "VALIDE"
    assert serial in out
