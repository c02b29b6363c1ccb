"""Which certificates a status list flags: revoked and superseded ones, by status index.

A certificate's status index is drawn at random when it is issued (its id for those issued
before schema revision 0009). Superseded certificates are flagged too: a reissue replaces
the old certificate (a corrected name, say), whose PDF must stop verifying as valid.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certify.model import Certificate, CertificateState

#: States whose certificates are flagged in the list.
WITHDRAWN = (CertificateState.REVOKED, CertificateState.SUPERSEDED)


def withdrawn_indexes(session: Session) -> list[int]:
    """Status indexes of the revoked and superseded certificates certify issued (one issued
    elsewhere was never signed here, so it has no entry), in increasing order."""
    return list(
        session.scalars(
            select(Certificate.status_index)
            .where(Certificate.state.in_(WITHDRAWN), Certificate.issued_elsewhere.is_(False))
            .order_by(Certificate.status_index)
        )
    )


def highest_index(session: Session) -> int:
    """The highest status index certify gave a certificate it signs (0 before any)."""
    return (
        session.scalar(
            select(func.max(Certificate.status_index)).where(
                Certificate.issued_elsewhere.is_(False)
            )
        )
        or 0
    )
