"""The issuer's revocation list, signed from what :mod:`certify.views.revocations` flags, and
written to the keys folder with a checkpoint of the audit trail."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from certificates.checkpoints import CHECKPOINT_FILE, checkpoint_now, history_path
from certificates.issuer import IssuerSettings
from certificates.keys import SigningKey
from certificates.status_list import DEFAULT_SIZE, build_status_list_credential
from certify.views.revocations import highest_index, withdrawn_indexes

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session

#: The last exported status list, in the keys directory (``certify verify`` reads it).
STATUS_LIST_FILE = "status-list.json"
#: Days a status list stays valid by default (a verifier's limit is 31).
DEFAULT_VALID_DAYS = 30


def list_size(highest: int) -> int:
    """Entries a list needs up to index ``highest``, at least the specification's minimum."""
    return max(DEFAULT_SIZE, (highest // 8 + 1) * 8)


def publish_status_list(
    session: Session,
    issuer: IssuerSettings,
    signing_key: SigningKey,
    now: datetime,
    valid_for: timedelta,
) -> dict[str, Any]:
    """The signed status list as of ``now``, valid for ``valid_for``."""
    return build_status_list_credential(
        withdrawn_indexes(session),
        issuer.profile,
        issuer.status_list_url,
        now,
        now + valid_for,
        signing_key,
        list_size(highest_index(session)),
    )


@dataclass(frozen=True)
class Written:
    """A signed document and where it was written."""

    #: The signed document.
    document: dict[str, Any]
    #: Where it was written.
    path: Path
    #: The copy the keys folder keeps (checkpoints only).
    kept: Path | None = None


def export_status_list(
    session: Session,
    folder: Path,
    issuer: IssuerSettings,
    signing_key: SigningKey,
    now: datetime,
    valid_for: timedelta,
    target: Path | None = None,
) -> Written:
    """Sign the status list as of ``now`` and write it to ``target`` (default:
    :data:`STATUS_LIST_FILE` in the keys ``folder``)."""
    document = publish_status_list(session, issuer, signing_key, now, valid_for)
    path = target or folder / STATUS_LIST_FILE
    write_json_file(document, path)
    return Written(document, path)


def export_checkpoint(
    session: Session,
    folder: Path,
    issuer: IssuerSettings,
    signing_key: SigningKey,
    now: datetime,
    beside: Path,
) -> Written:
    """Sign a checkpoint of the audit trail as of ``now``; write it beside the status list
    at ``beside`` and keep a copy in the keys ``folder``'s history (refused, and nothing
    written, over a broken trail)."""
    checkpoint = checkpoint_now(session, issuer.profile, signing_key, now)
    kept = history_path(folder, checkpoint)
    kept.parent.mkdir(mode=0o700, exist_ok=True)
    write_json_file(checkpoint, kept)
    path = beside.parent / CHECKPOINT_FILE
    write_json_file(checkpoint, path)
    return Written(checkpoint, path, kept)


def write_json_file(document: Any, path: Path) -> None:
    """Write ``document`` to ``path`` as indented UTF-8 JSON."""
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
