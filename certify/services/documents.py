"""Certificates as signed when issued, and their PDFs as delivered first: the records.

A certificate's signed credential and token are stored once, when it is signed
(:class:`certify.model.CertificateSignature`), and never replaced. A PDF is stored, per
certificate and language, the first time it is delivered, never replaced, and returned
as it is ever after. The French one's SHA-256 is also written on the certificate
(:attr:`certify.model.Certificate.pdf_sha256`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from certify.model import (
    Certificate,
    CertificateDocument,
    CertificateSignature,
    CertificateState,
    utcnow,
)
from certify.rules.wording import Lang

#: The language of the document whose hash is written on the certificate.
REFERENCE_LANG: Lang = "fr"


def pdf_sha256(pdf: bytes) -> str:
    """The hex SHA-256 of a PDF, as stored with its certificate."""
    return hashlib.sha256(pdf).hexdigest()


@dataclass(frozen=True)
class Signature:
    """What was signed for one certificate: its credential and the token of its QR code."""

    #: The certificate's id.
    certificate_id: int
    #: When it was signed.
    signed_at: datetime
    #: The verification method of the key that signed.
    key_id: str
    #: The signed credential (JSON text); ``None`` once the holder was pseudonymised.
    credential: str | None
    #: The signed QR token.
    token: str


def _insert_new(
    session: Session, table: type[CertificateSignature | CertificateDocument]
) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of rows into ``table`` that leaves out any row whose key is stored already.

    A row stored meanwhile by another transaction is left out too: PostgreSQL waits for
    that transaction, then skips the row (SQLite writers queue whole transactions).
    """
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def record_signatures(session: Session, signatures: Sequence[Signature]) -> dict[int, Signature]:
    """Store new signatures, never over a stored one; the stored signatures, by id.

    A certificate is signed once: where another process stored a signature first (both
    found the certificate unsigned), that one stays and is returned instead of the new.
    """
    if not signatures:
        return {}
    recorded = set(
        session.scalars(
            _insert_new(session, CertificateSignature).returning(
                CertificateSignature.certificate_id
            ),
            [dataclasses.asdict(signature) for signature in signatures],
        )
    )
    new = {signature.certificate_id: signature for signature in signatures}
    lost = [certificate_id for certificate_id in new if certificate_id not in recorded]
    stored = stored_signatures(session, lost) if lost else {}
    return {certificate_id: new[certificate_id] for certificate_id in recorded} | stored


def stored_signatures(session: Session, certificate_ids: Sequence[int]) -> dict[int, Signature]:
    """The signatures of those of ``certificate_ids`` that are signed, by id."""
    rows = session.scalars(
        select(CertificateSignature).where(CertificateSignature.certificate_id.in_(certificate_ids))
    )
    return {
        row.certificate_id: Signature(
            row.certificate_id, row.signed_at, row.key_id, row.credential, row.token
        )
        for row in rows
    }


def standing_signed_by(session: Session, key_id: str) -> list[Certificate]:
    """The standing (issued, not withdrawn) certificates the key ``key_id`` signed, in order."""
    return list(
        session.scalars(
            select(Certificate)
            .join(CertificateSignature, CertificateSignature.certificate_id == Certificate.id)
            .where(
                CertificateSignature.key_id == key_id,
                Certificate.state == CertificateState.ISSUED,
            )
            .order_by(Certificate.id)
        )
    )


def unsigned_certificates(session: Session) -> list[Certificate]:
    """Certificates certify issued that are not signed yet (issued before signing at issue,
    or where no key ring was configured), oldest first; those delivered are left out."""
    return list(
        session.scalars(
            select(Certificate)
            .where(
                Certificate.issued_elsewhere.is_(False),
                ~select(CertificateSignature.certificate_id)
                .where(CertificateSignature.certificate_id == Certificate.id)
                .exists(),
                ~select(CertificateDocument.certificate_id)
                .where(CertificateDocument.certificate_id == Certificate.id)
                .exists(),
            )
            .order_by(Certificate.id)
        )
    )


def stored_pdfs(session: Session, certificate_ids: Sequence[int], lang: Lang) -> dict[int, bytes]:
    """The stored PDFs in ``lang`` of those of ``certificate_ids`` that have one, by id."""
    rows = session.execute(
        select(CertificateDocument.certificate_id, CertificateDocument.pdf).where(
            CertificateDocument.lang == lang,
            CertificateDocument.certificate_id.in_(certificate_ids),
        )
    )
    return dict(rows.all())


def store_pdfs(session: Session, pdfs: Mapping[int, bytes], lang: Lang) -> dict[int, bytes]:
    """Store first renderings by certificate id, never over a stored PDF; the stored PDFs.

    What is returned is what was stored first: another process may have stored one of
    these certificates in the meantime.
    """
    if not pdfs:
        return {}
    rendered_at = utcnow()
    session.execute(
        _insert_new(session, CertificateDocument),
        [
            {
                "certificate_id": certificate_id,
                "lang": lang,
                "pdf": pdf,
                "sha256": pdf_sha256(pdf),
                "rendered_at": rendered_at,
            }
            for certificate_id, pdf in pdfs.items()
        ],
    )
    if lang == REFERENCE_LANG:
        _record_reference_hashes(session, list(pdfs))
    return stored_pdfs(session, list(pdfs), lang)


def _record_reference_hashes(session: Session, certificate_ids: Sequence[int]) -> None:
    """Write the stored French PDFs' hashes on their certificates that have none yet."""
    reference_hash = (
        select(CertificateDocument.sha256)
        .where(
            CertificateDocument.certificate_id == Certificate.id,
            CertificateDocument.lang == REFERENCE_LANG,
        )
        .scalar_subquery()
    )
    session.execute(
        update(Certificate)
        .where(Certificate.id.in_(certificate_ids), Certificate.pdf_sha256.is_(None))
        .values(pdf_sha256=reference_hash)
    )
