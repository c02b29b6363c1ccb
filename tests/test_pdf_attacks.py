"""Every way of making a delivered, sealed certificate PDF lie, each one caught by verify.

The attacks of issue 12: a white box over the holder's name with another name on top
(appended as an update, or the file rewritten), another certificate's genuine QR code and
token, a swapped attachment, any incremental update, a file re-sealed by a forger. And
what outside tools say of a genuine one: pdfsig, pdffonts, qpdf.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

import certificates.pdf as pdf_module
from certificates.keys import SigningKey
from certificates.pdf import CREDENTIAL_FILE, CertificateDocument, credential_bytes, render_pdf
from certificates.pdf_verify import verify_pdf
from certificates.pinned import PinnedKey, PinnedKeys
from certificates.seal_check import FOREIGN, NOT_LAST, UNSEALED, UNSEALED_NEW
from certificates.verification import Verdict, VerificationResult
from tests.certificate_factory import status_list
from tests.pdf_helpers import qr_codes
from tests.seal_helpers import (
    document_of,
    foreign_seal,
    sealed,
    sealing_key,
    with_overlay,
    write,
)

#: A day when the certificate is valid and its list fresh.
TODAY = date(2026, 3, 4)


@pytest.fixture
def issuer() -> tuple[SigningKey, PinnedKey]:
    """The issuer's key, with its seal, and its pinned half."""
    return sealing_key()


@pytest.fixture
def genuine(issuer: tuple[SigningKey, PinnedKey]) -> CertificateDocument:
    """Łukasz Wróbel's certificate, signed by the issuer."""
    return document_of(issuer[0])


def check(pdf: bytes, issuer: tuple[SigningKey, PinnedKey]) -> VerificationResult:
    """Verify ``pdf`` against the issuer's pins and a fresh list."""
    key, pinned = issuer
    return verify_pdf(pdf, PinnedKeys([pinned]), status_list(key), TODAY)


def refused(result: VerificationResult, reason: str | None = None) -> bool:
    """Whether ``result`` is BAD SIGNATURE (for ``reason``, if given)."""
    return result.verdict is Verdict.BAD_SIGNATURE and (reason is None or reason in result.detail)


def test_sealed_pdf_is_valid(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey]
) -> None:
    """The delivered PDF, untouched: VALID, and not said unsealed."""
    result = check(sealed(genuine, issuer[0]), issuer)
    assert result.verdict is Verdict.VALID, result.detail
    assert UNSEALED not in result.detail


@pytest.mark.parametrize("incremental", [True, False], ids=["update", "rewritten"])
def test_white_box_over_the_name(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey], incremental: bool
) -> None:
    """A white box over the name and another name on top: refused, appended or rewritten."""
    forged = with_overlay(sealed(genuine, issuer[0]), "Jean Dupont", incremental=incremental)
    result = check(forged, issuer)
    assert refused(result)
    assert "sceau" in result.detail


def test_white_box_on_an_unsealed_rendering(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey]
) -> None:
    """The same overlay on a PDF rendered without the seal: refused, no seal where one is due."""
    forged = with_overlay(render_pdf(genuine), "Jean Dupont", incremental=False)
    assert refused(check(forged, issuer), UNSEALED_NEW)


def test_qr_code_of_another_certificate(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey], tmp_path: Path
) -> None:
    """Another certificate's genuine QR code and token on this page: refused however made."""
    key = issuer[0]
    other = document_of(key, holder_name="Jean Dupont", serial="CDM-2026-000999")
    swapped = dataclasses.replace(genuine, token=other.token)
    (read,) = qr_codes(write(tmp_path, "swapped.pdf", render_pdf(swapped)))
    assert read.rpartition("#")[2] == other.token  # the other certificate's real code
    assert refused(check(render_pdf(swapped), issuer), UNSEALED_NEW)
    assert refused(check(foreign_seal(render_pdf(swapped)), issuer), FOREIGN)
    # Even sealed by the issuer's own key (an insider's slip), the token must match.
    result = check(sealed(swapped, key), issuer)
    assert refused(result, "jeton du QR code ne correspond pas")
    assert "serial" in result.detail and "holder_name" in result.detail


def test_attachment_swapped(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey]
) -> None:
    """credential.json replaced by another genuine credential, as an update: refused."""
    key = issuer[0]
    other = document_of(key, holder_name="Jean Dupont", serial="CDM-2026-000999")
    writer = PdfWriter(io.BytesIO(sealed(genuine, key)), incremental=True)
    writer.add_attachment(CREDENTIAL_FILE, credential_bytes(other.credential))
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refused(check(buffer.getvalue(), issuer))


@pytest.mark.parametrize(
    "change",
    ["metadata", "annotation", "bytes after the end"],
)
def test_any_update_after_the_seal(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey], change: str
) -> None:
    """An incremental update adding anything, even harmless, or trailing bytes: refused."""
    pdf = sealed(genuine, issuer[0])
    if change == "bytes after the end":
        forged = pdf + b"\n%% appended\n"
    else:
        writer = PdfWriter(io.BytesIO(pdf), incremental=True)
        if change == "metadata":
            writer.add_metadata({"/Subject": "Certificat corrigé"})
        else:
            from pypdf.annotations import FreeText

            writer.add_annotation(0, FreeText(text="Validé", rect=(50, 50, 200, 80)))
        buffer = io.BytesIO()
        writer.write(buffer)
        forged = buffer.getvalue()
    assert refused(check(forged, issuer), NOT_LAST)


