"""The issuer's public keys a verifier pins: the JSON ``keys export`` writes, read back.

Verification only ever uses these keys, never one found inside the document verified.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding

from certificates.errors import InvalidPinnedKeys, UnknownKey
from certificates.key_ids import did_key_id, issuer_key_id, token_key_id
from certificates.multibase import multikey_to_public_key, public_key_to_multikey
from certificates.timestamps import format_instant, parse_instant


@dataclass(frozen=True)
class PinnedKey:
    """One public key of the issuer, active or retired, and the window it may sign in."""

    #: The verification method proofs name: ``<issuer>#<multikey>``.
    key_id: str
    #: The Ed25519 public key.
    public_key: Ed25519PublicKey
    #: Id (URL) of the issuer the key signs for.
    issuer: str
    #: When the key was made.
    created: datetime
    #: When a newer key replaced it (``None``: the active key).
    retired: datetime | None
    #: When it was declared compromised: nothing it signed is trusted (``None``: it is not).
    compromised: datetime | None = None
    #: The self-signed certificate of the key's PDF seal (``None``: the key never sealed).
    seal_certificate: x509.Certificate | None = None

    @property
    def token_key_id(self) -> str:
        """The short id QR tokens carry for this key."""
        return token_key_id(self.public_key)

    @property
    def legacy_id(self) -> str:
        """The ``did:key`` id proofs named this key by before issuer key ids."""
        return did_key_id(self.public_key)

    def signed_within(self, moment: datetime) -> bool:
        """Whether ``moment`` is in the key's window: made by then, not yet retired, and the
        key never compromised (whoever holds it can date a proof anywhere in the window)."""
        return (
            self.compromised is None
            and self.created <= moment
            and (self.retired is None or moment < self.retired)
        )

    def to_json(self) -> dict[str, Any]:
        """The key as one entry of the exported list."""
        return {
            "id": self.key_id,
            "publicKeyMultibase": public_key_to_multikey(self.public_key),
            "created": format_instant(self.created),
            "retired": _instant(self.retired),
            "compromised": _instant(self.compromised),
            "issuer": self.issuer,
            "sealCertificate": _pem(self.seal_certificate),
        }

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> PinnedKey:
        """Read one exported entry; ``ValueError`` (or ``KeyError``/``TypeError``) if invalid."""
        public_key = multikey_to_public_key(entry["publicKeyMultibase"])
        issuer = entry["issuer"]
        if not isinstance(issuer, str) or not issuer:
            raise ValueError("missing issuer")
        key_id = issuer_key_id(issuer, public_key)
        if entry["id"] not in (key_id, did_key_id(public_key)):  # did:key: exported before
            raise ValueError(f"key id {entry['id']!r} does not name its public key")
        return cls(
            key_id=key_id,
            public_key=public_key,
            issuer=entry["issuer"],
            created=parse_instant(entry["created"]),
            retired=_moment(entry["retired"]),
            compromised=_moment(entry.get("compromised")),  # absent from rings made before
            seal_certificate=_seal_certificate(entry.get("sealCertificate")),  # likewise
        )


def _instant(moment: datetime | None) -> str | None:
    """A moment as exported, or ``None``."""
    return None if moment is None else format_instant(moment)


def _moment(text: object) -> datetime | None:
    """An exported moment read back, or ``None``; ``ValueError`` if it is not one."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(f"a date-time is expected, not {text!r}")
    return parse_instant(text)


def _pem(certificate: x509.Certificate | None) -> str | None:
    """A seal certificate as exported (PEM), or ``None``."""
    return None if certificate is None else certificate.public_bytes(Encoding.PEM).decode()


def _seal_certificate(text: object) -> x509.Certificate | None:
    """An exported seal certificate read back, or ``None``; ``ValueError`` if not one."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(f"a PEM certificate is expected, not {text!r}")
    certificate = x509.load_pem_x509_certificate(text.encode("ascii"))
    key = certificate.public_key()
    if not (isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)):
        raise ValueError("a seal certificate certifies an ECDSA P-256 key")
    return certificate


class PinnedKeys:
    """The set of pinned keys, looked up by proof key id or by token key id."""

    def __init__(self, keys: Iterable[PinnedKey]) -> None:
        """Pin ``keys``."""
        #: The pinned keys, oldest first as exported.
        self.keys: tuple[PinnedKey, ...] = tuple(keys)

    @classmethod
    def from_json(cls, entries: object) -> PinnedKeys:
        """Read the list ``keys export`` writes; ``InvalidPinnedKeys`` if it is not one."""
        if not isinstance(entries, list):
            raise InvalidPinnedKeys(
                "Clés épinglées illisibles\u00a0: une liste JSON est attendue. "
                "/ Unreadable pinned keys: a JSON list is expected."
            )
        try:
            return cls(PinnedKey.from_json(entry) for entry in entries)
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidPinnedKeys(
                f"Clés épinglées illisibles\u00a0: {error}. / Unreadable pinned keys: {error}."
            ) from error

    @classmethod
    def load(cls, path: Path) -> PinnedKeys:
        """Read a pinned-keys JSON file."""
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InvalidPinnedKeys(
                f"Impossible de lire les clés épinglées {path}\u00a0: {error}. "
                f"/ Cannot read the pinned keys {path}: {error}."
            ) from error
        return cls.from_json(entries)

    def to_json(self) -> list[dict[str, Any]]:
        """The list as ``keys export`` writes it."""
        return [key.to_json() for key in self.keys]

    def by_key_id(self, key_id: str) -> PinnedKey:
        """The pinned key a proof names (or named before: ``did:key``); ``UnknownKey`` if none."""
        if key_id.startswith("did:key:"):
            return self._find(key_id, lambda key: key.legacy_id)
        return self._find(key_id, lambda key: key.key_id)

    def by_token_key_id(self, short_id: str) -> PinnedKey:
        """The pinned key a QR token names; ``UnknownKey`` if it is not pinned."""
        return self._find(short_id, lambda key: key.token_key_id)

    def _find(self, wanted: str, key_id_of: Callable[[PinnedKey], str]) -> PinnedKey:
        """The first pinned key whose id (as ``key_id_of`` gives it) is ``wanted``."""
        for key in self.keys:
            if key_id_of(key) == wanted:
                return key
        raise UnknownKey(
            f"Clé inconnue\u00a0: {wanted} n'est pas une clé épinglée de l'émetteur. "
            f"/ Unknown key: {wanted} is not a pinned key of the issuer."
        )
