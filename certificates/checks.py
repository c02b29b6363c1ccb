"""A person's certificates as a verifier would judge them today, and their PDFs of record.

Each certificate is verified the way ``certify verify`` does it: its document of record
(the stored French PDF; before its first download, the credential that PDF will carry,
the same bytes since signing is deterministic) against the issuer's pinned public keys
and the status list as it would be published today from the database. The verification
code is the one printed beside the QR code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from certificates.errors import CorruptKeyRing, KeyRingMissing, PassphraseMissing, WrongPassphrase
from certificates.issuer import IssuerSettings, load_issuer
from certificates.keys import SigningKeys, export_public_keys
from certificates.pdf_verify import verify_pdf
from certificates.pinned import PinnedKeys
from certificates.service import certificate_document, deliver_certificate, signing_moment
from certificates.status_publication import publish_status_list
from certificates.timestamps import start_of_day
from certificates.token import verification_code
from certificates.verification import VerificationResult, verify_credential
from certify.access.permissions import Actor
from certify.errors import CertifyError
from certify.model import Certificate
from certify.rules.wording import Lang
from certify.services.documents import REFERENCE_LANG, stored_pdfs
from certify.views.certificate_records import held_certificates, viewable_certificate

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session

#: How long the status list made for a check is valid: the day of the check.
STATUS_LIST_LIFE = timedelta(days=1)
#: What keeps the issuer's key ring from being used: verification is then unavailable.
RING_UNAVAILABLE = (KeyRingMissing, PassphraseMissing, WrongPassphrase, CorruptKeyRing)


@dataclass(frozen=True)
class IssuerKeys:
    """The issuer's key ring: private keys to sign, its settings, its public keys to verify."""

    #: Private keys, each decrypted on first use.
    keys: SigningKeys
    #: The issuer's profile and status list address.
    issuer: IssuerSettings
    #: Every public key of the ring (what verifiers pin).
    pinned: PinnedKeys

    @classmethod
    def load(cls, directory: Path | None = None, passphrase: str | None = None) -> IssuerKeys:
        """The ring in ``directory`` (default: ``$CERTIFY_KEYS_DIR``), unlocked by
        ``passphrase`` (default: ``$CERTIFY_KEY_PASSPHRASE``)."""
        return cls(
            SigningKeys(directory, passphrase),
            load_issuer(directory),
            export_public_keys(directory),
        )


@dataclass(frozen=True)
class CertificateCheck:
    """What a verifier concludes of one certificate, and its verification code."""

    #: The certificate's id.
    certificate_id: int
    #: The code printed beside the QR code (``K7QX2-MB4TA``).
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

    For someone allowed to see the person's records. Without a usable key ring (none
    configured here, no passphrase…), the verification is unavailable, with the reason.
    """
    certificates = held_certificates(session, actor, person_id)
    try:
        return Verification(check_certificates(session, certificates, ring(), today))
    except RING_UNAVAILABLE as error:
        return Verification({}, error)


def check_certificates(
    session: Session, certificates: Sequence[Certificate], ring: IssuerKeys, today: date
) -> dict[int, CertificateCheck]:
    """These certificates verified as of ``today``, by id."""
    if not certificates:
        return {}
    moment = start_of_day(today)
    status_list = publish_status_list(
        session, ring.issuer, ring.keys.active_at(moment), moment, STATUS_LIST_LIFE
    )
    stored = stored_pdfs(session, [certificate.id for certificate in certificates], REFERENCE_LANG)
    checks = {}
    for certificate in certificates:
        key = ring.keys.active_at(signing_moment(certificate))
        document = certificate_document(certificate, key, ring.issuer, REFERENCE_LANG)
        pdf = stored.get(certificate.id)
        result = (
            verify_pdf(pdf, ring.pinned, status_list, today)
            if pdf is not None
            else verify_credential(document.credential, ring.pinned, status_list, today)
        )
        checks[certificate.id] = CertificateCheck(
            certificate.id, verification_code(document.token), result, pdf is not None
        )
    return checks


def certificate_pdf(
    session: Session, actor: Actor, certificate_id: int, ring: IssuerKeys, lang: Lang
) -> bytes:
    """The PDF of record of a certificate in ``lang`` (stored on its first download).

    For someone allowed to see the holder's records (the holder included).
    """
    certificate = viewable_certificate(session, actor, certificate_id)
    return deliver_certificate(session, certificate, ring.keys, ring.issuer, lang)
