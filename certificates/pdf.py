"""A certificate's PDF/A-3b, rendered deterministically from plain data: same data, same bytes.

The page (:mod:`certificates.layout`), the QR code carrying the signed token, the
metadata with the day of issue as creation date (and its XMP twin,
:mod:`certificates.pdfa`), and the signed credential embedded as ``credential.json``, an
associated file. Rendering touches no database and no clock, so worker processes can
render batches from picklable :class:`CertificateDocument` values.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from certificates.attachments import attach_file
from certificates.certificate_text import certificate_metadata, certificate_text
from certificates.facts import CertificateFacts
from certificates.fonts import REGULAR, register_fonts
from certificates.layout import PAGE_HEIGHT, PAGE_WIDTH, draw_certificate
from certificates.pdf_metadata import apply_metadata
from certificates.pdfa import PDF_VERSION, make_pdf_a
from certificates.publication.urls import qr_text
from certificates.timestamps import start_of_day
from certificates.token import verification_code
from certify.rules.wording import Lang, Wording

#: Name of the embedded signed credential.
CREDENTIAL_FILE = "credential.json"
#: Description of the embedded credential.
CREDENTIAL_DESCRIPTION = Wording(
    "Attestation signée (Open Badges 3.0) de ce certificat",
    "Signed credential (Open Badges 3.0) of this certificate",
)


@dataclass(frozen=True)
class CertificateDocument:
    """What one certificate PDF is made of: the facts, their signed forms, the language."""

    #: The facts printed.
    facts: CertificateFacts
    #: The signed ``OpenBadgeCredential``, embedded as ``credential.json``.
    credential: dict[str, Any]
    #: The signed token the QR code carries.
    token: str
    #: Language of the page.
    lang: Lang

    @property
    def network(self) -> str:
        """The issuing network, as the signed credential names it."""
        return str(self.credential["issuer"]["name"])


def render_pdf(document: CertificateDocument) -> bytes:
    """The PDF of ``document``: one A4 landscape page and the embedded credential."""
    register_fonts()
    facts = document.facts
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,
        lang=document.lang,
        pdfVersion=PDF_VERSION,
        # Not reportlab's Helvetica, which PDF/A would need embedded (its stub says float).
        initialFontName=REGULAR,  # pyright: ignore[reportArgumentType]
    )
    metadata = certificate_metadata(facts, document.network, document.lang)
    apply_metadata(canvas, metadata)
    text = certificate_text(
        facts, document.network, verification_code(document.token), document.lang
    )
    draw_certificate(canvas, text, qr_text(document.credential["issuer"]["id"], document.token))
    credential_file = attach_file(
        canvas,
        CREDENTIAL_FILE,
        credential_bytes(document.credential),
        "application/json",
        CREDENTIAL_DESCRIPTION.in_(document.lang),
        start_of_day(facts.issued_on),
    )
    make_pdf_a(canvas, metadata, [credential_file], document.token)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def credential_bytes(credential: dict[str, Any]) -> bytes:
    """The credential as embedded: indented UTF-8 JSON, keys in the credential's order."""
    return (json.dumps(credential, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
