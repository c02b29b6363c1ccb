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

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from certificates.errors import InvalidPinnedKeys, UnknownKey
from certificates.key_ids import did_key_id, token_key_id
from certificates.multibase import multikey_to_public_key, public_key_to_multikey
from certificates.timestamps import format_instant, parse_instant


@dataclass(frozen=True)
class PinnedKey:
    """One public key of the issuer, active or retired."""

    #: ``did:key`` verification method that proofs name.
    key_id: str
    #: The Ed25519 public key.
    public_key: Ed25519PublicKey
    #: Id (URL) of the issuer the key signs for.
    issuer: str
    #: When the key was made.
    created: datetime
    #: When a newer key replaced it (``None``: the active key).
    retired: datetime | None

    @property
    def token_key_id(self) -> str:
        """The short id QR tokens carry for this key."""
        return token_key_id(self.public_key)

    def to_json(self) -> dict[str, Any]:
        """The key as one entry of the exported list."""
        return {
            "id": self.key_id,
            "publicKeyMultibase": public_key_to_multikey(self.public_key),
            "created": format_instant(self.created),
            "retired": None if self.retired is None else format_instant(self.retired),
            "issuer": self.issuer,
        }

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> PinnedKey:
        """Read one exported entry; ``ValueError`` (or ``KeyError``/``TypeError``) if invalid."""
        public_key = multikey_to_public_key(entry["publicKeyMultibase"])
        if entry["id"] != did_key_id(public_key):
            raise ValueError(f"key id {entry['id']!r} does not name its public key")
        if not isinstance(entry["issuer"], str) or not entry["issuer"]:
            raise ValueError("missing issuer")
        retired = entry["retired"]
        return cls(
            key_id=entry["id"],
            public_key=public_key,
            issuer=entry["issuer"],
            created=parse_instant(entry["created"]),
            retired=None if retired is None else parse_instant(retired),
        )


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
                "Clés épinglées illisibles : une liste JSON est attendue. "
                "/ Unreadable pinned keys: a JSON list is expected."
            )
        try:
            return cls(PinnedKey.from_json(entry) for entry in entries)
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidPinnedKeys(
                f"Clés épinglées illisibles : {error}. / Unreadable pinned keys: {error}."
            ) from error

    @classmethod
    def load(cls, path: Path) -> PinnedKeys:
        """Read a pinned-keys JSON file."""
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InvalidPinnedKeys(
                f"Impossible de lire les clés épinglées {path} : {error}. "
                f"/ Cannot read the pinned keys {path}: {error}."
            ) from error
        return cls.from_json(entries)

    def to_json(self) -> list[dict[str, Any]]:
        """The list as ``keys export`` writes it."""
        return [key.to_json() for key in self.keys]

    def by_key_id(self, key_id: str) -> PinnedKey:
        """The pinned key a proof names; ``UnknownKey`` if it is not pinned."""
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
            f"Clé inconnue : {wanted} n'est pas une clé épinglée de l'émetteur. "
            f"/ Unknown key: {wanted} is not a pinned key of the issuer."
        )
