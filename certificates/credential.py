"""A certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (a W3C Verifiable Credential).

Open Badges 3.0 gives ``AchievementSubject`` no ``name``: the holder's name goes in
``credentialSubject.identifier`` as an ``IdentityObject`` of ``identityType`` ``name``,
in clear (``hashed`` false) since it is printed on the certificate anyway. Nothing else
names the holder: an e-mail hash, whose salt Open Badges publishes beside it, would only
let anyone holding the certificate test guessed addresses, and a verifier compares the
name with the holder's. No number in the document is a float.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from certificates.claims import SignedClaims
from certificates.facts import CertificateFacts, CertifiedCompetency
from certificates.pinned import PinnedKey
from certificates.timestamps import end_of_day, format_instant, parse_instant, start_of_day

#: JSON-LD context of W3C Verifiable Credentials 2.0.
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
#: JSON-LD context of Open Badges 3.0.
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#: Prefix of a certificate's credential id; the serial follows.
CERTIFICATE_ID_PREFIX = "urn:certify:certificate:"
#: Prefix of a programme's achievement id; the programme code follows.
ACHIEVEMENT_ID_PREFIX = "urn:certify:programme:"
#: The status purpose certify publishes.
REVOCATION = "revocation"


@dataclass(frozen=True)
class IssuerProfile:
    """The issuing network, as credentials name it."""

    #: A URL identifying the issuer; pinned keys are pinned for it.
    id: str
    #: The issuer's display name.
    name: str
    #: The issuer's home page.
    url: str


def build_credential(
    facts: CertificateFacts, issuer: IssuerProfile, status_list_url: str
) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` of a certificate (sign it with ``data_integrity``)."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": CERTIFICATE_ID_PREFIX + facts.serial,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
        "validFrom": format_instant(start_of_day(facts.valid_from)),
        "validUntil": format_instant(end_of_day(facts.valid_until)),
        "awardedDate": format_instant(start_of_day(facts.issued_on)),
        "name": f"Certificat {facts.serial}\u00a0: {facts.programme_title_fr}",
        "description": _issued_by(facts),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": facts.holder_name,
                },
            ],
            "achievement": _achievement(facts, issuer),
        },
        "credentialStatus": {
            "id": f"{status_list_url}#{facts.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": REVOCATION,
            "statusListIndex": str(facts.status_index),
            "statusListCredential": status_list_url,
        },
    }


def read_claims(credential: Mapping[str, Any], key: PinnedKey, signed_at: datetime) -> SignedClaims:
    """The signed fields of a verified credential; KeyError, TypeError, ValueError if malformed.

    A credential whose ``proof`` is a lone object was made before proof sets: legacy.
    """
    if "OpenBadgeCredential" not in credential["type"]:
        raise ValueError("not an OpenBadgeCredential")
    if credential["@context"] != [VC_CONTEXT, OB_CONTEXT]:
        raise ValueError("not the contexts of a certify credential")
    serial = credential["id"].removeprefix(CERTIFICATE_ID_PREFIX)
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    status = credential["credentialStatus"]
    if status["statusPurpose"] != REVOCATION:
        raise ValueError("the credential's status is not a revocation entry")
    names = [
        identity["identityHash"]
        for identity in subject["identifier"]
        if identity["identityType"] == "name" and not identity["hashed"]
    ]
    if len(names) != 1:
        raise ValueError("the credential does not name one holder")
    return SignedClaims(
        serial=serial,
        holder_name=names[0],
        programme_code=achievement["humanCode"],
        programme_title=achievement["name"],
        issued_on=parse_instant(credential["awardedDate"]).date(),
        valid_from=parse_instant(credential["validFrom"]).date(),
        valid_until=parse_instant(credential["validUntil"]).date(),
        status_index=int(status["statusListIndex"]),
        status_list_url=status["statusListCredential"],
        issuer=key.issuer,
        key_id=key.key_id,
        signed_at=signed_at,
        legacy=not isinstance(credential["proof"], list),
    )


def _issued_by(facts: CertificateFacts) -> str:
    """Who issued the certificate, in French then English."""
    if not facts.issuer_name:
        return f"Délivré par {facts.site_name}. / Issued by {facts.site_name}."
    return (
        f"Délivré par {facts.site_name} (coordination\u00a0: {facts.issuer_name}). "
        f"/ Issued by {facts.site_name} (coordinator: {facts.issuer_name})."
    )


def _achievement(facts: CertificateFacts, issuer: IssuerProfile) -> dict[str, Any]:
    """The programme as an Open Badges ``Achievement``, its criteria listing the competencies."""
    return {
        "id": ACHIEVEMENT_ID_PREFIX + facts.programme_code,
        "type": ["Achievement"],
        "achievementType": "Certification",
        "humanCode": facts.programme_code,
        "name": facts.programme_title_fr,
        "description": (
            f"Certification de compétences «\u00a0{facts.programme_title_fr}\u00a0» du réseau "
            f"{issuer.name}. / Competency certification “{facts.programme_title_en}” "
            f"of the {issuer.name} network."
        ),
        "criteria": {"narrative": _narrative(facts.competencies)},
        "inLanguage": "fr",
    }


def _narrative(competencies: tuple[CertifiedCompetency, ...]) -> str:
    """A Markdown list of the competencies certified and the level reached in each."""
    lines = ["Compétences certifiées / Certified competencies:"]
    lines.extend(
        f"- {item.code} — {item.label_fr} / {item.label_en}\u00a0: niveau {item.level} "
        f"«\u00a0{item.level_label_fr}\u00a0» / level {item.level} “{item.level_label_en}”"
        for item in competencies
    )
    return "\n".join(lines)
