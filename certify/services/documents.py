"""Certificate PDFs kept in the database as delivered first: the documents of record.

A PDF is stored, per certificate and language, the first time it is delivered, never
replaced, and returned as it is ever after. The French one's SHA-256 is also written on
the certificate (:attr:`certify.model.Certificate.pdf_sha256`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from certify.model import Certificate, CertificateDocument, utcnow
from certify.rules.wording import Lang

#: The language of the document whose hash is written on the certificate.
REFERENCE_LANG: Lang = "fr"


def pdf_sha256(pdf: bytes) -> str:
    """The hex SHA-256 of a PDF, as stored with its certificate."""
    return hashlib.sha256(pdf).hexdigest()


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
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rendered_at = utcnow()
    session.execute(
        insert(CertificateDocument).on_conflict_do_nothing(),
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
