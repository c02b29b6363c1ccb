"""A stored certificate made into its signed PDF, the same bytes on every rendering.

The proof and the token are made with the key active at the start of the day of issue
and dated that moment (Ed25519 signatures are deterministic), the page is rendered from
the snapshot only, and the first French rendering's SHA-256 is stored with the
certificate: every later rendering must give it again.
"""

from __future__ import annotations

from datetime import datetime

from certificates import data_integrity
from certificates.credential import build_credential
from certificates.facts import CertificateFacts
from certificates.issuer import IssuerSettings
from certificates.keys import SigningKey
from certificates.pdf import CertificateDocument, pdf_sha256, render_pdf
from certificates.snapshot import facts_from_certificate
from certificates.timestamps import start_of_day
from certificates.token import make_token
from certify.errors import CertifyError
from certify.model import Certificate
from certify.rules.wording import Lang

#: The language of the reference rendering, whose hash is stored.
REFERENCE_LANG: Lang = "fr"


class PdfMismatch(CertifyError):
    """A rendering that differs from the PDF delivered first."""


def signing_moment(certificate: Certificate) -> datetime:
    """When a certificate's proof is dated, and whose active key signs it: its day's start."""
    return start_of_day(certificate.issued_on)


def sign_facts(
    facts: CertificateFacts, signing_key: SigningKey, issuer: IssuerSettings, lang: Lang
) -> CertificateDocument:
    """The signed credential and QR token of ``facts``, ready to render in ``lang``."""
    credential = build_credential(facts, issuer.profile, issuer.status_list_url)
    signed = data_integrity.sign(
        credential, signing_key.private_key, signing_key.kid, start_of_day(facts.issued_on)
    )
    return CertificateDocument(facts, signed, make_token(facts, signing_key), lang)


def certificate_document(
    certificate: Certificate, signing_key: SigningKey, issuer: IssuerSettings, lang: Lang
) -> CertificateDocument:
    """The document of a stored certificate, from its snapshot."""
    return sign_facts(facts_from_certificate(certificate), signing_key, issuer, lang)


def render_certificate(
    certificate: Certificate,
    signing_key: SigningKey,
    issuer: IssuerSettings,
    lang: Lang = REFERENCE_LANG,
) -> bytes:
    """The PDF of ``certificate``; the French one's hash is stored, or checked if stored."""
    pdf = render_pdf(certificate_document(certificate, signing_key, issuer, lang))
    if lang == REFERENCE_LANG:
        record_pdf_hash(certificate, pdf_sha256(pdf))
    return pdf


def record_pdf_hash(certificate: Certificate, digest: str) -> None:
    """Store the hash of the first reference rendering; ``PdfMismatch`` if it changed since."""
    if certificate.pdf_sha256 is None:
        certificate.pdf_sha256 = digest
    elif certificate.pdf_sha256 != digest:
        raise PdfMismatch(
            f"Le PDF du certificat {certificate.serial} ne se reproduit pas à l'identique "
            f"(SHA-256 {digest[:12]}… au lieu de {certificate.pdf_sha256[:12]}…) : "
            "l'émetteur ou ses clés ont-ils changé ? / The PDF of certificate "
            f"{certificate.serial} no longer renders identically (SHA-256 {digest[:12]}… "
            f"instead of {certificate.pdf_sha256[:12]}…): did the issuer or its keys change?"
        )
