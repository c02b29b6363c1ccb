"""Pseudonymising a leaver: who they were goes, what they did stays, their certificates verify.

A person who left is given a pseudonym (« Pseudonyme 7KQ2M4XD ») and an address that
receives nothing; their account is closed and renamed, and the sign-in attempts on its
user name go. Their records stay, for statistics: site, employer, roles, dates,
attendance, assessments, certificates. In those records the names and e-mail give way to
the pseudonym wherever they appear in free text (evidence notes, reasons, the snapshots
certificates are printed from), the personal values of the audit events about them are
erased (the chain hashes only their salted digest, so it still verifies), and their
certificates' PDFs and signed credentials go: the holder keeps theirs, which verify
without certify, and the certificates are never printed again.

Kept on purpose: each certificate's signed token (its QR code), which names the holder.
A verifier finds it by serial and verification code, which only someone holding the
certificate knows, and it is what lets a leaver's certificate prove itself to their next
employer. And the names of coordinators on certificates they issued to others: part of
what those holders were given, and signed.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import JSON, String, Table, Text, delete, select, update
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, authorize_admin, authorize_other
from certify.errors import CertifyError
from certify.model import (
    AuditPersonal,
    Base,
    Certificate,
    CertificateDocument,
    CertificateSignature,
    Person,
    SignInThrottle,
    UserAccount,
)
from certify.rules.written_dates import written_date
from certify.store.audit import Change, record
from certify.store.person_rows import is_secret, key_columns, own_rows

#: The key a pseudonymised holder carries in a certificate's snapshot (the day it was done).
PSEUDONYMISED = "pseudonymised_on"
#: The given name every pseudonymised person gets; the family name is their code.
PSEUDONYM = "Pseudonyme"
#: Letters of a pseudonym's code (no 0/O, 1/I: read aloud without doubt).
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: Characters in a pseudonym's code.
CODE_LENGTH = 8
#: Where the address of a pseudonymised person points: a domain that never exists (RFC 2606).
NOWHERE = "pseudonymes.certify.invalid"
#: Tables whose rows about the person go.
ERASED = (AuditPersonal.__tablename__, CertificateDocument.__tablename__)
#: Tables rewritten by rule, not by search and replace.
BY_RULE = (UserAccount.__tablename__, *ERASED)


@dataclass(frozen=True)
class RowChange:
    """One row to rewrite (``values``) or delete (``values`` is ``None``)."""

    #: The table.
    table: str
    #: The row's primary key, by column.
    key: Mapping[str, Any]
    #: The new values, by column; ``None``: the row goes.
    values: Mapping[str, Any] | None


@dataclass(frozen=True)
class Pseudonymisation:
    """What pseudonymising one leaver changes, worked out before anything is written."""

    #: The person.
    person_id: int
    #: Their name before (said to the administrator; never stored once done).
    former_name: str
    #: The name they get.
    pseudonym: str
    #: The rows rewritten and deleted, the person's own row first.
    changes: tuple[RowChange, ...]

    def counts(self) -> dict[tuple[str, bool], int]:
        """Rows by table and whether they go (``True``) or are rewritten."""
        return dict(Counter((change.table, change.values is None) for change in self.changes))


class NotALeaver(CertifyError):
    """Only a person who has left is pseudonymised."""

    def __init__(self, person: Person, today: date) -> None:
        """Say why, with the person's last day when there is one."""
        if person.active_until is None:
            fr, en = "n'a pas de date de départ", "has no leaving date"
        else:
            fr = f"est en activité jusqu'au {written_date(person.active_until, 'fr')}"
            en = f"is active until {written_date(person.active_until, 'en')}"
        super().__init__(
            f"{person.full_name} {fr}\u00a0: seule une personne partie (au plus tard le "
            f"{written_date(today, 'fr')}) est pseudonymisée.",
            f"{person.full_name} {en}: only a person who left (on {written_date(today, 'en')} "
            "at the latest) is pseudonymised.",
        )


class AlreadyPseudonymised(CertifyError):
    """A person pseudonymised once has nothing left to erase."""

    def __init__(self, person: Person) -> None:
        """Say since when."""
        assert person.pseudonymised_on is not None
        super().__init__(
            f"{person.full_name} est déjà pseudonymisé·e depuis le "
            f"{written_date(person.pseudonymised_on, 'fr')}.",
            f"{person.full_name} was already pseudonymised on "
            f"{written_date(person.pseudonymised_on, 'en')}.",
        )


def refuse_pseudonymised(session: Session, person_ids: Sequence[int]) -> None:
    """Refuse to certify a pseudonymised person: a certificate would carry the pseudonym."""
    person = session.scalar(
        select(Person)
        .where(Person.id.in_(person_ids), Person.pseudonymised_on.is_not(None))
        .limit(1)
    )
    if person is not None and person.pseudonymised_on is not None:
        day = person.pseudonymised_on
        raise CertifyError(
            f"{person.full_name} a été pseudonymisé·e le {written_date(day, 'fr')}\u00a0: "
            "plus aucun certificat ne lui est délivré.",
            f"{person.full_name} was pseudonymised on {written_date(day, 'en')}: no "
            "certificate is issued to them any more.",
        )


