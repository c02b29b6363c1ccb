"""The issuer's revocation list, made from the database: one bit per certificate id.

A certificate's status index is its id. Revoked certificates have their bit set, and so
have superseded ones: a reissue replaces the old certificate (a corrected name, say),
whose PDF must stop verifying as valid.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certificates.issuer import IssuerSettings
from certificates.keys import SigningKey
from certificates.status_list import DEFAULT_SIZE, build_status_list_credential
from certify.model import Certificate, CertificateState

#: States whose certificates are flagged in the list.
WITHDRAWN = (CertificateState.REVOKED, CertificateState.SUPERSEDED)


def withdrawn_indexes(session: Session) -> list[int]:
    """Status indexes (ids) of the revoked and superseded certificates."""
    return list(
        session.scalars(
            select(Certificate.id).where(Certificate.state.in_(WITHDRAWN)).order_by(Certificate.id)
        )
    )


def list_size(session: Session) -> int:
    """Entries the list needs: every certificate id, at least the specification's minimum."""
    highest = session.scalar(select(func.max(Certificate.id))) or 0
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
        list_size(session),
    )
