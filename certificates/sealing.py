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
from typing import TYPE_CHECKING

from certificates.keys import SigningKey
from certificates.pdf import CertificateDocument, render_pdf
from certificates.pool import worker_pool
from certificates.seal import seal_pdf
from certificates.snapshot import facts_from_certificate
from certify.model import Certificate
from certify.rules.wording import Lang
from certify.services.documents import Signature, store_pdfs

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session

#: The languages a certificate's PDF is sealed in when it is signed.
SEALED_LANGS: tuple[Lang, ...] = ("fr", "en")
#: Above this many pages to render, worker processes render them.
POOL_THRESHOLD = 64
#: Worker processes rendering pages (the machines certify runs on have two cores or more).
RENDER_WORKERS = 2
#: Pages sent to a worker at a time (a certificate's two languages, mostly together).
WORKER_CHUNK = 8


def store_sealed_pdfs(
    session: Session,
    certificates: Sequence[Certificate],
    signatures: Mapping[int, Signature],
    key: SigningKey,
) -> None:
    """Render, seal and store the PDF of each newly signed certificate in every language.

    Above :data:`POOL_THRESHOLD` pages, worker processes render them (they get no key);
    this process seals each as it comes back.
    """
    seal_key, certificate = key.seal_key, key.seal_certificate
    if seal_key is None or certificate is None or not certificates:
        return
    pages = [
        (item.id, signed_document(item, signatures[item.id], lang))
        for item in certificates
        for lang in SEALED_LANGS
    ]
    workers = RENDER_WORKERS if len(pages) > POOL_THRESHOLD else 1
    sealed: dict[Lang, dict[int, bytes]] = {lang: {} for lang in SEALED_LANGS}
    with worker_pool(workers, WORKER_CHUNK) as render:
        rendered = render(render_pdf, [document for _, document in pages])
        for (certificate_id, document), pdf in zip(pages, rendered, strict=True):
            signed_at = signatures[certificate_id].signed_at
            sealed[document.lang][certificate_id] = seal_pdf(pdf, seal_key, certificate, signed_at)
    for lang, pdfs in sealed.items():
        store_pdfs(session, pdfs, lang)


def signed_document(
    certificate: Certificate, signature: Signature, lang: Lang
) -> CertificateDocument:
    """What the PDF of ``certificate`` in ``lang`` is made of: its facts and what was signed."""
    return CertificateDocument(
        facts_from_certificate(certificate),
        json.loads(signature.credential),
        signature.token,
        lang,
    )
