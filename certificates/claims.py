"""What a verified credential or QR token states: the signed fields a verifier prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class SignedClaims:
    """The signed fields of one certificate, read back from its credential or its token."""

    #: Network-wide serial, e.g. ``CDM-2026-000123``.
    serial: str
    #: The holder's name as signed.
    holder_name: str
    #: Programme code, e.g. ``CERT-ACC``.
    programme_code: str
    #: Programme title in French (``None`` from a token, which is too small to carry it).
    programme_title: str | None
    #: Day of issue.
    issued_on: date
    #: First day of validity.
    valid_from: date
    #: Last day of validity.
    valid_until: date
    #: Position of the certificate in the revocation status list.
    status_index: int
    #: URL of that status list (``None`` from a token).
    status_list_url: str | None
    #: Id (URL) of the issuer, as pinned with the key.
    issuer: str
    #: Id of the pinned key that signed.
    key_id: str
    #: When it was signed: the proofs' ``created``, the token's ``iat``.
    signed_at: datetime
    #: Made before proof sets and JWT claims (its signing moment is its day of issue's start).
    legacy: bool = False
    #: Codes of the competencies certified, in the printed order, from a token that names
    #: them (``None`` from a credential, which lists them in its criteria, or an older token).
    competency_codes: tuple[str, ...] | None = None
