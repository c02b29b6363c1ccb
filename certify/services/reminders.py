"""Expiry reminders: a person's choice, and ``certify remind``'s run (plan, send, record).

The rule of what is due is :mod:`certify.rules.reminders`; what is read,
:mod:`certify.views.reminders_due`. A reminder is recorded (and audited) only once the
server accepted its message: a refusal or a server down marks nothing, and the next run
sends it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, authorize_admin, authorize_person
from certify.errors import CertifyError
from certify.model import ExpiryReminder, Person, RecipientKind, utcnow
from certify.rules.reminder_messages import (
    NETWORK_LANG,
    Message,
    ReminderItem,
    digest_message,
    holder_message,
)
from certify.rules.reminders import Due, due
from certify.store.audit import Change, record
from certify.store.db import Database
from certify.views.reminders_due import Recipient, candidates, coordinators_of


def set_reminders(session: Session, actor: Actor, person_id: int, *, on: bool) -> bool:
    """Turn a person's expiry reminders on or off (the person, an admin or a coordinator of
    theirs); returns whether anything changed."""
    authorize_person(session, actor, Action.SET_REMINDERS, person_id)
    person = session.get(Person, person_id)
    if person is None:
        raise CertifyError(
            f"aucun membre du personnel n° {person_id}", f"no staff member with id {person_id}"
        )
    if person.reminders_off == (not on):
        return False
    person.reminders_off = not on
    record(
        session,
        actor.person_id,
        Change(
            "person.reminders_changed",
            "person",
            person_id,
            before={"reminders_off": on},
            after={"reminders_off": not on},
        ),
    )
    return True


@dataclass(frozen=True)
class Outgoing:
    """One e-mail to send, and the reminders it carries."""

    #: Whom to.
    recipient: Recipient
    #: The holder or a coordinator (a digest).
    kind: RecipientKind
    #: The message.
    message: Message
    #: The certificates it is about, each with what is due for it.
    items: tuple[tuple[ReminderItem, Due], ...]


@dataclass
class Plan:
    """What one run sends."""

    #: E-mails to holders, then the coordinators' digests.
    outgoing: list[Outgoing] = field(default_factory=list)
    #: Each certificate of a digest: the coordinators whose digest lists it.
    digested: dict[int, list[int]] = field(default_factory=dict)


def plan_reminders(session: Session, as_of: date, thresholds: Sequence[int]) -> Plan:
    """The reminders due on ``as_of``: one e-mail per certificate to its holder (unless they
    opted out), one digest per coordinator listing their people due."""
    plan = Plan()
    found = candidates(session, as_of, thresholds)
    coordinators = coordinators_of(session, {c.site_id for c in found}, as_of)
    digests: dict[int, list[tuple[ReminderItem, Due]]] = defaultdict(list)
    people: dict[int, Recipient] = {}
    for candidate in found:
        item = candidate.item
        recorded = candidate.recorded
        to_holder = due(item.days_left, thresholds, recorded.get(RecipientKind.HOLDER, ()))
        if to_holder is not None and not item.reminders_off:
            message = holder_message(item, candidate.holder.given_name, candidate.holder.lang)
            plan.outgoing.append(
                Outgoing(candidate.holder, RecipientKind.HOLDER, message, ((item, to_holder),))
            )
        to_coordinators = due(
            item.days_left, thresholds, recorded.get(RecipientKind.COORDINATORS, ())
        )
        if to_coordinators is None:
            continue
        readers = [
            c for c in coordinators.get(candidate.site_id, []) if c.person_id != item.holder_id
        ]
        if readers:
            plan.digested[item.certificate_id] = [c.person_id for c in readers]
        for coordinator in readers:
            people[coordinator.person_id] = coordinator
            digests[coordinator.person_id].append((item, to_coordinators))
    for person_id, entries in sorted(digests.items()):
        coordinator = people[person_id]
        message = digest_message(
            [item for item, _ in entries], coordinator.given_name, NETWORK_LANG
        )
        plan.outgoing.append(
            Outgoing(coordinator, RecipientKind.COORDINATORS, message, tuple(entries))
        )
    return plan


@dataclass(frozen=True)
class Failure:
    """A message the server did not take."""

    #: The e-mail.
    outgoing: Outgoing
    #: The server's refusal.
    reason: str


@dataclass
class RunReport:
    """What a run sent and what failed."""

    #: E-mails the server accepted (each recorded and audited).
    sent: list[Outgoing] = field(default_factory=list)
    #: E-mails refused.
    failed: list[Failure] = field(default_factory=list)


def _rows(
    item: ReminderItem, what: Due, kind: RecipientKind, recipient_id: int | None
) -> list[dict[str, object]]:
    """The reminder rows of one certificate: its threshold sent, those passed over."""
    now = utcnow()
    return [
        {
            "certificate_id": item.certificate_id,
            "threshold_days": threshold,
            "recipient_kind": kind,
            "recipient_id": recipient_id,
            "sent_at": now,
            "skipped": threshold != what.threshold,
        }
        for threshold in (what.threshold, *what.passed_over)
    ]


def _audit(session: Session, actor: Actor, outgoing: Outgoing) -> None:
    """Audit one e-mail sent: whom (an id), which certificates (ids) and thresholds."""
    record(
        session,
        actor.person_id,
        Change(
            "reminder.sent",
            "person",
            outgoing.recipient.person_id,
            extra={
                "recipient_kind": outgoing.kind.value,
                "reminders": [
                    {
                        "certificate_id": item.certificate_id,
                        "threshold_days": what.threshold,
                        "passed_over": list(what.passed_over),
                    }
                    for item, what in outgoing.items
                ],
            },
        ),
    )


def _record_sent(
    session: Session, actor: Actor, outgoing: Outgoing, digest_complete: Collection[int]
) -> None:
    """Record an e-mail the server accepted (a holder's reminder at once; of a digest, the
    certificates of ``digest_complete``: every digest listing them was accepted, and none
    recorded them yet) and audit it."""
    rows: list[dict[str, object]] = []
    for item, what in outgoing.items:
        if outgoing.kind is RecipientKind.HOLDER:
            rows += _rows(item, what, outgoing.kind, outgoing.recipient.person_id)
        elif item.certificate_id in digest_complete:
            rows += _rows(item, what, outgoing.kind, None)
    if rows:
        session.execute(insert(ExpiryReminder), rows)
    _audit(session, actor, outgoing)


#: Sends one message to an address: ``None`` when accepted, else the server's refusal.
Send = Callable[[str, Message], "str | None"]


def send_reminders(database: Database, actor: Actor, plan: Plan, send: Send) -> RunReport:
    """Send ``plan`` with ``send``; each e-mail accepted is recorded and audited in its own
    transaction, so a later failure (or a crash) never undoes what was sent."""
    authorize_admin(actor, Action.SEND_REMINDERS)
    report = RunReport()
    digests_ok: dict[int, set[int]] = defaultdict(set)  # certificate → coordinators reached
    accepted_digests: list[Outgoing] = []
    for outgoing in plan.outgoing:
        refusal = send(outgoing.recipient.email, outgoing.message)
        if refusal is not None:
            report.failed.append(Failure(outgoing, refusal))
            continue
        report.sent.append(outgoing)
        if outgoing.kind is RecipientKind.HOLDER:
            with database.transaction() as session:
                _record_sent(session, actor, outgoing, ())
        else:
            accepted_digests.append(outgoing)
            for item, _ in outgoing.items:
                digests_ok[item.certificate_id].add(outgoing.recipient.person_id)
    complete = {
        certificate_id
        for certificate_id, readers in plan.digested.items()
        if set(readers) <= digests_ok[certificate_id]
    }
    for outgoing in accepted_digests:  # each certificate marked with the first digest
        with database.transaction() as session:
            _record_sent(session, actor, outgoing, complete)
        complete -= {item.certificate_id for item, _ in outgoing.items}
    return report
