"""Test helpers for signed certificates: facts, an issuer, keys and status lists."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates import data_integrity, signing
from certificates.credential import IssuerProfile, build_credential
from certificates.facts import CertificateFacts, CertifiedCompetency
from certificates.issuer import IssuerSettings
from certificates.key_ids import issuer_key_id
from certificates.keys import SigningKey
from certificates.pdf import CertificateDocument, render_pdf
from certificates.pinned import PinnedKey
from certificates.signing import Signer
from certificates.snapshot import facts_from_certificate
from certificates.status_list import build_status_list_credential
from certificates.token import make_token
from certify.model import Certificate
from certify.rules.wording import Lang

#: The issuing network of every test certificate.
ISSUER = IssuerProfile(
    id="https://certify.cites-des-metiers.example/issuer",
    name="Réseau des Cités des métiers",
    url="https://www.reseau-cites-des-metiers.example",
)
#: Where the test status list is published.
STATUS_URL = "https://certify.cites-des-metiers.example/status/1"
#: The fixed moment test documents are signed at.
CREATED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def make_facts(**changes: Any) -> CertificateFacts:
    """Facts of a typical certificate (Łukasz Wróbel, CERT-ACC), with ``changes`` applied."""
    facts = CertificateFacts(
        serial="CDM-2026-000123",
        holder_name="Łukasz Wróbel",
        programme_code="CERT-ACC",
        programme_title_fr="Accueil et premier niveau d'information",
        programme_title_en="Reception and first-level information",
        competencies=(
            CertifiedCompetency("ETH-01", "Déontologie", "Ethics", 3, "Acquis", "Acquired"),
            CertifiedCompetency(
                "ACC-02", "Accueil du public", "Public reception", 2, "En cours", "In progress"
            ),
        ),
        site_name="Cité des métiers de Marseille",
        issued_on=date(2026, 3, 2),
        valid_from=date(2026, 3, 2),
        valid_until=date(2029, 3, 1),
        issuer_name="Ayşe Yılmaz",
        status_index=4242,
    )
    return dataclasses.replace(facts, **changes)


def make_key(issuer: str = ISSUER.id) -> tuple[SigningKey, PinnedKey]:
    """A fresh signing key and its pinned public half."""
    private_key = Ed25519PrivateKey.generate()
    kid = issuer_key_id(issuer, private_key.public_key())
    pinned = PinnedKey(kid, private_key.public_key(), issuer, CREATED, None)
    return SigningKey(kid, private_key), pinned


def signed_credential(
    facts: CertificateFacts, key: SigningKey, created: datetime = CREATED
) -> dict[str, Any]:
    """The credential of ``facts`` signed by ``key`` at ``created``."""
    credential = build_credential(facts, ISSUER, STATUS_URL)
    return data_integrity.sign(credential, key.private_key, key.kid, created)


def signed_token(facts: CertificateFacts, key: SigningKey) -> str:
    """The QR token of ``facts`` signed by ``key`` at ``CREATED``."""
    return make_token(facts, key, ISSUER.id, CREATED)


def sign_facts(
    facts: CertificateFacts,
    key: SigningKey,
    settings: IssuerSettings,
    lang: Lang,
    created: datetime = CREATED,
) -> CertificateDocument:
    """The document of ``facts`` in ``lang``, signed by ``key`` for ``settings`` at ``created``."""
    credential, token = signing.sign_facts(facts, Signer(key, settings), created)
    return CertificateDocument(facts, credential, token, lang)


def render_certificate(
    certificate: Certificate, key: SigningKey, settings: IssuerSettings, lang: Lang
) -> bytes:
    """The PDF of a stored certificate, from its snapshot, signed by ``key`` at ``CREATED``."""
    return render_pdf(sign_facts(facts_from_certificate(certificate), key, settings, lang))


def status_list(
    key: SigningKey, revoked: Iterable[int] = (), published: datetime = CREATED
) -> dict[str, Any]:
    """A signed status list published at ``published``, valid for a week."""
    return build_status_list_credential(
        revoked, ISSUER, STATUS_URL, published, published + timedelta(days=7), key
    )
