"""The PAdES seal on its own: made, read back, judged, and what pdfsig and qpdf say of it."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pypdf import PdfWriter

from certificates.pdf import CertificateDocument, render_pdf
from certificates.seal import new_seal_key, renewed_certificate, seal_certificate, seal_pdf
from certificates.seal_check import (
    BROKEN,
    FOREIGN,
    NOT_LAST,
    NOT_PINNED,
    OUTSIDE,
    UNSEALED,
    UNSEALED_NEW,
    judge_seal,
    read_seal,
)
from certificates.verification import Verdict
from tests.certificate_factory import (
    CREATED,
    ISSUER,
    make_facts,
    make_key,
    signed_credential,
    signed_token,
)

#: The seal's signing moment.
AT = CREATED
#: Since when the test seal key seals.
SINCE = CREATED - timedelta(days=1)


def _seal_material() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A seal key and its certificate, naming the test issuer."""
    private = new_seal_key()
    return private, seal_certificate(private, ISSUER.name, ISSUER.name, ISSUER.id, SINCE)


#: The test seal key and its certificate.
SEAL_KEY, SEAL_CERTIFICATE = _seal_material()


def certificate_pdf() -> tuple[bytes, CertificateDocument]:
    """A rendered certificate (unsealed) and its document."""
    key, _ = make_key()
    facts = make_facts()
    document = CertificateDocument(
        facts, signed_credential(facts, key), signed_token(facts, key), "fr"
    )
    return render_pdf(document), document


def sealed_pdf() -> tuple[bytes, CertificateDocument]:
    """A certificate sealed at ``AT``."""
    pdf, document = certificate_pdf()
    return seal_pdf(pdf, SEAL_KEY, SEAL_CERTIFICATE, AT), document


def test_seal_is_deterministic_fast_and_read_back() -> None:
    """Same PDF, key and moment: same bytes; a few ms; the seal reads back intact."""
    pdf, _ = certificate_pdf()
    args = (pdf, SEAL_KEY, SEAL_CERTIFICATE, AT)
    first = seal_pdf(*args)
    started = time.perf_counter()
    again = seal_pdf(*args)
    assert time.perf_counter() - started < 0.5
    assert first == again
    assert first.startswith(pdf)  # an incremental update: the rendering is untouched
    seal = read_seal(first)
    assert seal is not None and seal.problem is None
    assert seal.certificate == SEAL_CERTIFICATE
    assert seal.signed_at == AT
    assert read_seal(pdf) is None


def test_judgement() -> None:
    """Sealed by the expected certificate: fine; by another, unpinned, or out of its window."""
    pdf, document = sealed_pdf()
    credential = document.credential
    assert judge_seal(pdf, credential, SEAL_CERTIFICATE) == (None, None)
    _, other = _seal_material()
    assert judge_seal(pdf, credential, other) == (Verdict.BAD_SIGNATURE, FOREIGN)
    assert judge_seal(pdf, credential, None) == (Verdict.UNKNOWN_KEY, NOT_PINNED)
    ended = renewed_certificate(SEAL_KEY, SEAL_CERTIFICATE, AT - timedelta(hours=1))
    assert judge_seal(pdf, credential, ended) == (Verdict.BAD_SIGNATURE, OUTSIDE)


def test_unsealed_judgement() -> None:
    """No seal: a note if the key could not seal then, else refused."""
    pdf, document = certificate_pdf()
    credential = document.credential
    assert judge_seal(pdf, credential, None) == (None, UNSEALED)
    assert judge_seal(pdf, credential, SEAL_CERTIFICATE) == (
        Verdict.BAD_SIGNATURE,
        UNSEALED_NEW,
    )
    later = seal_certificate(
        SEAL_KEY,
        ISSUER.name,
        ISSUER.name,
        ISSUER.id,
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert judge_seal(pdf, credential, later) == (None, UNSEALED)


def test_any_change_breaks_or_follows_the_seal() -> None:
    """A flipped byte breaks it; an update or trailing bytes come after it."""
    pdf, _ = sealed_pdf()
    flipped = bytearray(pdf)
    flipped[len(pdf) // 3] ^= 0x01
    broken = read_seal(bytes(flipped))
    assert broken is not None and broken.problem in (BROKEN, NOT_LAST)
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_metadata({"/Title": "Autre"})
    buffer = io.BytesIO()
    writer.write(buffer)
    for changed in (buffer.getvalue(), pdf + b"%\n"):
        seal = read_seal(changed)
        assert seal is not None and seal.problem == NOT_LAST


def test_certificate_names_the_issuer() -> None:
    """CN and O the issuer's name, its URL as alternative name, P-256, from ``SINCE``."""
    certificate = SEAL_CERTIFICATE
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == ISSUER.name
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ISSUER.name
    alternative = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert alternative.value.get_values_for_type(x509.UniformResourceIdentifier) == [ISSUER.id]
    assert certificate.not_valid_before_utc == SINCE


def test_pdfsig_and_qpdf(tmp_path: Path) -> None:
    """poppler's pdfsig: valid, the whole document; qpdf --check: no error; still PDF 1.7."""
    tools = {name: shutil.which(name) for name in ("pdfsig", "qpdf", "pdfinfo")}
    if not all(tools.values()):
        pytest.skip("pdfsig, pdfinfo and qpdf are needed (poppler-utils, qpdf; .ci/run installs)")
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed_pdf()[0])
    shown = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature Type: ETSI.CAdES.detached" in shown
    assert "Total document signed" in shown
    assert "Signature Validation: Signature is Valid." in shown
    checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "PDF version:     1.7" in info
