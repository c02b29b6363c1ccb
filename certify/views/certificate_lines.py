"""A person's certificates with their status on a day and their lineage, newest first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, aliased

from certify.access.narrowing import own_person_id
from certify.access.permissions import Actor
from certify.model import Certificate, CertificateState, Programme
from certify.rules.dates import CertificateStatus, certificate_status
from certify.rules.explanation import ProgrammeRef
from certify.rules.progress import People


@dataclass(frozen=True)
class CertificateLine:
    """One certificate of a person."""

    #: The certificate's id.
    id: int
    #: Its serial (``CDM-2026-000123``).
    serial: str
    #: The programme certified.
    programme: ProgrammeRef
    #: Day of issue.
    issued_on: date
    #: First valid day.
    valid_from: date
    #: Last valid day.
    valid_until: date
    #: Issued, revoked or superseded.
    state: CertificateState
    #: Valid, in window, expired, revoked, superseded or not yet valid, on the day asked.
    status: CertificateStatus
    #: Serial of the certificate this one replaced (a reissue), if any.
    supersedes: str | None
    #: Serial of the certificate that replaced this one, if any.
    superseded_by: str | None
    #: Effective date of a revocation.
    revoked_on: date | None
    #: Why it was revoked.
    revocation_reason: str | None


def person_certificates(session: Session, person_id: int, as_of: date) -> list[CertificateLine]:
    """Every certificate of one person, newest first, in one query (no permission check)."""
    return list(people_certificates(session, [person_id], as_of).get(person_id, ()))


def people_certificates(
    session: Session, people: People, as_of: date
) -> dict[int, tuple[CertificateLine, ...]]:
    """Every certificate of each of ``people`` (ids, or a query of them), newest first, by
    person, in one query (no permission check)."""
    replaced, replacement = aliased(Certificate), aliased(Certificate)
    rows = session.execute(
        select(
            Certificate.person_id,
            Certificate.id,
            Certificate.serial,
            Programme.id.label("programme_id"),
            Programme.code,
            Programme.title_fr,
            Programme.title_en,
            Programme.recert_window_months,
            Certificate.issued_on,
            Certificate.valid_from,
            Certificate.valid_until,
            Certificate.state,
            Certificate.revoked_on,
            Certificate.revocation_reason,
            replaced.serial.label("supersedes"),
            replacement.serial.label("superseded_by"),
        )
        .join(Programme, Programme.id == Certificate.programme_id)
        .outerjoin(replaced, replaced.id == Certificate.supersedes_id)
        .outerjoin(replacement, replacement.supersedes_id == Certificate.id)
        .where(Certificate.person_id.in_(people))
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    )
    found: dict[int, list[CertificateLine]] = defaultdict(list)
    for row in rows:
        found[row.person_id].append(_line(row, as_of))
    return {person_id: tuple(lines) for person_id, lines in found.items()}


def _line(row: Row[*tuple[Any, ...]], as_of: date) -> CertificateLine:
    """A certificate read by :func:`people_certificates`, with its status on ``as_of``."""
    return CertificateLine(
        id=row.id,
        serial=row.serial,
        programme=ProgrammeRef(row.programme_id, row.code, row.title_fr, row.title_en),
        issued_on=row.issued_on,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        state=row.state,
        status=certificate_status(
            row.state,
            row.valid_from,
            row.valid_until,
            row.recert_window_months,
            row.revoked_on,
            as_of,
        ),
        supersedes=row.supersedes,
        superseded_by=row.superseded_by,
        revoked_on=row.revoked_on,
        revocation_reason=row.revocation_reason,
    )


def my_certificates(session: Session, actor: Actor, as_of: date) -> list[CertificateLine]:
    """The signed-in staff member's own certificates."""
    return person_certificates(session, own_person_id(actor), as_of)
