"""Issuing certificates (one or a batch), revoking and reissuing them."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.audit import Change, record
from certify.errors import CertifyError, NotFound
from certify.model import Certificate, CertificateState, Person, Programme, Site
from certify.permissions import Action, Actor, authorize_person, visible_scope
from certify.rules.dates import (
    CertificateStatus,
    certificate_status,
    renewal_completion,
    validity_period,
)
from certify.rules.eligibility import explain
from certify.rules.explanation import Explanation
from certify.rules.progress import progress
from certify.scope import Scope
from certify.serials import lock_year, take_serials

#: Version of the snapshot's layout, for the renderers that read it back.
SNAPSHOT_VERSION = 1


class NotEligible(CertifyError):
    """The person does not meet every requirement, and no override was given."""

    def __init__(self, explanation: Explanation) -> None:
        """Say who, for what, and how many requirements are missing."""
        self.explanation = explanation
        super().__init__(
            f"{explanation.person.name} is not eligible for {explanation.programme.code} "
            f"on {explanation.as_of.isoformat()}: {explanation.missing_count} requirement(s) "
            f"missing (see: certify why {explanation.person.email} "
            f"{explanation.programme.code})"
        )


class Outcome(enum.StrEnum):
    """What an issuance request did."""

    ISSUED = "issued"
    ALREADY_HELD = "already_held"


@dataclass(frozen=True)
class IssueResult:
    """The certificate issued, or the one already held."""

    #: Whether a certificate was issued.
    outcome: Outcome
    #: The new certificate, or the one that made issuing unnecessary.
    certificate: Certificate


def _current(session: Session, person_id: int, programme_id: int) -> Certificate | None:
    """The person's latest standing certificate of the programme."""
    return session.scalars(
        select(Certificate)
        .where(
            Certificate.person_id == person_id,
            Certificate.programme_id == programme_id,
            Certificate.state == CertificateState.ISSUED,
        )
        .order_by(Certificate.valid_until.desc())
        .limit(1)
    ).first()


def _issuer_name(session: Session, actor: Actor) -> str:
    """How the issuer is named on the certificate."""
    person = session.get(Person, actor.person_id) if actor.person_id else None
    return person.full_name if person else ""


def _snapshot(
    session: Session,
    person: Person,
    explanation: Explanation,
    issuer_name: str,
    override_reason: str | None,
) -> dict[str, Any]:
    """The frozen evidence and names a certificate is rendered from, forever."""
    site = session.get(Site, person.site_id)
    assert site is not None
    return {
        "version": SNAPSHOT_VERSION,
        "holder": {"name": person.full_name, "email": person.email},
        "site": {"code": site.code, "name": site.name},
        "issuer": issuer_name,
        "override_reason": override_reason,
        "explanation": explanation.to_dict(),
    }


def issue_certificate(
    session: Session,
    actor: Actor,
    person_id: int,
    programme_id: int,
    as_of: date,
    override_reason: str | None = None,
) -> IssueResult:
    """Issue the programme's certificate to a person on ``as_of``, if they have none standing.

    Refused (:class:`NotEligible`) when a requirement is missing, unless a coordinator
    gives ``override_reason``. The year's serial counter is locked first, so concurrent
    issuers queue and each sees what the other committed.
    """
    authorize_person(session, actor, Action.ISSUE_CERTIFICATE, person_id)
    lock_year(session, as_of.year)
    programme = session.get(Programme, programme_id)
    person = session.get(Person, person_id)
    if programme is None or person is None:
        raise NotFound(f"no programme {programme_id} or no person {person_id}")
    current = _current(session, person_id, programme_id)
    if current is not None and certificate_status(
        current.state,
        current.valid_from,
        current.valid_until,
        programme.recert_window_months,
        current.revoked_on,
        as_of,
    ) in (CertificateStatus.VALID, CertificateStatus.NOT_YET_VALID):
        return IssueResult(Outcome.ALREADY_HELD, current)
    explanation = explain(session, person_id, programme_id, as_of)
    reason = (override_reason or "").strip() or None
    if explanation.eligible:
        completed_on = explanation.completed_on or as_of
    elif reason is not None:
        authorize_person(session, actor, Action.OVERRIDE_ELIGIBILITY, person_id)
        completed_on = as_of
    else:
        raise NotEligible(explanation)
    previous_until = current.valid_until if current is not None else None
    period = validity_period(
        programme.validity_months,
        programme.recert_window_months,
        renewal_completion(completed_on, previous_until, programme.recert_window_months),
        previous_until,
    )
    [serial] = take_serials(session, as_of.year, 1)
    certificate = Certificate(
        serial=serial,
        person_id=person_id,
        programme_id=programme_id,
        issued_on=as_of,
        valid_from=period.valid_from,
        valid_until=period.valid_until,
        issued_by_id=actor.person_id,
        override_reason=reason,
        snapshot=_snapshot(session, person, explanation, _issuer_name(session, actor), reason)
        | {"validity": {"kind": period.kind.value, "base_date": period.base_date.isoformat()}},
    )
    session.add(certificate)
    session.flush()
    record(
        session,
        actor.person_id,
        Change(
            "certificate.overridden" if reason else "certificate.issued",
            "certificate",
            serial,
            after={
                "person_id": person_id,
                "programme": programme.code,
                "valid_from": period.valid_from,
                "valid_until": period.valid_until,
                "basis": period.kind.value,
            },
            extra={"reason": reason} if reason else None,
        ),
    )
    return IssueResult(Outcome.ISSUED, certificate)