def test_resealed_by_a_foreign_certificate(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey]
) -> None:
    """A forged page (longer validity) re-sealed by a forger's certificate: refused.

    The credential inside is the issuer's, so the key is known: what is wrong is the seal
    (BAD SIGNATURE, not UNKNOWN KEY).
    """
    forged = dataclasses.replace(
        genuine, facts=dataclasses.replace(genuine.facts, valid_until=date(2039, 3, 1))
    )
    assert refused(check(foreign_seal(render_pdf(forged)), issuer))  # the page differs first
    assert refused(check(foreign_seal(render_pdf(genuine)), issuer), FOREIGN)


def test_sealed_by_another_key_of_the_issuer(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey]
) -> None:
    """Sealed by the issuer's other key, not the one that signed the credential: refused."""
    other_key, other_pin = sealing_key()
    pdf = sealed(genuine, other_key)
    result = verify_pdf(pdf, PinnedKeys([issuer[1], other_pin]), status_list(issuer[0]), TODAY)
    assert refused(result, FOREIGN)


def test_pdf_from_before_seals_still_verifies(issuer: tuple[SigningKey, PinnedKey]) -> None:
    """Unsealed, a lone proof (made before proof sets), or a key without seal: VALID, noted."""
    key, pinned = issuer
    document = document_of(key)
    lone = copy.deepcopy(document.credential)
    lone["proof"] = next(p for p in lone["proof"] if p["cryptosuite"] == "eddsa-jcs-2022")
    old = dataclasses.replace(document, credential=lone)
    result = check(render_pdf(old), issuer)
    assert result.verdict is Verdict.VALID, result.detail
    assert UNSEALED in result.detail
    unsealed_ring = (key, dataclasses.replace(pinned, seal_certificate=None))
    result = check(render_pdf(document), unsealed_ring)
    assert result.verdict is Verdict.VALID, result.detail
    assert UNSEALED in result.detail


def test_seal_removed(genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey]) -> None:
    """The credential signed when its key sealed, the PDF without seal: refused."""
    assert refused(check(render_pdf(genuine), issuer), UNSEALED_NEW)


def test_token_missing_from_a_sealed_pdf(
    genuine: CertificateDocument,
    issuer: tuple[SigningKey, PinnedKey],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sealed PDF whose XMP carries no token cannot be compared with its QR code: refused."""
    original = pdf_module.make_pdf_a
    monkeypatch.setattr(
        pdf_module,
        "make_pdf_a",
        lambda canvas, metadata, files, _token: original(canvas, metadata, files, ""),
    )
    result = check(sealed(genuine, issuer[0]), issuer)
    assert refused(result, "jeton du QR code manque")


def _tool(name: str) -> str:
    """The path of ``name``, or skip the test."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is needed (poppler-utils, qpdf; .ci/run installs them)")
    return path


def test_pdfsig_says_the_seal_is_valid(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey], tmp_path: Path
) -> None:
    """poppler's pdfsig: ETSI.CAdES.detached, the whole document, Signature is Valid."""
    path = write(tmp_path, "sealed.pdf", sealed(genuine, issuer[0]))
    shown = subprocess.run([_tool("pdfsig"), str(path)], capture_output=True, text=True)
    assert "Signature Type: ETSI.CAdES.detached" in shown.stdout, shown.stdout
    assert "Total document signed" in shown.stdout
    assert "Signature Validation: Signature is Valid." in shown.stdout
    assert "Réseau des Cités des métiers" in shown.stdout
    forged = write(tmp_path, "forged.pdf", with_overlay(path.read_bytes(), "X", incremental=True))
    shown = subprocess.run([_tool("pdfsig"), str(forged)], capture_output=True, text=True)
    assert "Total document signed" not in shown.stdout


def test_outside_tools_on_the_sealed_pdf(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey], tmp_path: Path
) -> None:
    """pdffonts: every font embedded; qpdf --check: no error; pdfinfo: still PDF 1.7."""
    path = write(tmp_path, "sealed.pdf", sealed(genuine, issuer[0]))
    fonts = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts.stdout
    checked = subprocess.run([_tool("qpdf"), "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    info = subprocess.run([_tool("pdfinfo"), str(path)], capture_output=True, text=True)
    assert "PDF version:     1.7" in info.stdout


def test_the_seal_keeps_the_file_pdf_a(
    genuine: CertificateDocument, issuer: tuple[SigningKey, PinnedKey]
) -> None:
    """An invisible, printable widget (no appearance needed), PDF 1.7 with the ESIC extension."""
    reader = PdfReader(io.BytesIO(sealed(genuine, issuer[0])))
    root = reader.trailer["/Root"]
    assert "/Version" not in root
    assert root["/Extensions"]["/ESIC"]["/BaseVersion"] == "/1.7"
    assert "/NeedAppearances" not in root["/AcroForm"]
    (widget,) = (annotation.get_object() for annotation in reader.pages[0]["/Annots"])
    assert widget["/Subtype"] == "/Widget" and widget["/FT"] == "/Sig"
    assert int(widget["/F"]) & 4  # printable, as PDF/A requires
    assert [float(value) for value in widget["/Rect"]] == [0, 0, 0, 0]
    assert "/Metadata" in root and "/OutputIntents" in root and "/AF" in root
