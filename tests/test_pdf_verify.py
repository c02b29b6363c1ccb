"""Verifying certificate PDFs: every verdict, from real PDFs that were tampered with or not."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfWriter

from certificates.keys import SigningKey
from certificates.pdf import CertificateDocument, render_pdf
from certificates.pdf_verify import verify_pdf
from certificates.pinned import PinnedKeys
from certificates.verification import Verdict, VerificationResult
from tests.certificate_factory import CREATED, make_facts, make_key, sign_facts, status_list
from tests.pdf_helpers import SETTINGS

#: A day when the certificate is valid and the list fresh.
TODAY = date(2026, 3, 4)


@pytest.fixture
def issuer() -> tuple[SigningKey, PinnedKeys]:
    """The issuer's key and the pins a verifier holds."""
    key, pinned = make_key()
    return key, PinnedKeys([pinned])


@pytest.fixture
def document(issuer: tuple[SigningKey, PinnedKeys]) -> CertificateDocument:
    """Łukasz Wróbel's certificate, signed by the issuer."""
    return sign_facts(make_facts(), issuer[0], SETTINGS, "fr")


def check(
    pdf: bytes,
    issuer: tuple[SigningKey, PinnedKeys],
    revoked: set[int] | None = None,
    today: date = TODAY,
    published: datetime = CREATED,
) -> VerificationResult:
    """Verify ``pdf`` on ``today`` with a status list (``None``: no list) of the issuer."""
    key, pinned = issuer
    listing = None if revoked is None else status_list(key, revoked, published)
    return verify_pdf(pdf, pinned, listing, today)


