"""The key ring: init, rotate, export, load; files private and encrypted; clear errors."""

from __future__ import annotations

import base64
import json
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from platformdirs import user_data_path

from certificates.errors import (
    CorruptKeyRing,
    InvalidPinnedKeys,
    KeyRingExists,
    KeyRingMissing,
    PassphraseMissing,
    WrongPassphrase,
)
from certificates.keys import (
    INDEX_FILE,
    KEYS_DIR_ENV,
    PASSPHRASE_ENV,
    export_public_keys,
    init_ring,
    keys_directory,
    load_signing_key,
    rotate_key,
)
from certificates.pinned import PinnedKeys
from certificates.verification import Verdict, verify_credential
from tests.certificate_factory import ISSUER, make_facts, signed_credential, status_list

PASSPHRASE = "correct horse battery staple"
FIRST = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
SECOND = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def ring(tmp_path: Path) -> Path:
    """A keys directory with a ring of one key."""
    directory = tmp_path / "keys"
    init_ring(ISSUER.id, directory=directory, passphrase=PASSPHRASE, now=FIRST)
    return directory


def mode(path: Path) -> int:
    """The permission bits of ``path``."""
    return stat.S_IMODE(path.stat().st_mode)


def test_init_makes_a_private_encrypted_ring(ring: Path) -> None:
    """Directory 0700; index and key files 0600; the private key is encrypted OpenSSH (bcrypt)."""
    assert mode(ring) == 0o700
    files = [path for path in ring.iterdir() if not path.name.endswith(".seal.key")]
    index, key_file = sorted(files, key=lambda path: path.suffix)
    assert (index.name, key_file.suffix) == (INDEX_FILE, ".pem")
    assert mode(index) == mode(key_file) == 0o600
    pem = key_file.read_text()
    assert pem.startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert PASSPHRASE not in pem
    assert b"bcrypt" in base64.b64decode("".join(pem.splitlines()[1:-1]))


def test_init_exports_one_active_key(ring: Path) -> None:
    """The export lists the key: an id under the issuer's, Multikey, created, not retired."""
    (entry,) = export_public_keys(ring).to_json()
    multikey = entry["publicKeyMultibase"]
    assert multikey.startswith("z6Mk")
    assert entry == {
        "id": f"{ISSUER.id}#{multikey}",
        "publicKeyMultibase": multikey,
        "created": "2026-01-05T10:00:00Z",
        "retired": None,
        "compromised": None,
        "issuer": ISSUER.id,
        "sealCertificate": entry["sealCertificate"],  # checked in test_seal_keys.py
    }
    assert json.loads((ring / INDEX_FILE).read_text()) == [entry]


def test_init_refuses_an_existing_ring(ring: Path) -> None:
    """``init`` never overwrites a ring."""
    before = (ring / INDEX_FILE).read_text()
    with pytest.raises(KeyRingExists, match="existe déjà"):
        init_ring(ISSUER.id, directory=ring, passphrase=PASSPHRASE)
    assert (ring / INDEX_FILE).read_text() == before


def test_load_returns_the_active_key(ring: Path) -> None:
    """The decrypted key is the ring's active key."""
    key = load_signing_key(ring, PASSPHRASE)
    (entry,) = export_public_keys(ring).keys
    assert key.kid == entry.key_id
    assert key.private_key.public_key() == entry.public_key


