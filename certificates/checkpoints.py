"""Signed checkpoints of the audit trail's head, kept outside the database.

Whoever can write the database can rebuild the audit trail so that it verifies against
itself. A checkpoint is its head (how many events, the hash of the last one) signed with
the issuer's key (Data Integrity ``eddsa-jcs-2022``, like the status list it is published
with), and a copy of each stays in the keys folder: ``certify audit verify --checkpoint``
then catches a trail truncated, emptied or rewritten up to it. It is verified only with
the pinned keys, never a key found in it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from certificates import data_integrity
from certificates.credential import IssuerProfile
from certificates.errors import InvalidCheckpoint
from certificates.keys import SigningKey
from certificates.pinned import PinnedKeys
from certificates.timestamps import format_instant, parse_instant
from certify.errors import CertifyError
from certify.store.audit import ChainHead, verify_chain

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session

#: The ``type`` of a checkpoint document.
CHECKPOINT_TYPE = "CertifyAuditCheckpoint"
#: The checkpoint published beside the status list.
CHECKPOINT_FILE = "audit-checkpoint.json"
#: The folder of the keys directory that keeps every checkpoint made.
HISTORY_FOLDER = "audit-checkpoints"
#: What a head hash looks like (hex SHA-256).
HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Checkpoint:
    """A verified checkpoint: the head it vouches for, when, and by which pinned key."""

    #: The head of the chain when it was signed.
    head: ChainHead
    #: When it was signed.
    created: datetime
    #: The pinned key that signed it.
    key_id: str


def sign_checkpoint(
    head: ChainHead, issuer: IssuerProfile, key: SigningKey, now: datetime
) -> dict[str, Any]:
    """The checkpoint of ``head`` signed by the issuer's active key at ``now``."""
    document = {
        "type": CHECKPOINT_TYPE,
        "issuer": issuer.id,
        "created": format_instant(now),
        "eventCount": head.count,
        "headHash": head.hash,
    }
    return data_integrity.sign(document, key.private_key, key.kid, now)


def checkpoint_now(
    session: Session, issuer: IssuerProfile, key: SigningKey, now: datetime
) -> dict[str, Any]:
    """The signed checkpoint of the trail as it is; refused when the trail is broken
    (signing it would vouch for the break)."""
    report = verify_chain(session)
    if report.reason is not None:
        raise CertifyError(
            f"point de contrôle refusé, la piste d'audit est rompue\u00a0: {report.reason.fr} "
            "(voir\u00a0: certify audit verify)",
            f"checkpoint refused, the audit trail is broken: {report.reason.en} "
            "(see: certify audit verify)",
        )
    return sign_checkpoint(report.head, issuer, key, now)


def _refused(why: str, english: str) -> InvalidCheckpoint:
    """A checkpoint refused, and why."""
    return InvalidCheckpoint(
        f"point de contrôle refusé\u00a0: {why}", f"checkpoint refused: {english}"
    )


def read_checkpoint(document: object, pinned: PinnedKeys) -> Checkpoint:
    """The head a checkpoint vouches for, once its proof verifies with a pinned key of its
    issuer; ``InvalidCheckpoint`` (or ``UnknownKey``) otherwise."""
    if not isinstance(document, Mapping) or document.get("type") != CHECKPOINT_TYPE:
        raise _refused(
            "ce n'est pas un point de contrôle de la piste d'audit",
            "not a checkpoint of the audit trail",
        )
    method = data_integrity.verification_method(document)
    if method is None:
        raise _refused("il n'est pas signé", "it is not signed")
    key = pinned.by_key_id(method)
    if not data_integrity.verify(document, key.public_key):
        raise _refused("sa signature ne correspond pas", "its signature does not match")
    if document.get("issuer") != key.issuer:
        raise _refused(
            f"la clé qui l'a signé est celle d'un autre émetteur ({key.issuer})",
            f"the key that signed it is another issuer's ({key.issuer})",
        )
    count, digest, created = (
        document.get("eventCount"),
        document.get("headHash"),
        document.get("created"),
    )
    if not (
        type(count) is int
        and count >= 0
        and isinstance(digest, str)
        and HASH.fullmatch(digest)
        and isinstance(created, str)
    ):
        raise _refused("son contenu est incomplet", "its content is incomplete")
    return Checkpoint(ChainHead(count, digest), parse_instant(created), key.key_id)


def load_checkpoint(path: Path, pinned: PinnedKeys) -> Checkpoint:
    """The checkpoint in a file, verified with ``pinned``."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidCheckpoint(
            f"point de contrôle illisible {path}\u00a0: {error}",
            f"unreadable checkpoint {path}: {error}",
        ) from error
    return read_checkpoint(document, pinned)


def history_path(keys_folder: Path, document: Mapping[str, Any]) -> Path:
    """Where the keys folder keeps a checkpoint: named by its time and count."""
    moment = parse_instant(document["created"]).strftime("%Y%m%dT%H%M%SZ")
    return keys_folder / HISTORY_FOLDER / f"checkpoint-{moment}-{document['eventCount']}.json"
