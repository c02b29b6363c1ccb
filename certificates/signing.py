"""Certificates signed once, when issued: the credential and QR token, stored for good.

The active key signs at the real moment (``proof.created`` and the token's ``iat``), so
a key signs only within its window; every PDF is then rendered from what was stored
(:func:`certificates.sealing.signed_document`), which needs no private key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from certificates import data_integrity
from certificates.credential import build_credential
from certificates.facts import CertificateFacts
from certificates.issuer import IssuerSettings, load_issuer
from certificates.keys import SigningKey, load_signing_key, signing_now
from certificates.sealing import sealed_pdfs
from certificates.snapshot import facts_from_certificate
from certificates.token import make_token
from certify.model import Certificate
from certify.services.documents import (
    Signature,
    record_signatures,
    store_pdfs,
    stored_signatures,
)

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Signer:
    """The issuer's active key and settings: what signing a certificate takes."""

    #: The ring's active key, decrypted.
    key: SigningKey
    #: The issuer's profile and status list address.
    issuer: IssuerSettings

    @classmethod
    def load(cls, directory: Path | None = None, passphrase: str | None = None) -> Signer:
        """The active key of the ring in ``directory`` (default: the keys folder), decrypted
        with ``passphrase`` (default: ``$CERTIFY_KEY_PASSPHRASE``), and the issuer's settings."""
        return cls(load_signing_key(directory, passphrase), load_issuer(directory))


def sign_certificates(
    session: Session, certificates: Sequence[Certificate], signer: Signer, now: datetime
) -> dict[int, Signature]:
    """Sign ``certificates`` (certify's own, unsigned) at ``now`` and store it; by id.

    Pages are rendered and sealed as certificates are signed (:func:`sealed_pdfs`). What
    is returned is what is stored: a certificate another process signed meanwhile keeps
    that signature and its PDFs; only the PDFs of those signed here are stored.
    """
    signed = ((certificate, _sign(certificate, signer, now)) for certificate in certificates)
    signatures, sealed = sealed_pdfs(signed, len(certificates), signer.key)
    stored = record_signatures(session, signatures)
    mine = {s.certificate_id for s in signatures if stored[s.certificate_id] == s}
    for lang, pdfs in sealed.items():
        store_pdfs(session, {number: pdf for number, pdf in pdfs.items() if number in mine}, lang)
    return stored


def signatures_of(
    session: Session,
    certificates: Sequence[Certificate],
    signer: Callable[[], Signer],
) -> dict[int, Signature]:
    """The stored signatures of ``certificates``, the unsigned ones signed now by ``signer()``.

    ``signer`` is called only if one is unsigned: signed certificates need no key.
    """
    stored = stored_signatures(session, [certificate.id for certificate in certificates])
    unsigned = [certificate for certificate in certificates if certificate.id not in stored]
    if unsigned:
        stored |= sign_certificates(session, unsigned, signer(), signing_now())
    return stored


def sign_facts(
    facts: CertificateFacts, signer: Signer, now: datetime
) -> tuple[dict[str, Any], str]:
    """The signed credential and QR token of ``facts``, both made at ``now``."""
    issuer = signer.issuer
    credential = data_integrity.sign(
        build_credential(facts, issuer.profile, issuer.status_list_url),
        signer.key.private_key,
        signer.key.kid,
        now,
    )
    return credential, make_token(facts, signer.key, issuer.profile.id, now)


def _sign(certificate: Certificate, signer: Signer, now: datetime) -> Signature:
    """The signature of one certificate, made at ``now``."""
    credential, token = sign_facts(facts_from_certificate(certificate), signer, now)
    return Signature(
        certificate.id, now, signer.key.kid, json.dumps(credential, ensure_ascii=False), token
    )
