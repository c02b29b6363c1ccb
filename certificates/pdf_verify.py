"""Offline verification of a certificate PDF: its credential, its seal, its token, its text.

The embedded ``credential.json`` is verified against the pinned keys and the status list
(:func:`certificates.verification.verify_credential`); a public key or anything else found
in the PDF is never trusted. The page must print what was signed — holder, serial,
programme, dates written out. The PDF's PAdES seal must be intact, cover the whole file
and be made by the pinned seal certificate of the key that signed the credential
(:mod:`certificates.seal_check`): any change after sealing is refused. The QR code's
token, kept in the XMP as ``certify:token``, must be signed by a pinned key and name the
same certificate. Anything else is BAD SIGNATURE (a page edited around an intact
credential is a forgery too). A PDF made before seals is checked as then, said unsealed.
"""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from certificates.claims import SignedClaims
from certificates.errors import BadSignature, MalformedToken, UnknownKey
from certificates.pdf import CREDENTIAL_FILE
from certificates.pdfa import token_property
from certificates.pinned import PinnedKeys
from certificates.seal_check import judge_seal
from certificates.token import read_token
from certificates.verification import (
    DEFAULT_MAX_STATUS_AGE,
    StatusSource,
    Verdict,
    VerificationResult,
    verify_credential,
)
from certify.rules.wording import Wording
from certify.rules.written_dates import written_dates

#: The holder's name, as a field that may be missing.
HOLDER = Wording("titulaire", "holder")
#: Why a PDF without a credential is refused.
_NO_CREDENTIAL = (
    f"Aucune attestation signée ({CREDENTIAL_FILE}) dans ce PDF. "
    f"/ No signed credential ({CREDENTIAL_FILE}) in this PDF."
)
#: Why a sealed PDF without the QR code's token in its metadata is refused.
_TOKEN_MISSING = (
    "Le jeton du QR code manque dans les métadonnées XMP (certify:token). "
    "/ The QR code's token is missing from the XMP metadata (certify:token)."
)
#: Why a token that does not stand for the embedded credential is refused.
_TOKEN_MISMATCH = (
    "Le jeton du QR code ne correspond pas à l'attestation intégrée "
    "/ The QR code's token does not match the embedded credential"
)
#: Why an unreadable PDF or credential is refused.
_UNREADABLE = (
    "PDF ou attestation illisible\u00a0: ce n'est pas un certificat certify. "
    "/ Unreadable PDF or credential: not a certify certificate."
)


@dataclass(frozen=True)
class PdfContents:
    """What a verifier reads in a PDF: the embedded credential and the pages' text."""

    #: The embedded credential (``None`` if there is none).
    credential: Any
    #: The lines of text of every page, each in NFC with its whitespace collapsed.
    lines: tuple[str, ...]
    #: The QR code's token, as the XMP metadata carries it (``None``: none, older PDFs).
    token: str | None = None

    @property
    def text(self) -> str:
        """All the lines, one space between each."""
        return " ".join(self.lines)


def read_pdf(data: bytes) -> PdfContents | None:
    """The credential and text of a PDF; ``None`` if the PDF or the credential is unreadable."""
    try:
        reader = PdfReader(io.BytesIO(data))
        attachments = reader.attachments.get(CREDENTIAL_FILE, [])
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        credential = json.loads(attachments[0]) if len(attachments) == 1 else None
        root: Any = reader.trailer["/Root"]
        metadata = root.get("/Metadata")
        token = None if metadata is None else token_property(metadata.get_object().get_data())
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        return None
    lines = (normalized(line) for line in text.splitlines())
    return PdfContents(credential, tuple(line for line in lines if line), token)


def verify_pdf(
    data: bytes,
    pinned: PinnedKeys,
    status_list: StatusSource,
    today: date,
    max_status_age: timedelta = DEFAULT_MAX_STATUS_AGE,
) -> VerificationResult:
    """Verify a certificate PDF: its credential, its printed text, its seal, then its token."""
    contents = read_pdf(data)
    if contents is None:
        return VerificationResult(Verdict.BAD_SIGNATURE, None, _UNREADABLE)
    if contents.credential is None:
        return VerificationResult(Verdict.BAD_SIGNATURE, None, _NO_CREDENTIAL)
    result = verify_credential(contents.credential, pinned, status_list, today, max_status_age)
    if result.fields is None:
        return result
    missing = missing_from_page(result.fields, contents)
    if missing:
        return VerificationResult(Verdict.BAD_SIGNATURE, result.fields, _mismatch(missing))
    sealer = pinned.by_key_id(result.fields.key_id).seal_certificate
    verdict, why = judge_seal(data, contents.credential, sealer)
    if verdict is not None:
        return VerificationResult(verdict, result.fields, why or "")
    note = why
    mismatch = None
    if contents.token is not None or note is None:  # PDFs made before seals have no token
        mismatch = token_mismatch(contents.token, result.fields, pinned)
    if mismatch is not None:
        return VerificationResult(Verdict.BAD_SIGNATURE, result.fields, mismatch)
    return result if note is None else replace(result, detail=f"{result.detail} {note}")


def token_mismatch(token: str | None, claims: SignedClaims, pinned: PinnedKeys) -> str | None:
    """Why the XMP's token does not stand for the credential's ``claims`` (``None``: it does).

    It must be signed by a pinned key, the credential's, and name the same serial, holder,
    programme, dates and status index.
    """
    if token is None:
        return _TOKEN_MISSING
    try:
        signed = read_token(token, pinned)
    except (UnknownKey, BadSignature, MalformedToken) as error:
        return f"{_TOKEN_MISMATCH} ({error})"
    fields = (
        "serial",
        "holder_name",
        "programme_code",
        "issued_on",
        "valid_from",
        "valid_until",
        "status_index",
    )
    differing = [name for name in fields if getattr(signed, name) != getattr(claims, name)]
    if pinned.by_key_id(signed.key_id) != pinned.by_key_id(claims.key_id):
        differing.append("key")
    return f"{_TOKEN_MISMATCH} ({', '.join(differing)})" if differing else None


def missing_from_page(claims: SignedClaims, contents: PdfContents) -> list[Wording]:
    """The signed fields the page does not print (dates written out in French or English).

    The holder's name must be a line of its own, exactly; the other fields may be part of
    a line.
    """
    missing = [] if normalized(claims.holder_name) in contents.lines else [HOLDER]
    text = contents.text
    expected = [
        (Wording("numéro", "serial"), (claims.serial,)),
        (Wording("programme", "programme"), (claims.programme_code,)),
        (Wording("date de délivrance", "issue date"), written_dates(claims.issued_on)),
        (Wording("fin de validité", "valid until"), written_dates(claims.valid_until)),
    ]
    return missing + [
        field
        for field, spellings in expected
        if not any(normalized(spelling) in text for spelling in spellings)
    ]


def normalized(text: str) -> str:
    """``text`` in NFC with every run of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _mismatch(missing: list[Wording]) -> str:
    """Why a page that does not print its signed fields is refused."""
    french = ", ".join(field.fr for field in missing)
    english = ", ".join(field.en for field in missing)
    return (
        f"Le texte imprimé diffère des champs signés ({french})\u00a0: la page a été modifiée. "
        f"/ The printed text differs from the signed fields ({english}): the page was edited."
    )
