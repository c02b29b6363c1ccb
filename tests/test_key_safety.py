"""Keys and files: strong passphrases, private key files only, no half-written file left."""

from __future__ import annotations

import os
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from certificates import keys
from certificates.demo_issuer import DEMO_PASSPHRASE, set_up_demo_issuer
from certificates.errors import ExposedKeyFile, WeakPassphrase
from certificates.files import write_atomically
from certificates.keys import INDEX_FILE, init_ring, load_signing_key, rotate_key
from certify.cli import main
from certify.store.db import Database
from tests.certificate_factory import ISSUER
from tests.pdf_helpers import PASSPHRASE


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    """One bcrypt round per key: these tests are about the rules, not the KDF."""
    monkeypatch.setattr(keys, "KDF_ROUNDS", 1)


@pytest.mark.parametrize(
    "weak", ["x", "short pass", "aaaaaaaaaaaaaaaa", "abcabcabcabcabc", DEMO_PASSPHRASE]
)
def test_weak_passphrases_make_no_ring(tmp_path: Path, weak: str) -> None:
    """Too short, too plain, or the demo's published one: refused, nothing written."""
    with pytest.raises(WeakPassphrase) as caught:
        init_ring(ISSUER.id, directory=tmp_path / "keys", passphrase=weak)
    assert not (tmp_path / "keys").exists()
    if weak == DEMO_PASSPHRASE:
        assert "published passphrase" in caught.value.english
    else:
        assert "au moins 12 caractères, dont 6 différents" in caught.value.french
        assert "at least 12 characters, 6 of them different" in caught.value.english


def test_a_strong_passphrase_of_twelve_characters_is_enough(tmp_path: Path) -> None:
    """Twelve characters, six different: accepted."""
    init_ring(ISSUER.id, directory=tmp_path / "keys", passphrase="abcdefabcdef")
    assert load_signing_key(tmp_path / "keys", "abcdefabcdef")


def test_cli_refuses_a_weak_passphrase_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``certify keys init`` with a one-character passphrase: one line, exit 1."""
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "x")
    folder = tmp_path / "keys"
    argv = ["keys", "init", "--issuer-url", "https://cdm.example/", "--keys-dir", str(folder)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Phrase de passe trop faible" in err
    assert not folder.exists()


def test_the_demo_ring_keeps_its_published_passphrase(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database: Database,
) -> None:
    """The demo's ring is made, and rotated, with ``certify-demo``; a real one may not be."""
    folder = tmp_path / "keys"
    set_up_demo_issuer(database, date(2026, 11, 21), lambda words: print(words.en), folder)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, DEMO_PASSPHRASE)
    assert main(["--lang", "en", "keys", "rotate", "--keys-dir", str(folder)]) == 0
    assert "New active key" in capsys.readouterr().out
    with pytest.raises(WeakPassphrase):
        rotate_key(directory=folder, passphrase=DEMO_PASSPHRASE)


def test_rotate_refuses_a_ring_with_a_weak_passphrase(tmp_path: Path) -> None:
    """A ring made before the rule (weak passphrase) is not given a new key under it."""
    folder = tmp_path / "keys"
    init_ring(ISSUER.id, directory=folder, passphrase="tiny", demo=True)
    with pytest.raises(WeakPassphrase):
        rotate_key(directory=folder, passphrase="tiny")
    assert len(list(folder.glob("*.pem"))) == 1


@pytest.mark.parametrize("exposed", [0o640, 0o604, 0o644, 0o660])
def test_a_key_file_others_can_read_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], exposed: int
) -> None:
    """Group or world access to a private key: refused, saying to ``chmod 600``."""
    folder = tmp_path / "keys"
    init_ring(ISSUER.id, directory=folder, passphrase=PASSPHRASE)
    (key_file,) = folder.glob("*.pem")
    key_file.chmod(exposed)
    with pytest.raises(ExposedKeyFile) as caught:
        load_signing_key(folder, PASSPHRASE)
    assert f"chmod 600 {key_file}" in caught.value.french
    assert f"chmod 600 {key_file}" in caught.value.english
    assert f"(mode {exposed:o})" in caught.value.english
    key_file.chmod(0o600)
    assert load_signing_key(folder, PASSPHRASE)


def test_cli_refuses_an_exposed_key_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``certify keys rotate`` on a world-readable key: one line, nothing changed."""
    folder = tmp_path / "keys"
    init_ring(ISSUER.id, directory=folder, passphrase=PASSPHRASE)
    (key_file,) = folder.glob("*.pem")
    key_file.chmod(0o644)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    before = (folder / INDEX_FILE).read_bytes()
    assert main(["--lang", "en", "keys", "rotate", "--keys-dir", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "chmod 600" in err and "lisible par d'autres" in err
    assert (folder / INDEX_FILE).read_bytes() == before


@contextmanager
def file_size_limit(size: int) -> Iterator[None]:
    """Writes beyond ``size`` bytes fail (EFBIG), as on a full disk."""
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, limits[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, previous)


def test_a_write_cut_short_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    """A PDF that cannot be written whole: the previous file stays, no temporary is left."""
    target = tmp_path / "certificate.pdf"
    target.write_bytes(b"%PDF old")
    with file_size_limit(4096), pytest.raises(OSError):
        write_atomically(target, b"x" * 100_000)
    assert os.listdir(tmp_path) == ["certificate.pdf"]
    assert target.read_bytes() == b"%PDF old"


def test_a_key_cut_short_leaves_no_file(tmp_path: Path) -> None:
    """A private key that cannot be written whole is removed: no half key in the ring."""
    folder = tmp_path / "keys"
    with file_size_limit(300), pytest.raises(OSError):
        init_ring(ISSUER.id, directory=folder, passphrase=PASSPHRASE)
    assert list(folder.iterdir()) == []
