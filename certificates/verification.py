"""Offline verification of a credential or QR token: one verdict, the signed fields, why.

Checks run in this order, and the first that fails decides:

1. the signing key must be pinned for the document's issuer — a key found inside the
   document is never used — and have signed within its window (UNKNOWN KEY);
2. the signature must match the content: any edit fails it (BAD SIGNATURE); until both
   pass, no field is shown, since none can be trusted;
3. REVOKED if the certificate's bit is set in a status list that verifies against the
   pinned keys, *even a stale one*: revocation is final in the Bitstring Status List,
   so an old list that says revoked is still right;
4. NOT YET VALID / EXPIRED from the signed dates: these hold whatever the list says;
5. STATUS UNKNOWN if the list is missing, does not verify, is not this certificate's,
   or is stale (past its ``validUntil``, not yet valid, or older than ``max_status_age``);
6. otherwise VALID.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any

from certificates import data_integrity
from certificates.claims import SignedClaims
from certificates.credential import read_claims
from certificates.errors import BadSignature, MalformedToken, UnknownKey
from certificates.pinned import PinnedKey, PinnedKeys
from certificates.status_list import is_revoked
from certificates.timestamps import format_instant, parse_instant
from certificates.token import read_token
from certify.rules.written_dates import written_date

#: How old a status list may be before a verifier stops trusting that nothing was revoked.
DEFAULT_MAX_STATUS_AGE = timedelta(days=31)

#: Why a document without a proof is refused.
_UNSIGNED = (
    "Document non signé\u00a0: il ne porte aucune preuve. / Unsigned document: it carries no proof."
)
#: Why a signature fails.
_BAD_SIGNATURE = (
    "Signature invalide\u00a0: le document a été modifié après signature. "
    "/ Bad signature: the document was altered after signing."
)
#: Why authentic content is still refused.
_NOT_A_CERTIFICATE = (
    "Document signé mais qui n'est pas un certificat certify. "
    "/ A signed document that is not a certify certificate."
)
#: Why the status is unknown without a list.
_NO_LIST = (
    "Aucune liste de révocation\u00a0: impossible de savoir si le certificat est révoqué. "
    "/ No status list: whether the certificate is revoked cannot be told."
)
#: Why a list that does not verify is ignored.
_UNVERIFIED_LIST = (
    "La liste de révocation n'est pas signée par une clé épinglée de l'émetteur. "
    "/ The status list is not signed by a pinned key of the issuer."
)
#: Why another certificate's list is ignored.
_OTHER_LIST = (
    "La liste de révocation fournie n'est pas celle de ce certificat. "
    "/ The status list given is not this certificate's."
)
#: Why an unreadable list is ignored.
_UNREADABLE_LIST = (
    "Liste de révocation illisible ou trop courte pour ce certificat. "
    "/ The status list is unreadable or too short for this certificate."
)


@dataclass(frozen=True)
class RecordedStatus:
    """The issuer's own records on a certificate, used instead of a status list when certify
    checks the certificates it issued (no signed list, hence no private key, is needed)."""

    #: Whether the certificate is revoked or superseded.
    withdrawn: bool


#: Where a verifier learns whether a certificate is revoked: a status list, or the records.
StatusSource = Mapping[str, Any] | RecordedStatus | None


class Verdict(Enum):
    """The outcome of a verification, with its French and English labels."""

    #: Authentic, within its dates, not revoked in a fresh status list.
    VALID = ("VALIDE", "VALID")
    #: Authentic, but its last day of validity is past.
    EXPIRED = ("EXPIRÉ", "EXPIRED")
    #: Authentic, and revoked in a status list that verifies.
    REVOKED = ("RÉVOQUÉ", "REVOKED")
    #: Authentic, but its first day of validity is still to come.
    NOT_YET_VALID = ("PAS ENCORE VALIDE", "NOT YET VALID")
    #: Altered, unsigned, or not a certify certificate.
    BAD_SIGNATURE = ("SIGNATURE INVALIDE", "BAD SIGNATURE")
    #: Signed by a key not pinned for its issuer.
    UNKNOWN_KEY = ("CLÉ INCONNUE", "UNKNOWN KEY")
    #: Authentic and within its dates, but no fresh, verified status list says it is not revoked.
    STATUS_UNKNOWN = ("STATUT INCONNU", "STATUS UNKNOWN")

    def __init__(self, label_fr: str, label_en: str) -> None:
        """Keep the two labels of the verdict."""
        #: Label shown to French readers.
        self.label_fr = label_fr
        #: Label shown to English readers.
        self.label_en = label_en


@dataclass(frozen=True)
class VerificationResult:
    """A verdict, the signed fields it is about, and a sentence saying why."""

    #: The outcome.
    verdict: Verdict
    #: The signed fields (``None`` when the key or the signature failed: nothing is trusted).
    fields: SignedClaims | None
    #: Why, in French then English.
    detail: str


def verify_credential(
    credential: Mapping[str, Any],
    pinned: PinnedKeys,
    status_list: StatusSource,
    today: date,
    max_status_age: timedelta = DEFAULT_MAX_STATUS_AGE,
) -> VerificationResult:
    """Verify a signed ``OpenBadgeCredential`` against pinned keys and the last status list."""
    method = data_integrity.verification_method(credential)
    if method is None:
        return VerificationResult(Verdict.BAD_SIGNATURE, None, _UNSIGNED)
    try:
        key = pinned.by_key_id(method)
    except UnknownKey as error:
        return VerificationResult(Verdict.UNKNOWN_KEY, None, str(error))
    if not data_integrity.verify(credential, key.public_key):
        return VerificationResult(Verdict.BAD_SIGNATURE, None, _BAD_SIGNATURE)
    if _issuer_id(credential) != key.issuer:
        return VerificationResult(Verdict.UNKNOWN_KEY, None, _not_issuer_key(key.issuer))
    signed_at = data_integrity.created(credential)
    try:
        if signed_at is None:
            raise ValueError("the proofs do not say when they were made")
        claims = read_claims(credential, key, signed_at)
    except (KeyError, TypeError, ValueError):
        return VerificationResult(Verdict.BAD_SIGNATURE, None, _NOT_A_CERTIFICATE)
    return _outside_window(claims, key) or _judge(
        claims, pinned, status_list, today, max_status_age
    )


def verify_token(
    text: str,
    pinned: PinnedKeys,
    status_list: StatusSource,
    today: date,
    max_status_age: timedelta = DEFAULT_MAX_STATUS_AGE,
) -> VerificationResult:
    """Verify a QR token against pinned keys and the last status list."""
    try:
        claims = read_token(text, pinned)
    except UnknownKey as error:
        return VerificationResult(Verdict.UNKNOWN_KEY, None, str(error))
    except (BadSignature, MalformedToken) as error:
        return VerificationResult(Verdict.BAD_SIGNATURE, None, str(error))
    return _outside_window(claims, pinned.by_key_id(claims.key_id)) or _judge(
        claims, pinned, status_list, today, max_status_age
    )


def _outside_window(claims: SignedClaims, key: PinnedKey) -> VerificationResult | None:
    """Why authentic claims are refused for when they were signed, if they are.

    A key signs only within its window: a proof dated after the key's retirement is what
    a stolen retired key would make (UNKNOWN KEY). A certificate cannot be issued on a
    day after it was signed (BAD SIGNATURE). Legacy documents are dated at their day of
    issue's start, signed by the key active then, or the ring's first key before it
    existed: only their upper bound holds.
    """
    signed = claims.signed_at
    if claims.issued_on > signed.date():
        return VerificationResult(
            Verdict.BAD_SIGNATURE,
            None,
            f"Certificat daté du {claims.issued_on}, après sa signature le {signed.date()}. "
            f"/ Certificate dated {claims.issued_on}, after it was signed on {signed.date()}.",
        )
    if key.compromised is not None:
        return VerificationResult(
            Verdict.UNKNOWN_KEY,
            None,
            f"La clé qui a signé a été déclarée compromise le {format_instant(key.compromised)}"
            "\u00a0: ce qu'elle a signé n'est plus fiable. / The signing key was declared "
            f"compromised on {format_instant(key.compromised)}: nothing it signed can be trusted.",
        )
    retired_before = key.retired is not None and signed >= key.retired
    if retired_before or (not claims.legacy and not key.signed_within(signed)):
        return VerificationResult(
            Verdict.UNKNOWN_KEY,
            None,
            f"Signé le {format_instant(signed)} par une clé valable du "
            f"{format_instant(key.created)} {_until(key, 'fr')}. / Signed on "
            f"{format_instant(signed)} by a key valid from {format_instant(key.created)} "
            f"{_until(key, 'en')}.",
        )
    return None


def _until(key: PinnedKey, lang: str) -> str:
    """Until when ``key`` may sign, in ``lang``."""
    if key.retired is None:
        return "à ce jour" if lang == "fr" else "to date"
    moment = format_instant(key.retired)
    return f"au {moment}" if lang == "fr" else f"to {moment}"


def _issuer_id(document: Mapping[str, Any]) -> str | None:
    """The id of a credential's issuer, given as a string or as a profile object."""
    issuer = document.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _judge(
    claims: SignedClaims,
    pinned: PinnedKeys,
    status_list: StatusSource,
    today: date,
    max_status_age: timedelta,
) -> VerificationResult:
    """The verdict on authentic claims: revocation, then dates, then the list's freshness."""
    status, status_detail = _status(claims, pinned, status_list, today, max_status_age)
    if status is Verdict.REVOKED:
        return VerificationResult(status, claims, status_detail)
    if today < claims.valid_from:
        return VerificationResult(
            Verdict.NOT_YET_VALID,
            claims,
            f"Valide à partir du {written_date(claims.valid_from, 'fr')}. "
            f"/ Valid from {written_date(claims.valid_from, 'en')}.",
        )
    if today > claims.valid_until:
        return VerificationResult(
            Verdict.EXPIRED,
            claims,
            f"Expiré\u00a0: valable jusqu'au {written_date(claims.valid_until, 'fr')} inclus. "
            f"/ Expired: valid until {written_date(claims.valid_until, 'en')} included.",
        )
    return VerificationResult(status, claims, status_detail)


