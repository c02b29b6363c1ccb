"""Issuing certificates (one or a batch), revoking and reissuing them."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from certify.access.permissions import (
    Action,
    Actor,
    authorize_people,
    authorize_person,
    visible_scope,
)
from certify.errors import CertifyError, NotFound
from certify.model import Certificate, CertificateState, Person, Programme, Site
from certify.rules.dates import (
    CertificateStatus,
    certificate_status,
    renewal_completion,
    validity_period,
)
from certify.rules.eligibility import explain_many
from certify.rules.explanation import Explanation
from certify.rules.progress import progress
from certify.rules.scope import Scope
from certify.rules.wording import Wording
from certify.rules.written_dates import written_date
from certify.services.pseudonymisation import refuse_pseudonymised
from certify.services.serials import lock_year, take_serials
from certify.services.status_entries import draw_status_index, draw_status_indexes
from certify.store.audit import Change, record, record_all
from certify.views.certificate_records import find_certificate
from certify.views.labels import CERTIFICATE_STATES

#: Version of the snapshot's layout, for the renderers that read it back.
SNAPSHOT_VERSION = 1


class NotEligible(CertifyError):
    """The person does not meet every requirement, and no override was given."""

    def __init__(self, explanation: Explanation) -> None:
        """Say who, for what, and how many requirements are missing."""
        self.explanation = explanation
        who, code, day = explanation.person.name, explanation.programme.code, explanation.as_of
        missing, why = explanation.missing_count, f"certify why {explanation.person.email} {code}"
        words = Wording(
            f"{who} n'est pas éligible à {code} au {written_date(day, 'fr')}\u00a0: {missing} "
            f"exigence(s) manquante(s) (voir\u00a0: {why})",
            f"{who} is not eligible for {code} on {written_date(day, 'en')}: {missing} "
            f"requirement(s) missing (see: {why})",
        ).agreed(missing)
        super().__init__(words.fr, words.en)


class IssuedElsewhere(CertifyError):
    """A certificate issued outside certify, only recorded: never signed nor delivered here."""

    def __init__(self, serial: str) -> None:
        """Name the certificate and say what certify will not do with it."""
        super().__init__(
            f"le certificat {serial} a été délivré hors de certify et seulement enregistré\u00a0: "
            "certify ne le signe, ne le délivre ni ne le réédite",
            f"certificate {serial} was issued outside certify and only recorded: certify "
            "neither signs, delivers nor reissues it",
        )


def refuse_issued_elsewhere(certificate: Certificate) -> None:
    """Raise :class:`IssuedElsewhere` for a certificate an import recorded from elsewhere."""
    if certificate.issued_elsewhere:
        raise IssuedElsewhere(certificate.serial)


def _french(state: CertificateState) -> str:
    """A certificate state in French, inside a sentence."""
    return CERTIFICATE_STATES[state].fr.lower()


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


def _standing(
    session: Session, person_ids: Collection[int], programme_id: int
) -> dict[int, Certificate]:
    """Each person's latest standing certificate of the programme, locked until the end of
    the transaction (PostgreSQL), so that no revocation or reissue changes it meanwhile."""
    locked = session.scalars(
        select(Certificate)
        .where(
            Certificate.person_id.in_(sorted(person_ids)),
            Certificate.programme_id == programme_id,
            Certificate.state == CertificateState.ISSUED,
        )
        .order_by(Certificate.id)  # rows locked in one order by every issuer
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    rows = sorted(locked, key=lambda certificate: certificate.valid_until)
    return {certificate.person_id: certificate for certificate in rows}


def _issuer_name(session: Session, actor: Actor) -> str:
    """How the issuer is named on the certificate."""
    person = session.get(Person, actor.person_id) if actor.person_id else None
    return person.full_name if person else ""


def _snapshot(
    explanation: Explanation, issuer_name: str, override_reason: str | None
) -> dict[str, Any]:
    """The frozen evidence and names a certificate is rendered from, forever."""
    person = explanation.person
    return {
        "version": SNAPSHOT_VERSION,
        "holder": {"name": person.name},
        "site": {"code": person.site.code, "name": person.site.name},
        "issuer": issuer_name,
        "override_reason": override_reason,
        "explanation": explanation.to_dict(),
    }


def _holds(certificate: Certificate | None, programme: Programme, as_of: date) -> bool:
    """Whether a standing certificate makes a new one unnecessary on ``as_of``."""
    return certificate is not None and certificate_status(
        certificate.state,
        certificate.valid_from,
        certificate.valid_until,
        programme.recert_window_months,
        certificate.revoked_on,
        as_of,
    ) in (CertificateStatus.VALID, CertificateStatus.NOT_YET_VALID)


def issue_certificates(
    session: Session,
    actor: Actor,
    person_ids: Sequence[int],
    programme_id: int,
    as_of: date,
    override_reason: str | None = None,
) -> list[IssueResult]:
    """Issue the programme's certificate on ``as_of`` to each person who holds none standing.

    All or nothing: :class:`NotEligible` when anyone misses a requirement, unless a
    coordinator gives ``override_reason``. The year's serial counter is locked first, so
    concurrent issuers queue and each sees what the other committed. The work is
    set-based: a fixed number of queries whatever the number of people.
    """
    unique = list(dict.fromkeys(person_ids))  # a person listed twice gets one certificate
    authorize_people(session, actor, Action.ISSUE_CERTIFICATE, unique)
    refuse_pseudonymised(session, unique)
    lock_year(session, as_of.year)
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(f"aucun programme n° {programme_id}", f"no programme with id {programme_id}")
    standing = _standing(session, unique, programme_id)
    to_issue = [p for p in unique if not _holds(standing.get(p), programme, as_of)]
    explanations = explain_many(session, to_issue, programme_id, as_of)
    if unknown := [p for p in to_issue if p not in explanations]:
        raise NotFound(f"aucune personne n° {unknown[0]}", f"no person with id {unknown[0]}")
    reason = (override_reason or "").strip() or None
    if refused := [explanations[p] for p in to_issue if not explanations[p].eligible]:
        if reason is None:
            raise NotEligible(refused[0])
        authorize_people(
            session, actor, Action.OVERRIDE_ELIGIBILITY, [e.person.id for e in refused]
        )
    serials = iter(take_serials(session, as_of.year, len(to_issue)))
    status_indexes = iter(draw_status_indexes(session, len(to_issue)))
    issuer = _issuer_name(session, actor)
    issued: dict[int, Certificate] = {}
    changes = []
    for person_id in to_issue:
        explanation = explanations[person_id]
        previous = standing.get(person_id)
        previous_until = previous.valid_until if previous is not None else None
        completed_on = explanation.completed_on or as_of
        period = validity_period(
            programme.validity_months,
            programme.recert_window_months,
            renewal_completion(completed_on, previous_until, programme.recert_window_months),
            previous_until,
        )
        overridden = reason if not explanation.eligible else None
        certificate = issued[person_id] = Certificate(
            serial=next(serials),
            status_index=next(status_indexes),
            person_id=person_id,
            programme_id=programme_id,
            issued_on=as_of,
            valid_from=period.valid_from,
            valid_until=period.valid_until,
            issued_by_id=actor.person_id,
            override_reason=overridden,
            snapshot=_snapshot(explanation, issuer, overridden)
            | {"validity": {"kind": period.kind.value, "base_date": period.base_date.isoformat()}},
        )
        changes.append(
            Change(
                "certificate.overridden" if overridden else "certificate.issued",
                "certificate",
                certificate.serial,
                after={
                    "person_id": person_id,
                    "programme": programme.code,
                    "valid_from": period.valid_from,
                    "valid_until": period.valid_until,
                    "basis": period.kind.value,
                },
                extra={"reason": overridden} if overridden else None,
            )
        )
    session.add_all(issued.values())
    session.flush()
    record_all(session, actor.person_id, changes)
    return [
        IssueResult(Outcome.ISSUED, issued[p])
        if p in issued
        else IssueResult(Outcome.ALREADY_HELD, standing[p])
        for p in person_ids
    ]


def issue_certificate(
    session: Session,
    actor: Actor,
    person_id: int,
    programme_id: int,
    as_of: date,
    override_reason: str | None = None,
) -> IssueResult:
    """:func:`issue_certificates` for one person."""
    [result] = issue_certificates(session, actor, [person_id], programme_id, as_of, override_reason)
    return result


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


#: People issued to per step of a batch (progress is reported after each step).
BATCH_STEP = 250


def issue_batch(
    session: Session,
    actor: Actor,
    programme_id: int,
    person_ids: list[int],
    as_of: date,
    on_progress: Callable[[int, int], None] | None = None,
) -> BatchReport:
    """Issue to each person (once, if listed twice) in the caller's transaction; a re-run
    skips those who hold one."""
    person_ids = list(dict.fromkeys(person_ids))
    results: list[IssueResult] = []
    for start in range(0, len(person_ids), BATCH_STEP):
        step = person_ids[start : start + BATCH_STEP]
        results += issue_certificates(session, actor, step, programme_id, as_of)
        if on_progress is not None:
            on_progress(len(results), len(person_ids))
    issued = [r.certificate.serial for r in results if r.outcome is Outcome.ISSUED]
    return BatchReport(issued, len(results) - len(issued))


def _not_standing(certificate: Certificate, state: CertificateState) -> CertifyError:
    """The refusal to change a certificate that is no longer standing."""
    return CertifyError(
        f"le certificat {certificate.serial} est déjà {_french(state)}\u00a0: "
        "seul un certificat en vigueur peut l'être",
        f"certificate {certificate.serial} is already {state}: only a standing one can be",
    )


def _locked(session: Session, serial: str) -> Certificate:
    """The certificate with this serial, read afresh and its row locked until the transaction
    ends (``FOR UPDATE`` on PostgreSQL; SQLite writers already queue), so that of two
    concurrent changes the second sees what the first did."""
    found = find_certificate(session, serial)
    return session.execute(
        select(Certificate)
        .where(Certificate.id == found.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _leave_issued(
    session: Session, certificate: Certificate, state: CertificateState, **values: Any
) -> None:
    """Move a standing certificate to ``state`` only if it is still issued (checked by the
    database itself), else refuse: exactly one of concurrent changes wins."""
    if certificate.state is not CertificateState.ISSUED:
        raise _not_standing(certificate, certificate.state)
    changed = session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.state == CertificateState.ISSUED)
        .values(state=state, **values)
        .returning(Certificate.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    session.refresh(certificate)
    if changed is None:
        raise _not_standing(certificate, certificate.state)


def revoke_certificate(
    session: Session, actor: Actor, serial: str, revoked_on: date, reason: str
) -> Certificate:
    """Revoke a standing certificate from ``revoked_on``, with the reason recorded."""
    certificate = _locked(session, serial)
    authorize_person(session, actor, Action.REVOKE_CERTIFICATE, certificate.person_id)
    if not reason.strip():
        raise CertifyError("une révocation doit être motivée", "a revocation needs a reason")
    _leave_issued(
        session,
        certificate,
        CertificateState.REVOKED,
        revoked_on=revoked_on,
        revocation_reason=reason.strip(),
    )
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
            subject_id=certificate.person_id,
        ),
    )
    return certificate


def reissue_certificate(
    session: Session, actor: Actor, serial: str, reason: str, as_of: date
) -> Certificate:
    """Replace a standing certificate by one with today's names and the same evidence and dates.

    The old certificate becomes superseded; the new one names it (lineage).
    """
    lock_year(session, as_of.year)  # the counter first, then the certificate, as issuing does
    old = _locked(session, serial)
    authorize_person(session, actor, Action.REISSUE_CERTIFICATE, old.person_id)
    refuse_issued_elsewhere(old)
    refuse_pseudonymised(session, [old.person_id])
    if not reason.strip():
        raise CertifyError("une réédition doit être motivée", "a reissue needs a reason")
    person = session.get(Person, old.person_id)
    assert person is not None
    site = session.get(Site, person.site_id)
    assert site is not None
    snapshot = old.snapshot | {
        "holder": {"name": person.full_name},
        "site": {"code": site.code, "name": site.name},
        "issuer": _issuer_name(session, actor),
        "reissue_reason": reason.strip(),
    }
    _leave_issued(session, old, CertificateState.SUPERSEDED)
    [new_serial] = take_serials(session, as_of.year, 1)
    new = Certificate(
        serial=new_serial,
        status_index=draw_status_index(session),
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
            subject_id=new.person_id,
        ),
    )
    return new
