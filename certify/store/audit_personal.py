"""Which values of an audit event are personal, and the salted digest that chains them.

Names, e-mails, user names, client addresses and free text (evidence, reasons) are kept
outside an event's hash, shaped like its details (``before``, ``after``, extras); the
hash covers only their salted digest, so erasing them leaves the chain verifying.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from typing import Any

#: Detail keys whose values name or describe a person, wherever they appear.
PERSONAL_KEYS = frozenset(
    {
        "given_name",
        "family_name",
        "email",
        "username",
        "client",
        "holder",
        "evidence",
        "reason",
        "correction_reason",
        "revocation_reason",
        "import_reason",
        "entity_key",
    }
)
#: Detail keys holding a mapping of values, split key by key.
SECTIONS = ("before", "after")


def canonical(value: Any) -> str:
    """``value`` as canonical JSON (sorted keys, no spaces, UTF-8 kept)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def split(details: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``details`` without its personal values, and those values, shaped alike."""
    kept: dict[str, Any] = {}
    personal: dict[str, Any] = {}
    for key, value in details.items():
        if key in PERSONAL_KEYS:
            personal[key] = value
        elif key in SECTIONS and isinstance(value, Mapping):
            kept[key] = {k: v for k, v in value.items() if k not in PERSONAL_KEYS}
            moved = {k: v for k, v in value.items() if k in PERSONAL_KEYS}
            if moved:
                personal[key] = moved
        else:
            kept[key] = value
    return kept, personal


def merge(details: Mapping[str, Any], personal: Mapping[str, Any] | None) -> dict[str, Any]:
    """An event's details with its personal values put back (as they were written)."""
    merged = dict(details)
    for key, value in (personal or {}).items():
        if key in SECTIONS and isinstance(value, Mapping):
            merged[key] = {**(merged.get(key) or {}), **value}
        else:
            merged[key] = value
    return merged


def new_salt() -> str:
    """A random salt for one event's digest."""
    return secrets.token_hex(16)


def digest(salt: str, values: Mapping[str, Any]) -> str:
    """SHA-256 of ``salt`` and the canonical form of ``values``."""
    return hashlib.sha256((salt + canonical(values)).encode()).hexdigest()
