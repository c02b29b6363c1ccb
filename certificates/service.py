"""A stored certificate made into its signed PDF, rendered once and delivered as stored.

The proof and the token are made with the key active at the start of the day of issue
and dated that moment (Ed25519 signatures are deterministic), and the page is rendered
from the snapshot only: the same bytes on every rendering by the same certify. The first
rendering in each language is stored (:mod:`certify.services.documents`) and every later
download returns it without rendering, so upgrading certify never changes, nor blocks, a
certificate already delivered.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from certificates import data_integrity
from certificates.credential import build_credential
from certificates.facts import CertificateFacts
from certificates.issuer import IssuerSettings
from certificates.keys import SigningKey, SigningKeys
from certificates.pdf import CertificateDocument, render_pdf
from certificates.snapshot import facts_from_certificate
from certificates.timestamps import start_of_day
from certificates.token import make_token
from certify.model import Certificate
from certify.rules.wording import Lang
from certify.services.documents import store_pdfs, stored_pdfs

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session


def signing_moment(certificate: Certificate) -> datetime:
    """When a certificate's proof is dated, and whose active key signs it: its day's start."""
    return start_of_day(certificate.issued_on)


def sign_facts(
    facts: CertificateFacts, signing_key: SigningKey, issuer: IssuerSettings, lang: Lang
) -> CertificateDocument:
    """The signed credential and QR token of ``facts``, ready to render in ``lang``."""
    credential = build_credential(facts, issuer.profile, issuer.status_list_url)
    signed_at = start_of_day(facts.issued_on)
    signed = data_integrity.sign(credential, signing_key.private_key, signing_key.kid, signed_at)
    token = make_token(facts, signing_key, issuer.profile.id, signed_at)
    return CertificateDocument(facts, signed, token, lang)


def certificate_document(
    certificate: Certificate, signing_key: SigningKey, issuer: IssuerSettings, lang: Lang
) -> CertificateDocument:
    """The document of a stored certificate, from its snapshot."""
    return sign_facts(facts_from_certificate(certificate), signing_key, issuer, lang)


def render_certificate(
    certificate: Certificate, signing_key: SigningKey, issuer: IssuerSettings, lang: Lang
) -> bytes:
    """The PDF of ``certificate`` in ``lang``, rendered from its snapshot."""
    return render_pdf(certificate_document(certificate, signing_key, issuer, lang))


def deliver_certificate(
    session: Session,
    certificate: Certificate,
    keys: SigningKeys,
    issuer: IssuerSettings,
    lang: Lang,
) -> bytes:
    """The PDF of record of ``certificate`` in ``lang``: stored, else rendered and stored now.

    A stored PDF is returned as it is: nothing is rendered and no key is decrypted.
    """
    stored = stored_pdfs(session, [certificate.id], lang).get(certificate.id)
    if stored is not None:
        return stored
    key = keys.active_at(signing_moment(certificate))
    pdf = render_certificate(certificate, key, issuer, lang)
    return store_pdfs(session, {certificate.id: pdf}, lang)[certificate.id]