@dataclass(frozen=True)
class BatchReport:
    """What a batch issuance did."""

    #: Serials of the certificates issued, in order.
    issued: list[str]
    #: How many candidates already held a standing certificate.
    already_held: int


def batch_candidates(
    session: Session, actor: Actor, programme_id: int, scope: Scope, as_of: date
) -> list[int]:
    """People of ``scope`` (within the actor's own) eligible and without a standing certificate."""
    visible_scope(actor)
    rows = progress(session, as_of, scope, programme_ids=[programme_id])
    return sorted(row.person_id for row in rows if row.issuable)


def issue_batch(
    session: Session,
    actor: Actor,
    programme_id: int,
    person_ids: list[int],
    as_of: date,
    on_progress: Callable[[int, int], None] | None = None,
) -> BatchReport:
    """Issue to each person in one transaction; a re-run after an interruption skips holders."""
    issued: list[str] = []
    held = 0
    for done, person_id in enumerate(person_ids, start=1):
        result = issue_certificate(session, actor, person_id, programme_id, as_of)
        if result.outcome is Outcome.ISSUED:
            issued.append(result.certificate.serial)
        else:
            held += 1
        if on_progress is not None:
            on_progress(done, len(person_ids))
    return BatchReport(issued, held)


def find_certificate(session: Session, serial: str) -> Certificate:
    """The certificate with this serial, or NotFound."""
    certificate = session.scalar(
        select(Certificate).where(Certificate.serial == serial.strip().upper())
    )
    if certificate is None:
        raise NotFound(f"no certificate with serial {serial!r}")
    return certificate


def revoke_certificate(
    session: Session, actor: Actor, serial: str, revoked_on: date, reason: str
) -> Certificate:
    """Revoke a standing certificate from ``revoked_on``, with the reason recorded."""
    certificate = find_certificate(session, serial)
    authorize_person(session, actor, Action.REVOKE_CERTIFICATE, certificate.person_id)
    if not reason.strip():
        raise CertifyError("a revocation needs a reason")
    if certificate.state is not CertificateState.ISSUED:
        raise CertifyError(f"certificate {certificate.serial} is already {certificate.state}")
    certificate.state = CertificateState.REVOKED
    certificate.revoked_on = revoked_on
    certificate.revocation_reason = reason.strip()
    session.flush()
    record(
        session,
        actor.person_id,
        Change(
            "certificate.revoked",
            "certificate",
            certificate.serial,
            before={"state": CertificateState.ISSUED},
            after={"state": CertificateState.REVOKED, "revoked_on": revoked_on},
            extra={"reason": certificate.revocation_reason},
        ),
    )
    return certificate


def reissue_certificate(
    session: Session, actor: Actor, serial: str, reason: str, as_of: date
) -> Certificate:
    """Replace a standing certificate by one with today's names and the same evidence and dates.

    The old certificate becomes superseded; the new one names it (lineage).
    """
    old = find_certificate(session, serial)
    authorize_person(session, actor, Action.REISSUE_CERTIFICATE, old.person_id)
    if not reason.strip():
        raise CertifyError("a reissue needs a reason")
    if old.state is not CertificateState.ISSUED:
        raise CertifyError(f"certificate {old.serial} is {old.state}: only a standing one")
    lock_year(session, as_of.year)
    person = session.get(Person, old.person_id)
    assert person is not None
    explanation = Explanation.from_dict(old.snapshot["explanation"])
    snapshot = _snapshot(
        session, person, explanation, _issuer_name(session, actor), old.override_reason
    ) | {"validity": old.snapshot.get("validity"), "reissue_reason": reason.strip()}
    old.state = CertificateState.SUPERSEDED
    session.flush()
    [new_serial] = take_serials(session, as_of.year, 1)
    new = Certificate(
        serial=new_serial,
        person_id=old.person_id,
        programme_id=old.programme_id,
        issued_on=as_of,
        valid_from=old.valid_from,
        valid_until=old.valid_until,
        issued_by_id=actor.person_id,
        override_reason=old.override_reason,
        supersedes_id=old.id,
        snapshot=snapshot,
    )
    session.add(new)
    session.flush()
    record(
        session,
        actor.person_id,
        Change(
            "certificate.reissued",
            "certificate",
            new_serial,
            before={"serial": old.serial, "holder": old.snapshot["holder"]},
            after={"serial": new_serial, "holder": snapshot["holder"]},
            extra={"reason": reason.strip()},
        ),
    )
    return new
