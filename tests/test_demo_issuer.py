"""The demo's issuer: ``certify demo`` makes a key ring with the demo passphrase, once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from certificates import keys
from certificates.demo_issuer import DEMO_ISSUER, set_up_demo_issuer
from certificates.errors import WrongPassphrase
from certificates.issuer import load_issuer
from certificates.keys import INDEX_FILE, load_signing_key
from certify.cli import DEMO_EXTRAS_GROUP, demo, main

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


def test_the_demo_issuer_opens_with_the_demo_password(folder: Path) -> None:
    """A ring of a plainly fake issuer, unlocked by certify-demo only; the user is told."""
    said: list[str] = []
    set_up_demo_issuer(None, DAY, said.append)  # type: ignore[arg-type]
    assert load_issuer() == DEMO_ISSUER
    assert DEMO_ISSUER.profile.name == "Réseau des Cités des métiers (démo)"
    assert DEMO_ISSUER.profile.id.endswith(".invalid")
    assert load_signing_key(passphrase="certify-demo").kid.startswith("did:key:")
    with pytest.raises(WrongPassphrase):
        load_signing_key(passphrase="not-the-demo-one")
    assert said == [
        f"émetteur de démonstration créé / demo issuer created: {folder} "
        "(phrase de passe / passphrase certify-demo)"
    ]


def test_an_existing_ring_is_left_alone(folder: Path) -> None:
    """A ring already there (a real one here) is neither replaced nor re-encrypted."""
    keys.init_ring(
        "https://cdm.example.org",
        passphrase="a real, long passphrase",
        now=datetime(2025, 1, 1, tzinfo=UTC),
    )
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    said: list[str] = []
    set_up_demo_issuer(None, DAY, said.append)  # type: ignore[arg-type]
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert said == [
        f"trousseau de clés existant laissé tel quel / existing key ring left unchanged: {folder}"
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
    assert "demo issuer created" in capsys.readouterr().out
    assert (folder / INDEX_FILE).exists()
    ring = (folder / INDEX_FILE).read_bytes()
    second = str(tmp_path / "second.db")
    assert main(["--db", second, "demo", "--staff", "125", "--as-of", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "existing key ring left unchanged" in out and "demo issuer created" not in out
    assert (folder / INDEX_FILE).read_bytes() == ring
    load_signing_key(passphrase="certify-demo")
