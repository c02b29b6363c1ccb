"""Which key signs a certificate: the one active at the start of its day of issue, forever."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
)

from certificates.errors import CorruptKeyRing
from certificates.keys import SigningKeys, export_public_keys, init_ring, rotate_key
from tests.certificate_factory import ISSUER
from tests.pdf_helpers import PASSPHRASE, cheap_keys

#: When the ring was made, and when its key was rotated.
MADE = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
ROTATED = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def ring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ring made on ``MADE`` and rotated on ``ROTATED``."""
    cheap_keys(monkeypatch)
    folder = tmp_path / "keys"
    init_ring(ISSUER.id, directory=folder, passphrase=PASSPHRASE, now=MADE)
    rotate_key(directory=folder, passphrase=PASSPHRASE, now=ROTATED)
    return folder


def test_key_active_at_a_moment(ring: Path) -> None:
    """Before the ring: the first key; then the key of the period; rotation moment: the new."""
    first, second = (key.key_id for key in export_public_keys(ring).keys)
    keys = SigningKeys(ring, PASSPHRASE)
    assert keys.active_at(datetime(2025, 3, 1, tzinfo=UTC)).kid == first
    assert keys.active_at(datetime(2026, 5, 31, tzinfo=UTC)).kid == first
    assert keys.active_at(ROTATED).kid == second
    assert keys.active_at(datetime(2030, 1, 1, tzinfo=UTC)).kid == second
    assert keys.active_at(MADE) is keys.active_at(MADE)


def test_a_key_in_the_old_format_is_explained(ring: Path) -> None:
    """A PKCS#8 file (made before the bcrypt KDF) is reported as an older format."""
    first = export_public_keys(ring).keys[0]
    (path,) = [file for file in ring.glob("*.pem") if file.stem in first.key_id]
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(PASSPHRASE.encode())
        )
    )
    with pytest.raises(CorruptKeyRing, match="older format"):
        SigningKeys(ring, PASSPHRASE).active_at(MADE)
