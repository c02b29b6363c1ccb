"""Each certificate replayed from its audit events, against what its row holds.

A write that goes round the services changes a row without an event: a certificate
revoked, restored or extended in the database alone, or inserted there, no longer
agrees with its history. The events replayed are those :mod:`certify.services.issuance`
and the imports (:mod:`certify.exchange.apply`) record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.model import AuditEvent, Certificate, CertificateState
from certify.rules.wording import Wording, french_day
from certify.views.labels import CERTIFICATE_STATES

#: Events that bring a certificate into being, with the validity in ``after``.
ISSUING = frozenset({"certificate.issued", "certificate.overridden", "certificate.imported"})


@dataclass(frozen=True)
class Facts:
    """What a certificate's row holds, or what its history says it should."""

    #: ``issued``, ``revoked`` or ``superseded``.
    state: str
    #: First day of validity.
    valid_from: date
    #: Last day of validity.
    valid_until: date

    def describe(self, where: Wording, dates: bool) -> Wording:
        """Its state (and validity, with ``dates``) according to ``where``."""
        label = _state(self.state)
        fr, en = f"{label.fr.lower()} {where.fr}", f"{label.en.lower()} {where.en}"
        if dates:
            fr += f", valable du {french_day(self.valid_from)} au {french_day(self.valid_until)}"
            en += f", valid {self.valid_from} to {self.valid_until}"
        return Wording(fr, en)


#: Where the facts come from.
BY_ROW = Wording("selon sa ligne", "by its row")
BY_HISTORY = Wording("selon son historique", "by its history")


@dataclass(frozen=True)
class Disagreement:
    """A certificate whose row and history differ."""

    #: Its serial.
    serial: str
    #: What its row holds (``None``: no row has this serial).
    recorded: Facts | None
    #: What its events say (``None``: no issuing event).
    replayed: Facts | None

    def describe(self) -> Wording:
        """One line saying what differs."""
        serial, row, history = self.serial, self.recorded, self.replayed
        if row is None:
            return Wording(
                f"{serial}\u00a0: son historique le nomme, "
                "mais aucun certificat ne porte ce numéro",
                f"{serial}: its history names it, but no certificate has this serial",
            )
        if history is None:
            state = _state(row.state)
            return Wording(
                f"{serial}\u00a0: aucun événement ne l'a délivré ({state.fr.lower()})",
                f"{serial}: no event issued it ({state.en.lower()})",
            )
        dates = (row.valid_from, row.valid_until) != (history.valid_from, history.valid_until)
        said, told = row.describe(BY_ROW, dates), history.describe(BY_HISTORY, dates)
        return Wording(f"{serial}\u00a0: {said.fr}, {told.fr}", f"{serial}: {said.en}, {told.en}")


def _state(value: str) -> Wording:
    """A state's label (a state certify does not know is shown as it is)."""
    try:
        return CERTIFICATE_STATES[CertificateState(value)]
    except ValueError:
        return Wording(value, value)


def _day(value: Any) -> date | None:
    """An ISO day from an event, ``None`` when it is not one."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _issued(after: Mapping[str, Any]) -> Facts | None:
    """The facts an issuing event gives (``None`` when its validity is missing)."""
    valid_from, valid_until = _day(after.get("valid_from")), _day(after.get("valid_until"))
    if valid_from is None or valid_until is None:
        return None
    return Facts(str(after.get("state", CertificateState.ISSUED.value)), valid_from, valid_until)


def _replay(history: dict[str, Facts], action: str, key: str, details: Mapping[str, Any]) -> None:
    """Apply one certificate event to the history of every certificate so far."""
    after = details.get("after") or {}
    known = history.get(key)
    if action in ISSUING:
        if (facts := _issued(after)) is not None:
            history[key] = facts
    elif action == "certificate.revoked" and known is not None:
        history[key] = replace(known, state=CertificateState.REVOKED.value)
    elif action == "certificate.reissued":
        old_serial = str((details.get("before") or {}).get("serial"))
        if (old := history.get(old_serial)) is not None:
            history[key] = replace(old, state=CertificateState.ISSUED.value)
            history[old_serial] = replace(old, state=CertificateState.SUPERSEDED.value)
    elif action == "certificate.import_updated" and known is not None:
        history[key] = Facts(
            str(after.get("state", known.state)),
            _day(after.get("valid_from")) or known.valid_from,
            _day(after.get("valid_until")) or known.valid_until,
        )


def replayed_certificates(session: Session, batch: int = 5000) -> dict[str, Facts]:
    """Each certificate's facts as its audit events, replayed in order, leave them."""
    history: dict[str, Facts] = {}
    events = session.execute(
        select(AuditEvent.action, AuditEvent.entity_key, AuditEvent.details)
        .where(AuditEvent.entity_type == "certificate")
        .order_by(AuditEvent.id)
        .execution_options(yield_per=batch)
    )
    for action, key, details in events:
        _replay(history, action, key, details if isinstance(details, Mapping) else {})
    return history


def recorded_certificates(session: Session, batch: int = 5000) -> dict[str, Facts]:
    """Each certificate's facts as its row holds them."""
    rows = session.execute(
        select(
            Certificate.serial, Certificate.state, Certificate.valid_from, Certificate.valid_until
        ).execution_options(yield_per=batch)
    )
    return {
        serial: Facts(state.value, valid_from, valid_until)
        for serial, state, valid_from, valid_until in rows
    }


def disagreements(
    recorded: Mapping[str, Facts], replayed: Mapping[str, Facts]
) -> list[Disagreement]:
    """The certificates whose row and history differ, by serial."""
    serials: Iterable[str] = sorted(recorded.keys() | replayed.keys())
    return [
        Disagreement(serial, recorded.get(serial), replayed.get(serial))
        for serial in serials
        if recorded.get(serial) != replayed.get(serial)
    ]


def certificate_disagreements(session: Session) -> list[Disagreement]:
    """Every certificate whose row disagrees with its audit events, by serial."""
    return disagreements(recorded_certificates(session), replayed_certificates(session))
