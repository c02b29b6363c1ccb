"""The standing certificates of a programme in a scope: those a batch prints."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.model import Certificate, CertificateState, Person, Site
from certify.rules.scope import Scope


def standing_certificates(
    session: Session, programme_id: int, scope: Scope, as_of: date
) -> list[Certificate]:
    """Issued certificates of the programme not yet expired on ``as_of``, by serial; those
    issued elsewhere are left out (certify prints only its own)."""
    return list(
        session.scalars(
            select(Certificate)
            .join(Person, Person.id == Certificate.person_id)
            .join(Site, Site.id == Person.site_id)
            .where(
                Certificate.programme_id == programme_id,
                Certificate.state == CertificateState.ISSUED,
                Certificate.issued_elsewhere.is_(False),
                Certificate.valid_until >= as_of,
                scope.site_filter(Site),
            )
            .order_by(Certificate.serial)
        )
    )
