"""A stored certificate made into its PDF, rendered once and delivered as stored.

The page is rendered from the certificate's snapshot and what was signed when it was
issued (:mod:`certificates.signing`): a certificate issued before signing at issue is
signed on its first delivery. The first rendering in each language is stored
(:mod:`certify.services.documents`) and every later download returns it without
rendering, so upgrading certify never changes, nor blocks, a certificate delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from certificates.pdf import render_pdf
from certificates.sealing import signed_document
from certificates.signing import Signer, signatures_of
from certify.model import Certificate
from certify.rules.wording import Lang
from certify.services.documents import store_pdfs, stored_pdfs

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session


def deliver_certificate(
    session: Session, certificate: Certificate, lang: Lang, signer: Callable[[], Signer]
) -> bytes:
    """The PDF of record of ``certificate`` in ``lang``: stored, else rendered and stored now.

    A stored PDF is returned as it is; a signed certificate is rendered with no key;
    ``signer()`` is called only for a certificate still unsigned.
    """
    stored = stored_pdfs(session, [certificate.id], lang).get(certificate.id)
    if stored is not None:
        return stored
    signature = signatures_of(session, [certificate], signer)[certificate.id]
    pdf = render_pdf(signed_document(certificate, signature, lang))
    return store_pdfs(session, {certificate.id: pdf}, lang)[certificate.id]