def pseudonymisation(
    session: Session, actor: Actor, person_id: int, today: date
) -> Pseudonymisation:
    """What pseudonymising ``person_id`` on ``today`` would change (administrators only)."""
    authorize_other(actor, Action.PSEUDONYMISE_PERSON, person_id)
    authorize_admin(actor, Action.PSEUDONYMISE_PERSON)
    # Locked until the end of the transaction: of two administrators at once, the second
    # waits, then finds the person pseudonymised (SQLite writers already queue).
    person = session.get(Person, person_id, with_for_update=True)
    if person is None:
        raise CertifyError(
            f"aucun membre du personnel n° {person_id}", f"no staff member with id {person_id}"
        )
    if person.pseudonymised_on is not None:
        raise AlreadyPseudonymised(person)
    if person.active_until is None or person.active_until > today:
        raise NotALeaver(person, today)
    code = _new_code(session)
    replaced = _Replacements(person, code)
    changes = [
        RowChange(
            Person.__tablename__,
            {"id": person_id},
            {
                "given_name": PSEUDONYM,
                "family_name": code,
                "email": replaced.email,
                "reminders_off": True,
                "pseudonymised_on": today,
            },
        )
    ]
    changes += _accounts(session, person_id, code)
    found = own_rows(session, person_id)
    for name, rows in found.own.items():
        table = Base.metadata.tables[name]
        for row in rows.values():
            key = {column.name: row[column.name] for column in key_columns(table)}
            if name in ERASED:
                changes.append(RowChange(name, key, None))
            elif name not in BY_RULE:
                values = _rewritten(table, row, replaced, today)
                if values:
                    changes.append(RowChange(name, key, values))
    return Pseudonymisation(person_id, person.full_name, f"{PSEUDONYM} {code}", tuple(changes))


def pseudonymise(session: Session, actor: Actor, plan: Pseudonymisation) -> None:
    """Write ``plan`` (from :func:`pseudonymisation`, in this transaction) and audit it."""
    for change in plan.changes:
        table = Base.metadata.tables[change.table]
        where = [table.c[column] == value for column, value in change.key.items()]
        if change.values is None:
            session.execute(delete(table).where(*where))
        else:
            session.execute(update(table).where(*where).values(**change.values))
    gone = sum(change.values is None for change in plan.changes)
    counts = {"rows_rewritten": len(plan.changes) - gone, "rows_deleted": gone}
    record(
        session,
        actor.person_id,
        Change("person.pseudonymised", "person", plan.person_id, extra=counts),
    )
    session.expire_all()


class _Replacements:
    """The person's names and e-mail, each with what takes its place in free text."""

    def __init__(self, person: Person, code: str) -> None:
        """Longest first, so that a full name is replaced whole, before its parts."""
        self.email = f"pseudonyme-{code.lower()}@{NOWHERE}"
        pseudonym = f"{PSEUDONYM} {code}"
        pairs = [
            (person.email, self.email),
            (person.full_name, pseudonym),
            (f"{person.family_name} {person.given_name}", pseudonym),
            (person.family_name, code),
            (person.given_name, PSEUDONYM),
        ]
        self._pairs = [
            (re.compile(rf"(?<!\w){re.escape(old)}(?!\w)", re.IGNORECASE), new)
            for old, new in sorted(pairs, key=lambda pair: -len(pair[0]))
            if old.strip()
        ]

    def text(self, value: str) -> str:
        """``value`` with every name and the e-mail replaced."""
        for pattern, new in self._pairs:
            value = pattern.sub(new, value)
        return value

    def json(self, value: Any) -> Any:
        """A JSON value with every string in it replaced (keys kept)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {key: self.json(item) for key, item in value.items()}  # type: ignore[misc]
        if isinstance(value, list):
            return [self.json(item) for item in value]  # type: ignore[misc]
        return value


def _rewritten(
    table: Table, row: Mapping[str, Any], replaced: _Replacements, today: date
) -> dict[str, Any]:
    """The free-text values of ``row`` that change, by column."""
    values: dict[str, Any] = {}
    for column in table.columns:
        value = row.get(column.name)
        if value is None or column.primary_key or column.foreign_keys or is_secret(column):
            continue
        if isinstance(column.type, JSON):
            new = replaced.json(value)
        elif isinstance(column.type, Text | String) and isinstance(value, str):
            new = replaced.text(value)
        else:
            continue
        if new != value:
            values[column.name] = new
    if table.name == CertificateSignature.__tablename__:
        values = {"credential": None}  # the token stays as signed
    if table.name == Certificate.__tablename__:
        snapshot = dict(values.get("snapshot", row["snapshot"]) or {})
        holder = replaced.text(snapshot.get("holder", {}).get("name", ""))
        snapshot["holder"] = {"name": holder, PSEUDONYMISED: today.isoformat()}
        values["snapshot"] = snapshot
    return values


def _accounts(session: Session, person_id: int, code: str) -> list[RowChange]:
    """The person's accounts closed and renamed, and the sign-in attempts on them gone."""
    accounts = session.execute(
        select(UserAccount.id, UserAccount.username).where(UserAccount.person_id == person_id)
    ).all()
    changes = [
        RowChange(
            UserAccount.__tablename__,
            {"id": account_id},
            {"username": f"pseudonyme-{code.lower()}", "password_hash": "!", "is_active": False},
        )
        for account_id, _ in accounts
    ]
    usernames = [username for _, username in accounts]
    throttles = session.scalars(select(SignInThrottle.id).where(SignInThrottle.typed_as(usernames)))
    changes += [RowChange(SignInThrottle.__tablename__, {"id": id_}, None) for id_ in throttles]
    return changes


def _new_code(session: Session) -> str:
    """A pseudonym's code no one has yet."""
    while True:
        code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
        taken = session.scalar(
            select(Person.id).where(Person.given_name == PSEUDONYM, Person.family_name == code)
        )
        if taken is None:
            return code
