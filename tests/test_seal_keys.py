"""Seal keys in the ring: one ECDSA P-256 key and certificate per signing key, pinned, upgraded."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from certificates.errors import InvalidPinnedKeys
from certificates.issuer import save_issuer
from certificates.keys import (
    INDEX_FILE,
    export_public_keys,
    init_ring,
    load_signing_key,
    rotate_key,
)
from certificates.pinned import PinnedKeys
from certificates.seal import NO_EXPIRY
from tests.certificate_factory import ISSUER
from tests.pdf_helpers import PASSPHRASE, SETTINGS, cheap_keys
from tests.seal_helpers import strip_seals

#: When the test ring is made.
MADE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def ring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ring of the test issuer, cheap keys."""
    cheap_keys(monkeypatch)
    init_ring(ISSUER.id, directory=tmp_path, passphrase=PASSPHRASE, now=MADE, name=ISSUER.name)
    save_issuer(SETTINGS, tmp_path)
    return tmp_path


def test_new_key_has_a_seal(ring: Path) -> None:
    """A P-256 certificate naming the issuer, valid from the key's creation, pinned and exported."""
    (pinned,) = export_public_keys(ring).keys
    certificate = pinned.seal_certificate
    assert certificate is not None
    assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == ISSUER.name
    assert certificate.not_valid_before_utc == MADE
    assert certificate.not_valid_after_utc == NO_EXPIRY
    exported = json.loads((ring / INDEX_FILE).read_text(encoding="utf-8"))
    assert exported[0]["sealCertificate"].startswith("-----BEGIN CERTIFICATE-----")
    assert PinnedKeys.from_json(exported).keys[0].seal_certificate == certificate


def test_seal_key_is_encrypted_and_private(ring: Path) -> None:
    """The seal key's file: OpenSSH format, encrypted, mode 0600; it unlocks with the ring."""
    (path,) = ring.glob("*.seal.key")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"BEGIN OPENSSH PRIVATE KEY" in path.read_bytes()
    signing = load_signing_key(ring, PASSPHRASE)
    assert signing.seal_key is not None and signing.seal_certificate is not None
    assert signing.seal_key.public_key() == signing.seal_certificate.public_key()


def test_rotation_ends_the_old_seal(ring: Path) -> None:
    """The retired key's certificate ends at its retirement; the new key has its own seal."""
    later = MADE + timedelta(days=30)
    rotate_key(directory=ring, passphrase=PASSPHRASE, now=later)
    old, new = export_public_keys(ring).keys
    assert old.seal_certificate is not None and new.seal_certificate is not None
    assert old.seal_certificate.not_valid_after_utc == later
    assert old.seal_certificate.not_valid_before_utc == MADE
    assert new.seal_certificate.not_valid_before_utc == later
    assert old.seal_certificate.public_key() != new.seal_certificate.public_key()
    assert load_signing_key(ring, PASSPHRASE).seal_certificate == new.seal_certificate


def test_ring_made_before_seals_is_upgraded_once(ring: Path) -> None:
    """Without seal certificates, the first unlock gives the active key one, kept after."""
    strip_seals(ring)
    assert export_public_keys(ring).keys[0].seal_certificate is None
    first = load_signing_key(ring, PASSPHRASE)
    assert first.seal_certificate is not None
    assert export_public_keys(ring).keys[0].seal_certificate == first.seal_certificate
    again = load_signing_key(ring, PASSPHRASE)
    assert again.seal_certificate == first.seal_certificate


def test_bad_seal_certificate_is_refused(ring: Path) -> None:
    """A pinned seal certificate that is not PEM, or not P-256: the pins are refused."""
    entries = json.loads((ring / INDEX_FILE).read_text(encoding="utf-8"))
    entries[0]["sealCertificate"] = "not a certificate"
    with pytest.raises(InvalidPinnedKeys):
        PinnedKeys.from_json(entries)