def _status(
    claims: SignedClaims,
    pinned: PinnedKeys,
    status_list: StatusSource,
    today: date,
    max_status_age: timedelta,
) -> tuple[Verdict, str]:
    """REVOKED, STATUS_UNKNOWN or VALID, from the status list, with the reason."""
    if status_list is None:
        return Verdict.STATUS_UNKNOWN, _NO_LIST
    if isinstance(status_list, RecordedStatus):
        if status_list.withdrawn:
            return Verdict.REVOKED, (
                "Révoqué ou remplacé selon les registres de l'émetteur. "
                "/ Revoked or superseded according to the issuer's records."
            )
        return Verdict.VALID, (
            "Signature vérifiée\u00a0; non révoqué selon les registres de l'émetteur. "
            "/ Signature verified; not revoked according to the issuer's records."
        )
    method = data_integrity.verification_method(status_list)
    try:
        key = pinned.by_key_id(method or "")
    except UnknownKey:
        return Verdict.STATUS_UNKNOWN, _UNVERIFIED_LIST
    list_signed_at = data_integrity.created(status_list)
    if (
        not data_integrity.verify(status_list, key.public_key)
        or key.issuer != claims.issuer
        or _issuer_id(status_list) != claims.issuer
        or list_signed_at is None
        or not key.signed_within(list_signed_at)
    ):
        return Verdict.STATUS_UNKNOWN, _UNVERIFIED_LIST
    if claims.status_list_url is not None and status_list.get("id") != claims.status_list_url:
        return Verdict.STATUS_UNKNOWN, _OTHER_LIST
    try:
        revoked = is_revoked(status_list, claims.status_index)
        published = parse_instant(status_list["validFrom"]).date()
        expires = parse_instant(status_list["validUntil"]).date()
    except (KeyError, TypeError, ValueError):
        return Verdict.STATUS_UNKNOWN, _UNREADABLE_LIST
    published_fr, published_en = written_date(published, "fr"), written_date(published, "en")
    if revoked:
        return Verdict.REVOKED, (
            f"Révoqué selon la liste de révocation du {published_fr}. "
            f"/ Revoked according to the status list of {published_en}."
        )
    if not published <= today <= expires or today - published > max_status_age:
        return Verdict.STATUS_UNKNOWN, (
            f"La liste de révocation du {published_fr} n'est plus à jour\u00a0: procurez-vous la "
            f"dernière. / The status list of {published_en} is stale: get the latest one."
        )
    return Verdict.VALID, (
        f"Signature vérifiée\u00a0; non révoqué selon la liste du {published_fr}. "
        f"/ Signature verified; not revoked according to the status list of {published_en}."
    )


def _not_issuer_key(issuer: str) -> str:
    """Why a pinned key does not vouch for a document naming another issuer."""
    return (
        f"La clé qui a signé n'est épinglée que pour {issuer}. "
        f"/ The signing key is pinned for {issuer} only."
    )