def test_valid(document: CertificateDocument, issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """An untouched PDF, a fresh list: VALID, with the signed fields."""
    result = check(render_pdf(document), issuer, set())
    assert result.verdict is Verdict.VALID, result.detail
    assert result.fields is not None
    assert result.fields.holder_name == "Łukasz Wróbel"


def test_english_pdf_is_valid(
    document: CertificateDocument, issuer: tuple[SigningKey, PinnedKeys]
) -> None:
    """The dates may be written out in English."""
    english = dataclasses.replace(document, lang="en")
    assert check(render_pdf(english), issuer, set()).verdict is Verdict.VALID


def test_edited_printed_name(
    document: CertificateDocument, issuer: tuple[SigningKey, PinnedKeys]
) -> None:
    """Another name on the page around the intact credential: BAD SIGNATURE, the page says why."""
    forged = dataclasses.replace(
        document, facts=dataclasses.replace(document.facts, holder_name="Łukasz Wróbelski")
    )
    result = check(render_pdf(forged), issuer, set())
    assert result.verdict is Verdict.BAD_SIGNATURE
    assert "texte imprimé diffère" in result.detail
    assert "(titulaire)" in result.detail
    assert result.fields is not None
    assert result.fields.holder_name == "Łukasz Wróbel"


def test_edited_printed_dates(
    document: CertificateDocument, issuer: tuple[SigningKey, PinnedKeys]
) -> None:
    """A longer validity printed than signed: BAD SIGNATURE."""
    forged = dataclasses.replace(
        document, facts=dataclasses.replace(document.facts, valid_until=date(2039, 3, 1))
    )
    result = check(render_pdf(forged), issuer, set())
    assert result.verdict is Verdict.BAD_SIGNATURE
    assert "fin de validité" in result.detail


def test_tampered_credential(
    document: CertificateDocument, issuer: tuple[SigningKey, PinnedKeys]
) -> None:
    """The embedded credential edited (and the page to match): BAD SIGNATURE, no field shown."""
    credential = copy.deepcopy(document.credential)
    credential["validUntil"] = "2039-03-01T23:59:59Z"
    forged = dataclasses.replace(
        document,
        credential=credential,
        facts=dataclasses.replace(document.facts, valid_until=date(2039, 3, 1)),
    )
    result = check(render_pdf(forged), issuer, set())
    assert result.verdict is Verdict.BAD_SIGNATURE
    assert result.fields is None


def test_credential_of_another_certificate(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """A genuine credential transplanted into another person's page: BAD SIGNATURE."""
    key = issuer[0]
    genuine = sign_facts(make_facts(), key, SETTINGS, "fr")
    other = sign_facts(make_facts(holder_name="Nguyễn Thị Hương"), key, SETTINGS, "fr")
    transplanted = dataclasses.replace(other, credential=genuine.credential)
    assert check(render_pdf(transplanted), issuer, set()).verdict is Verdict.BAD_SIGNATURE


def test_pdf_without_credential(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """A PDF with no ``credential.json``, or no PDF at all: BAD SIGNATURE."""
    writer = PdfWriter()
    writer.add_blank_page(842, 595)
    buffer = io.BytesIO()
    writer.write(buffer)
    result = check(buffer.getvalue(), issuer, set())
    assert result.verdict is Verdict.BAD_SIGNATURE
    assert "credential.json" in result.detail
    assert check(b"not a pdf", issuer, set()).verdict is Verdict.BAD_SIGNATURE


def test_unreadable_credential(
    document: CertificateDocument, issuer: tuple[SigningKey, PinnedKeys]
) -> None:
    """An attachment that is not JSON: BAD SIGNATURE."""
    writer = PdfWriter(clone_from=io.BytesIO(render_pdf(document)))
    writer.add_attachment("credential.json", b"{not json")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert check(buffer.getvalue(), issuer, set()).verdict is Verdict.BAD_SIGNATURE


def test_unknown_key(document: CertificateDocument) -> None:
    """Pins of another issuer's ring: UNKNOWN KEY, whatever key the document names."""
    other_key, other_pin = make_key()
    result = check(render_pdf(document), (other_key, PinnedKeys([other_pin])), set())
    assert result.verdict is Verdict.UNKNOWN_KEY
    assert result.fields is None


def test_revoked(document: CertificateDocument, issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """The certificate's bit set in the issuer's list: REVOKED."""
    index = document.facts.status_index
    assert check(render_pdf(document), issuer, {index}).verdict is Verdict.REVOKED
    assert check(render_pdf(document), issuer, {index + 1}).verdict is Verdict.VALID


def test_expired_and_not_yet_valid(
    document: CertificateDocument, issuer: tuple[SigningKey, PinnedKeys]
) -> None:
    """After its last day: EXPIRED; before its first: NOT YET VALID."""
    pdf = render_pdf(document)
    later = date(2029, 3, 2)
    published = datetime(2029, 3, 1, tzinfo=CREATED.tzinfo)
    assert check(pdf, issuer, set(), later, published).verdict is Verdict.EXPIRED
    early = dataclasses.replace(document.facts, valid_from=date(2026, 4, 1))
    pdf = render_pdf(sign_facts(early, issuer[0], SETTINGS, "fr"))
    assert check(pdf, issuer, set()).verdict is Verdict.NOT_YET_VALID


def test_missing_or_stale_list(
    document: CertificateDocument, issuer: tuple[SigningKey, PinnedKeys]
) -> None:
    """No list, or a list past its validity: STATUS UNKNOWN, the fields still shown."""
    pdf = render_pdf(document)
    missing = check(pdf, issuer)
    assert missing.verdict is Verdict.STATUS_UNKNOWN
    assert missing.fields is not None
    stale = check(pdf, issuer, set(), TODAY + timedelta(days=40))
    assert stale.verdict is Verdict.STATUS_UNKNOWN


def test_key_inside_the_document_is_not_trusted(
    document: CertificateDocument, issuer: tuple[SigningKey, PinnedKeys]
) -> None:
    """Re-signed by a forger whose key the proof names: UNKNOWN KEY."""
    forger, _ = make_key()
    forged = sign_facts(document.facts, forger, SETTINGS, "fr")
    assert check(render_pdf(forged), issuer, set()).verdict is Verdict.UNKNOWN_KEY
    assert json.loads(json.dumps(forged.credential))["proof"][0]["verificationMethod"] == forger.kid
