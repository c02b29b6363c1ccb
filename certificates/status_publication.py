"""The issuer's revocation list, signed from what :mod:`certify.views.revocations` flags."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from certificates.issuer import IssuerSettings
from certificates.keys import SigningKey
from certificates.status_list import DEFAULT_SIZE, build_status_list_credential
from certify.views.revocations import highest_index, withdrawn_indexes

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session


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
