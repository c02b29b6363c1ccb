"""Starting the issuer (``certify keys init`` and the app): the ring, its settings, its
active key's status; weak passphrases, wrong addresses and a second ring are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from certificates.errors import (
    KeyRingExists,
    PassphraseMissing,
    PassphrasesDiffer,
    WeakPassphrase,
)
from certificates.issuer import load_issuer
from certificates.issuer_setup import (
    DEFAULT_ISSUER_NAME,
    NewIssuer,
    confirmed_passphrase,
    key_status,
    start_issuer,
)
from certificates.keys import PASSPHRASE_ENV, load_signing_key
from certify.access.permissions import Actor, PermissionDenied
from certify.errors import CertifyError
from certify.model import Role

#: Who starts the issuer (the command line).
ADMIN = Actor.system()
#: A passphrase strong enough.
SECRET = "trois mots solides"


def test_start_issuer_then_status(tmp_path: Path) -> None:
    """The ring's key unlocks with the passphrase; the status names issuer and fingerprint."""
    folder = tmp_path / "ring"
    assert key_status(folder) is None
    settings, key = start_issuer(ADMIN, NewIssuer("https://cdm.example/"), SECRET, folder)
    assert load_issuer(folder) == settings
    assert settings.profile.name == DEFAULT_ISSUER_NAME
    assert settings.status_list_url == "https://cdm.example/certify/status-list.json"
    assert load_signing_key(folder, SECRET).kid == key.key_id
    status = key_status(folder)
    assert status is not None and status.key_id == key.key_id
    assert status.fingerprint.startswith(key.token_key_id) and len(status.fingerprint) == 43
    assert (status.retired, status.compromised, status.folder) == (0, 0, folder)


def test_passphrase_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a typed passphrase, ``$CERTIFY_KEY_PASSPHRASE`` protects the key (as the CLI)."""
    monkeypatch.setenv(PASSPHRASE_ENV, SECRET)
    start_issuer(ADMIN, NewIssuer("https://cdm.example"), None, tmp_path / "ring")
    assert load_signing_key(tmp_path / "ring", SECRET)


@pytest.mark.parametrize(
    ("new", "secret", "error", "message"),
    [
        (NewIssuer("https://cdm.example"), "court", WeakPassphrase, "too weak"),
        (NewIssuer("cdm.example"), SECRET, CertifyError, "starts with https://"),
        (NewIssuer("https://cdm.example"), None, PassphraseMissing, "passphrase missing"),
    ],
)
def test_refused_and_nothing_written(
    tmp_path: Path, new: NewIssuer, secret: str | None, error: type[Exception], message: str
) -> None:
    """A weak or missing passphrase, or an address that is no web address: no ring."""
    with pytest.raises(error, match=message):
        start_issuer(ADMIN, new, secret, tmp_path / "ring")
    assert key_status(tmp_path / "ring") is None


def test_a_second_ring_is_refused(tmp_path: Path) -> None:
    """Starting again never replaces the keys (rotation makes a new one)."""
    start_issuer(ADMIN, NewIssuer("https://cdm.example"), SECRET, tmp_path)
    with pytest.raises(KeyRingExists):
        start_issuer(ADMIN, NewIssuer("https://other.example"), SECRET, tmp_path)
    assert load_issuer(tmp_path).profile.id == "https://cdm.example"


def test_passphrase_typed_twice() -> None:
    """Two different passphrases are refused, in both languages."""
    assert confirmed_passphrase(SECRET, SECRET) == SECRET
    with pytest.raises(PassphrasesDiffer) as error:
        confirmed_passphrase(SECRET, SECRET + ".")
    assert error.value.in_("fr") == "Les deux phrases de passe diffèrent."


def test_only_administrators_start_the_issuer(tmp_path: Path) -> None:
    """A coordinator is refused before anything is written."""
    coordinator = Actor("coord", 2, frozenset({Role.COORDINATOR}))
    with pytest.raises(PermissionDenied):
        start_issuer(coordinator, NewIssuer("https://cdm.example"), SECRET, tmp_path)
    assert key_status(tmp_path) is None
