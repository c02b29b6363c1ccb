"""A person's certificates as a verifier would judge them today, and their PDFs of record.

Each certificate is verified the way ``certify verify`` does it, with the issuer's public
keys only: its document of record (the stored French PDF, else the credential signed at
issue, else, once the holder was pseudonymised, the token of its QR code) against the
pinned keys, its revocation taken from the issuer's records. Neither takes a private key
or a passphrase; only signing a certificate still unsigned does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from certificates.errors import CorruptKeyRing, KeyRingMissing, PassphraseMissing, WrongPassphrase
from certificates.keys import export_public_keys
from certificates.pdf_verify import verify_pdf
from certificates.pinned import PinnedKeys
from certificates.service import deliver_certificate
from certificates.signing import Signer
from certificates.token import verification_code
from certificates.verification import (
    RecordedStatus,
    VerificationResult,
    verify_credential,
    verify_token,
)
from certify.access.permissions import Actor
from certify.errors import CertifyError
from certify.model import Certificate
from certify.rules.wording import Lang
from certify.services.documents import REFERENCE_LANG, stored_pdfs, stored_signatures
from certify.views.certificate_records import held_certificates, viewable_certificate
from certify.views.revocations import WITHDRAWN

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session

#: What keeps the issuer's key ring from being used: verification is then unavailable.
RING_UNAVAILABLE = (KeyRingMissing, PassphraseMissing, WrongPassphrase, CorruptKeyRing)


class IssuerKeys:
    """The issuer's key ring: its public keys to verify, its active key to sign when needed."""

    def __init__(self, directory: Path | None = None, passphrase: str | None = None) -> None:
        """The ring in ``directory`` (default: ``$CERTIFY_KEYS_DIR``); its active key is
        decrypted by ``passphrase`` (default: ``$CERTIFY_KEY_PASSPHRASE``) on first use."""
        #: Every public key of the ring (what verifiers pin).
        self.pinned: PinnedKeys = export_public_keys(directory)
        self._directory = directory
        self._passphrase = passphrase
        self._signer: Signer | None = None

    def signer(self) -> Signer:
        """The active key, decrypted once, and the issuer's settings."""
        if self._signer is None:
            self._signer = Signer.load(self._directory, self._passphrase)
        return self._signer


@dataclass(frozen=True)
class CertificateCheck:
    """What a verifier concludes of one certificate, and its verification code."""

    #: The certificate's id.
    certificate_id: int
    #: The code printed beside the QR code (``K7QX2-MB4TA``; ``—`` if delivered unsigned at issue).
    code: str
    #: The verdict, the signed fields and why.
    result: VerificationResult
    #: Whether the stored PDF was verified (else the credential it will carry).
    from_pdf: bool


@dataclass(frozen=True)
class Verification:
    """A person's certificates verified, or why they could not be."""

    #: Each certificate's check, by certificate id (empty when unavailable).
    checks: dict[int, CertificateCheck]
    #: Why there is no check: the key ring is missing, locked or unreadable.
    unavailable: CertifyError | None = None


def verify_certificates(
    session: Session,
    actor: Actor,
    person_id: int,
    ring: Callable[[], IssuerKeys],
    today: date,
) -> Verification:
    """Every certificate of a person verified as of ``today``, with the key ring ``ring()``.

    For someone allowed to see the person's records. Without a readable key ring (none
    configured here…), the verification is unavailable, with the reason.
    """
    certificates = held_certificates(session, actor, person_id)
    try:
        return Verification(check_certificates(session, certificates, ring().pinned, today))
    except RING_UNAVAILABLE as error:
        return Verification({}, error)


def check_certificates(
    session: Session, certificates: Sequence[Certificate], pinned: PinnedKeys, today: date
) -> dict[int, CertificateCheck]:
    """These certificates verified as of ``today``, by id (not those still unsigned)."""
    ids = [certificate.id for certificate in certificates]
    stored = stored_pdfs(session, ids, REFERENCE_LANG)
    signatures = stored_signatures(session, ids)
    checks = {}
    for certificate in certificates:
        status = RecordedStatus(certificate.state in WITHDRAWN)
        pdf, signature = stored.get(certificate.id), signatures.get(certificate.id)
        if pdf is not None:
            result = verify_pdf(pdf, pinned, status, today)
        elif signature is not None and signature.credential is not None:
            result = verify_credential(json.loads(signature.credential), pinned, status, today)
        elif signature is not None:  # a pseudonymised holder's: the token is what stays
            result = verify_token(signature.token, pinned, status, today)
        else:
            continue
        code = verification_code(signature.token) if signature is not None else "—"
        checks[certificate.id] = CertificateCheck(certificate.id, code, result, pdf is not None)
    return checks


def certificate_pdf(
    session: Session, actor: Actor, certificate_id: int, ring: IssuerKeys, lang: Lang
) -> bytes:
    """The PDF of record of a certificate in ``lang`` (stored on its first download).

    For someone allowed to see the holder's records (the holder included). Only a
    certificate still unsigned needs the ring's passphrase.
    """
    certificate = viewable_certificate(session, actor, certificate_id)
    return deliver_certificate(session, certificate, lang, ring.signer)
