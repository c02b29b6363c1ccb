"""Sealed PDFs made when a certificate is signed, so that downloads need no key.

The seal covers the exact bytes of one rendering, so it is made with them: when a
certificate is signed, its PDF/A is rendered in each language, sealed by the signing
key's seal key at the signing moment, and stored (:func:`store_sealed_pdfs`); every
download then returns stored bytes. Sealing is deterministic: the same signature, key
and language give the same PDF.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from certificates.keys import SigningKey
from certificates.pdf import CertificateDocument, render_pdf
from certificates.seal import seal_pdf
from certificates.snapshot import facts_from_certificate
from certify.model import Certificate
from certify.rules.wording import Lang
from certify.services.documents import Signature, store_pdfs

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session

#: The languages a certificate's PDF is sealed in when it is signed.
SEALED_LANGS: tuple[Lang, ...] = ("fr", "en")


def sealed_pdf(document: CertificateDocument, key: SigningKey, signed_at: datetime) -> bytes:
    """The PDF/A of ``document`` sealed by ``key`` at ``signed_at`` (unsealed: no seal key)."""
    pdf = render_pdf(document)
    if key.seal_key is None or key.seal_certificate is None:
        return pdf
    return seal_pdf(pdf, key.seal_key, key.seal_certificate, signed_at)


def store_sealed_pdfs(
    session: Session,
    certificates: Sequence[Certificate],
    signatures: Mapping[int, Signature],
    key: SigningKey,
) -> None:
    """Render, seal and store the PDF of each newly signed certificate in every language."""
    if key.seal_key is None or not certificates:
        return
    for lang in SEALED_LANGS:
        pdfs = {}
        for certificate in certificates:
            signature = signatures[certificate.id]
            document = CertificateDocument(
                facts_from_certificate(certificate),
                json.loads(signature.credential),
                signature.token,
                lang,
            )
            pdfs[certificate.id] = sealed_pdf(document, key, signature.signed_at)
        store_pdfs(session, pdfs, lang)
