"""Certificates held: whether a person holds a programme on a date, and since when.

A certificate **stands** on a day when it is issued, or revoked with effect after that
day; a superseded certificate never stands (its reissue does). The person holds the
programme on a day when a standing certificate covers it (``valid_from`` ≤ day ≤
``valid_until``).

Time held is measured from the start of the **unbroken chain** of standing certificates,
not from the current certificate's ``valid_from``: taken by ``valid_from``, a certificate
that starts on or before the latest ``valid_until`` so far continues the chain (an
on-time renewal starts inside its predecessor); one that starts later — a late renewal,
even by one day — starts a new chain. Renewing on time never resets the time held, a
lapse does, just as it restarts the anniversary (see :mod:`certify.rules.dates`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from itertools import groupby
from typing import Protocol, cast

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from certify.model import Certificate, CertificateState
from certify.rules.evidence import CertificateEvidence


def stands_on(as_of: date | ColumnElement[date]) -> ColumnElement[bool]:
    """SQL: the certificate stands on ``as_of`` and started on or before it."""
    return and_(
        Certificate.valid_from <= as_of,
        or_(
            Certificate.state == CertificateState.ISSUED,
            and_(Certificate.state == CertificateState.REVOKED, Certificate.revoked_on > as_of),
        ),
    )


class CertificateDates(Protocol):
    """What the chain rule reads of a certificate."""

    #: The certificate's id.
    id: int
    #: Its serial.
    serial: str
    #: First valid day.
    valid_from: date
    #: Last valid day.
    valid_until: date


def chain(certificates: Sequence[CertificateDates]) -> CertificateEvidence:
    """The certificate ending last, with the start of the unbroken chain ending with it.

    ``certificates`` are one person's standing certificates of one programme.
    """
    held_since: date | None = None
    reach: date | None = None
    for certificate in sorted(certificates, key=lambda c: (c.valid_from, c.id)):
        if reach is None or certificate.valid_from > reach:
            held_since = certificate.valid_from
        reach = certificate.valid_until if reach is None else max(reach, certificate.valid_until)
    last = max(certificates, key=lambda c: (c.valid_until, c.id))
    assert held_since is not None
    return CertificateEvidence(
        certificate_id=last.id,
        serial=last.serial,
        valid_from=last.valid_from,
        valid_until=last.valid_until,
        held_since=held_since,
    )


def holdings(
    session: Session, person_ids: Collection[int], programme_ids: Collection[int], as_of: date
) -> dict[tuple[int, int], CertificateEvidence]:
    """(person, programme) → the standing certificate ending last and its chain's start.

    A pair missing from the result has no standing certificate started by ``as_of``; one
    present is held on ``as_of`` when its ``valid_until`` is on or after it.
    """
    rows = session.execute(
        select(
            Certificate.person_id,
            Certificate.programme_id,
            Certificate.id,
            Certificate.serial,
            Certificate.valid_from,
            Certificate.valid_until,
        )
        .where(
            Certificate.person_id.in_(sorted(person_ids)),
            Certificate.programme_id.in_(sorted(programme_ids)),
            stands_on(as_of),
        )
        .order_by(Certificate.person_id, Certificate.programme_id)
    ).all()
    # A Row's columns are read by name through ``__getattr__``, which no protocol matches.
    return {
        key: chain(cast(list[CertificateDates], list(group)))
        for key, group in groupby(rows, key=lambda row: (row.person_id, row.programme_id))
    }
