"""Offline verification of a certificate PDF: its embedded credential, then its printed text.

The embedded ``credential.json`` is verified against the pinned keys and the status list
(:func:`certificates.verification.verify_credential`); a public key or anything else found
in the PDF is never trusted. Then the page must print what was signed — holder, serial,
programme, dates written out — or the verdict is BAD SIGNATURE: a page edited around an
intact credential is a forgery too.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from certificates.claims import SignedClaims
from certificates.pdf import CREDENTIAL_FILE
from certificates.pinned import PinnedKeys
from certificates.verification import (
    DEFAULT_MAX_STATUS_AGE,
    Verdict,
    VerificationResult,
    verify_credential,
)
from certificates.written_dates import written_dates
from certify.rules.wording import Wording

#: The holder's name, as a field that may be missing.
HOLDER = Wording("titulaire", "holder")
#: Why a PDF without a credential is refused.
_NO_CREDENTIAL = (
    f"Aucune attestation signée ({CREDENTIAL_FILE}) dans ce PDF. "
    f"/ No signed credential ({CREDENTIAL_FILE}) in this PDF."
)
#: Why an unreadable PDF or credential is refused.
_UNREADABLE = (
    "PDF ou attestation illisible : ce n'est pas un certificat certify. "
    "/ Unreadable PDF or credential: not a certify certificate."
)


@dataclass(frozen=True)
class PdfContents:
    """What a verifier reads in a PDF: the embedded credential and the pages' text."""

    #: The embedded credential (``None`` if there is none).
    credential: Any
    #: The lines of text of every page, each in NFC with its whitespace collapsed.
    lines: tuple[str, ...]

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
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        return None
    lines = (normalized(line) for line in text.splitlines())
    return PdfContents(credential, tuple(line for line in lines if line))


def verify_pdf(
    data: bytes,
    pinned: PinnedKeys,
    status_list: Mapping[str, Any] | None,
    today: date,
    max_status_age: timedelta = DEFAULT_MAX_STATUS_AGE,
) -> VerificationResult:
    """Verify a certificate PDF: its credential, then that its page prints what is signed."""
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
    return result


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
        f"Le texte imprimé diffère des champs signés ({french}) : la page a été modifiée. "
        f"/ The printed text differs from the signed fields ({english}): the page was edited."
    )
