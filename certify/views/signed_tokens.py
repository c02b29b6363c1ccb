"""The QR token of every signed certificate, with its serial: what the issuer's site publishes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.model import Certificate, CertificateSignature


def signed_tokens(session: Session) -> list[tuple[str, str]]:
    """``(serial, token)`` of every certificate signed, oldest first (revoked ones too)."""
    rows = session.execute(
        select(Certificate.serial, CertificateSignature.token)
        .join(CertificateSignature, CertificateSignature.certificate_id == Certificate.id)
        .order_by(Certificate.id)
    )
    return [(serial, token) for serial, token in rows]