def test_wrong_or_missing_passphrase_fails_cleanly(
    ring: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong passphrase and a missing one each raise their own error."""
    with pytest.raises(WrongPassphrase, match="phrase de passe"):
        load_signing_key(ring, "not the passphrase")
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    with pytest.raises(PassphraseMissing, match=PASSPHRASE_ENV):
        load_signing_key(ring)


def test_missing_ring_is_explained(tmp_path: Path) -> None:
    """Without a ring, every operation says to run ``certify keys init``."""
    empty = tmp_path / "nowhere"
    with pytest.raises(KeyRingMissing, match="certify keys init"):
        load_signing_key(empty, PASSPHRASE)
    with pytest.raises(KeyRingMissing):
        export_public_keys(empty)
    with pytest.raises(KeyRingMissing):
        rotate_key(directory=empty, passphrase=PASSPHRASE)


def test_environment_chooses_directory_and_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``CERTIFY_KEYS_DIR`` and ``CERTIFY_KEY_PASSPHRASE`` stand in for the arguments."""
    monkeypatch.setenv(KEYS_DIR_ENV, str(tmp_path / "env-keys"))
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    created = init_ring(ISSUER.id, now=FIRST)
    assert (tmp_path / "env-keys" / INDEX_FILE).exists()
    assert load_signing_key().kid == created.key_id
    assert keys_directory(tmp_path / "explicit") == tmp_path / "explicit"


def test_default_directory_is_in_user_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without argument or environment, keys live in the user's data folder."""
    monkeypatch.delenv(KEYS_DIR_ENV, raising=False)
    assert keys_directory() == user_data_path("certify", appauthor=False) / "keys"


def test_rotate_retires_the_old_key_and_keeps_it_exported(ring: Path) -> None:
    """After rotation the new key signs; the old one is retired with its date, still pinned."""
    old = load_signing_key(ring, PASSPHRASE)
    new = rotate_key(directory=ring, passphrase=PASSPHRASE, now=SECOND)
    retired, active = export_public_keys(ring).to_json()
    assert retired["id"] == old.kid
    assert retired["retired"] == "2026-06-01T08:00:00Z"
    assert active["id"] == new.key_id
    assert active["retired"] is None
    assert active["created"] == "2026-06-01T08:00:00Z"
    assert load_signing_key(ring, PASSPHRASE).kid == new.key_id
    assert all(mode(path) == 0o600 for path in ring.iterdir())


def test_rotate_keeps_old_certificates_verifying(ring: Path) -> None:
    """A certificate signed before rotation verifies with the exported (JSON) pins."""
    old_key = load_signing_key(ring, PASSPHRASE)
    old_certificate = signed_credential(make_facts(), old_key)
    rotate_key(directory=ring, passphrase=PASSPHRASE, now=SECOND)
    new_key = load_signing_key(ring, PASSPHRASE)
    new_certificate = signed_credential(make_facts(serial="CDM-2026-000124"), new_key, SECOND)
    exported = json.loads(json.dumps(export_public_keys(ring).to_json()))
    pinned = PinnedKeys.from_json(exported)
    fresh_list = status_list(new_key, published=SECOND)
    for certificate in (old_certificate, new_certificate):
        result = verify_credential(certificate, pinned, fresh_list, date(2026, 6, 2))
        assert result.verdict is Verdict.VALID, result.detail


def test_rotate_needs_the_ring_passphrase(ring: Path) -> None:
    """A wrong passphrase leaves the ring as it was."""
    before = (ring / INDEX_FILE).read_text()
    with pytest.raises(WrongPassphrase):
        rotate_key(directory=ring, passphrase="typo", now=SECOND)
    assert (ring / INDEX_FILE).read_text() == before


def test_corrupt_ring_is_reported(ring: Path, tmp_path: Path) -> None:
    """A key file that does not match the index, or an index that is no key list, is reported."""
    other = tmp_path / "other"
    init_ring(ISSUER.id, directory=other, passphrase=PASSPHRASE)
    (key_file,) = ring.glob("*.pem")
    key_file.write_bytes(next(other.glob("*.pem")).read_bytes())
    with pytest.raises(CorruptKeyRing, match="does not match"):
        load_signing_key(ring, PASSPHRASE)
    (ring / INDEX_FILE).write_text('{"not": "a list"}')
    with pytest.raises(CorruptKeyRing):
        load_signing_key(ring, PASSPHRASE)


def test_pinned_keys_refuse_an_id_that_does_not_name_its_key(ring: Path) -> None:
    """A pinned entry whose id names another public key is refused."""
    entry = export_public_keys(ring).to_json()[0]
    entry["id"] = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#key-1"
    with pytest.raises(InvalidPinnedKeys):
        PinnedKeys.from_json([entry])
    with pytest.raises(InvalidPinnedKeys):
        PinnedKeys.from_json({"keys": []})


def test_pinned_keys_load_from_a_file(ring: Path, tmp_path: Path) -> None:
    """``PinnedKeys.load`` reads the exported file; an unreadable file is reported."""
    path = tmp_path / "pinned.json"
    path.write_text(json.dumps(export_public_keys(ring).to_json()), encoding="utf-8")
    assert PinnedKeys.load(path).keys == export_public_keys(ring).keys
    with pytest.raises(InvalidPinnedKeys):
        PinnedKeys.load(tmp_path / "missing.json")
