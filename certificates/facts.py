"""What a certificate states: the facts the PDF, the credential and the QR token carry.

Built from a certificate's frozen snapshot only, so that every rendering is identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CertifiedCompetency:
    """A competency the certificate attests, with the level reached."""

    #: Competency code, e.g. ``ETH-01``.
    code: str
    #: French label.
    label_fr: str
    #: English label.
    label_en: str
    #: Level reached on the framework's scale.
    level: int
    #: French label of that level (« Acquis »).
    level_label_fr: str
    #: English label of that level.
    level_label_en: str


@dataclass(frozen=True)
class CertificateFacts:
    """Everything printed on and signed into one certificate."""

    #: Network-wide serial, e.g. ``CDM-2026-000123``.
    serial: str
    #: The holder's name as written on the day of issue.
    holder_name: str
    #: Programme code, e.g. ``CERT-ACC``.
    programme_code: str
    #: Programme title in French.
    programme_title_fr: str
    #: Programme title in English.
    programme_title_en: str
    #: The competencies certified, in display order.
    competencies: tuple[CertifiedCompetency, ...]
    #: The holder's site name.
    site_name: str
    #: Day of issue.
    issued_on: date
    #: First day of validity.
    valid_from: date
    #: Last day of validity.
    valid_until: date
    #: Name of the coordinator who issued it (empty for imported certificates).
    issuer_name: str
    #: Position of the certificate in the revocation status list.
    status_index: int
