"""Sealed PDFs made when a certificate is signed, so that downloads need no key.

The seal covers the exact bytes of one rendering, so it is made with them: when a
certificate is signed, its PDF/A is rendered in each language, sealed by the signing
key's seal key at the signing moment, and stored (:func:`sealed_pdfs`); every
download then returns stored bytes. Sealing is deterministic: the same signature, key
and language give the same PDF.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from certificates.keys import SigningKey
from certificates.pdf import CertificateDocument, render_pdf
from certificates.pool import worker_pool
from certificates.seal import seal_pdf
from certificates.snapshot import HolderPseudonymised, facts_from_certificate
from certify.model import Certificate
from certify.rules.wording import Lang
from certify.services.documents import Signature

#: The languages a certificate's PDF is sealed in when it is signed.
SEALED_LANGS: tuple[Lang, ...] = ("fr", "en")
#: Above this many pages to render, worker processes render them.
POOL_THRESHOLD = 64
#: Worker processes rendering pages (the machines certify runs on have two cores or more).
RENDER_WORKERS = 2
#: Pages sent to a worker at a time (a certificate's two languages, mostly together).
WORKER_CHUNK = 8


def sealed_pdfs(
    signed: Iterable[tuple[Certificate, Signature]], count: int, key: SigningKey
) -> tuple[list[Signature], dict[Lang, dict[int, bytes]]]:
    """The signatures of ``signed`` (``count`` certificates, signed as it is read), and the
    PDF of each in every language, rendered and sealed by ``key`` (none without a seal key).

    Above :data:`POOL_THRESHOLD` pages, worker processes render them (they get no key)
    while this process signs the next certificates and seals each page as it comes back.
    """
    seal_key, certificate = key.seal_key, key.seal_certificate
    if seal_key is None or certificate is None:
        return [signature for _, signature in signed], {}
    signatures: list[Signature] = []

    def pages() -> Iterator[CertificateDocument]:
        """Each certificate's page in each language, its signature kept as it comes."""
        for item, signature in signed:
            signatures.append(signature)
            for lang in SEALED_LANGS:
                yield signed_document(item, signature, lang)

    workers = RENDER_WORKERS if count * len(SEALED_LANGS) > POOL_THRESHOLD else 1
    sealed: dict[Lang, dict[int, bytes]] = {lang: {} for lang in SEALED_LANGS}
    with worker_pool(workers, WORKER_CHUNK) as render:
        for page, pdf in enumerate(render(render_pdf, pages())):
            number, lang = divmod(page, len(SEALED_LANGS))
            signature = signatures[number]
            sealed[SEALED_LANGS[lang]][signature.certificate_id] = seal_pdf(
                pdf, seal_key, certificate, signature.signed_at
            )
    return signatures, sealed


def signed_document(
    certificate: Certificate, signature: Signature, lang: Lang
) -> CertificateDocument:
    """What the PDF of ``certificate`` in ``lang`` is made of: its facts and what was signed."""
    facts = facts_from_certificate(certificate)
    if signature.credential is None:  # erased with its holder's names, whose PDF has it
        raise HolderPseudonymised(certificate.serial)
    return CertificateDocument(
        facts,
        json.loads(signature.credential),
        signature.token,
        lang,
    )
