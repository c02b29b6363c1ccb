"""A ring's history: retired keys keep their public half only; the active one signs."""

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
from certificates.keys import export_public_keys, init_ring, load_signing_key, rotate_key
from certificates.multibase import public_key_to_multikey
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


def test_rotation_destroys_the_retired_private_key(ring: Path) -> None:
    """After rotation only the new key's private half is on disk; both are still pinned."""
    first, second = export_public_keys(ring).keys
    assert (first.retired, second.retired) == (ROTATED, None)
    private = sorted(path.name for path in ring.glob("*.pem"))
    assert private == [f"{public_key_to_multikey(second.public_key)}.pem"]
    assert load_signing_key(ring, PASSPHRASE).kid == second.key_id


def test_a_key_in_the_old_format_is_explained(ring: Path) -> None:
    """A PKCS#8 file (made before the bcrypt KDF) is reported as an older format."""
    (path,) = ring.glob("*.pem")
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(PASSPHRASE.encode())
        )
    )
    with pytest.raises(CorruptKeyRing, match="older format"):
        load_signing_key(ring, PASSPHRASE)
