"""Test helpers for sealed certificate PDFs: issuer keys with their seal, documents, tampering."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from certificates.fonts import REGULAR, register_fonts
from certificates.keys import INDEX_FILE, SigningKey
from certificates.pdf import CertificateDocument, render_pdf
from certificates.pinned import PinnedKey
from certificates.seal import new_seal_key, seal_certificate, seal_pdf
from tests.certificate_factory import (
    CREATED,
    ISSUER,
    make_facts,
    make_key,
    signed_credential,
    signed_token,
)

#: When the test documents are sealed (the signing moment).
SEALED_AT = CREATED


def strip_seals(ring: Path) -> None:
    """Make the key ring in ``ring`` as rings were before seals: none pinned, no seal key."""
    index = ring / INDEX_FILE
    entries = json.loads(index.read_text(encoding="utf-8"))
    for entry in entries:
        del entry["sealCertificate"]
    index.write_text(json.dumps(entries), encoding="utf-8")
    for path in ring.glob("*.seal.key"):
        path.unlink()


def sealing_key(
    sealing_since: datetime = CREATED - timedelta(days=1),
) -> tuple[SigningKey, PinnedKey]:
    """A signing key with its seal key, and its pinned half with the seal certificate."""
    key, pinned = make_key()
    private = new_seal_key()
    certificate = seal_certificate(private, ISSUER.name, ISSUER.name, ISSUER.id, sealing_since)
    return (
        dataclasses.replace(key, seal_key=private, seal_certificate=certificate),
        dataclasses.replace(pinned, seal_certificate=certificate),
    )


def document_of(key: SigningKey, lang: str = "fr", **changes: object) -> CertificateDocument:
    """The factory's certificate (with ``changes``) signed by ``key`` at ``CREATED``."""
    facts = make_facts(**changes)
    return CertificateDocument(
        facts,
        signed_credential(facts, key),
        signed_token(facts, key),
        "en" if lang == "en" else "fr",
    )


def sealed_pdf(document: CertificateDocument, key: SigningKey, signed_at: datetime) -> bytes:
    """The PDF/A of ``document`` sealed by ``key`` at ``signed_at`` (unsealed: no seal key),
    as signing seals it, rendered here."""
    pdf = render_pdf(document)
    if key.seal_key is None or key.seal_certificate is None:
        return pdf
    return seal_pdf(pdf, key.seal_key, key.seal_certificate, signed_at)


def sealed(document: CertificateDocument, key: SigningKey) -> bytes:
    """``document`` rendered and sealed by ``key``."""
    return sealed_pdf(document, key, SEALED_AT)


def foreign_seal(pdf: bytes) -> bytes:
    """``pdf`` sealed by a key and certificate of a forger, named like the issuer."""
    private = new_seal_key()
    certificate = seal_certificate(private, ISSUER.name, ISSUER.name, ISSUER.id, CREATED)
    return seal_pdf(pdf, private, certificate, SEALED_AT)


def overlay_page(text: str) -> bytes:
    """A one-page PDF: a white box over the holder's name, ``text`` written on top."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(841.89, 595.28))
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(80, 370, 680, 50, stroke=0, fill=1)
    canvas.setFillColorRGB(0.13, 0.13, 0.15)
    canvas.setFont(REGULAR, 34)
    canvas.drawCentredString(420.9, 386, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def with_overlay(pdf: bytes, text: str, *, incremental: bool) -> bytes:
    """``pdf`` with ``text`` drawn over the holder's name: appended as an update, or rewritten."""
    overlay = PdfReader(io.BytesIO(overlay_page(text))).pages[0]
    if incremental:
        writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    else:
        writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.pages[0].merge_page(overlay)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write(folder: Path, name: str, pdf: bytes) -> Path:
    """Write ``pdf`` to ``folder/name``."""
    path = folder / name
    path.write_bytes(pdf)
    return path
