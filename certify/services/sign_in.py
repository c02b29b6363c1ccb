"""Signing in with throttling: per user name typed and per client, kept in the database.

Every interactive sign-in (the terminal UI, each ``certify serve`` process) goes through
:func:`sign_in`. A user name that does not exist is throttled like one that does, so a
lock does not tell who has an account. Locks are recorded in the audit trail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, authorize_admin
from certify.errors import CertifyError
from certify.model import SignInThrottle, UserAccount
from certify.model.account import ACCOUNT, CLIENT, KEY_LENGTH
from certify.rules.sign_in import LOCK_DURATION, failures_counted, locks, next_attempt_at
from certify.services.accounts import AuthenticationFailed, authenticate
from certify.store.audit import Change, record

#: Environment variable holding the client's address (set by ``certify serve`` per process).
CLIENT_ENV = "CERTIFY_CLIENT"


class SignInLocked(CertifyError):
    """Too many failures in a row: sign-in refused for a while, even with the password."""

    def __init__(self, minutes: int) -> None:
        """Say for how long."""
        super().__init__(
            f"trop de tentatives échouées\u00a0: connexion bloquée, réessayez dans {minutes} min",
            f"too many failed attempts: sign-in locked, try again in {minutes} min",
        )


class SignInTooSoon(CertifyError):
    """Failures in a row: the next attempt must wait."""

    def __init__(self, seconds: int) -> None:
        """Say how long."""
        super().__init__(
            f"trop de tentatives échouées\u00a0: réessayez dans {seconds} s",
            f"too many failed attempts: try again in {seconds} s",
        )


@dataclass(frozen=True)
class SignInAttempt:
    """What an attempt gave: the actor, or why not (failures are stored either way)."""

    #: The actor signed in, or ``None``.
    actor: Actor | None
    #: Why sign-in was refused, or ``None``.
    refusal: CertifyError | None

    def outcome(self) -> Actor:
        """The actor; the refusal raised otherwise (call it after committing)."""
        if self.actor is None:
            raise self.refusal or AuthenticationFailed()
        return self.actor


def sign_in(
    session: Session, username: str, password: str, *, client: str | None, now: datetime
) -> SignInAttempt:
    """Check the password unless throttled; count a failure, forget them on success.

    The caller commits the session whatever the outcome, then calls ``outcome()``.
    """
    throttles = [_throttle(session, ACCOUNT, username)]
    if client:
        throttles.append(_throttle(session, CLIENT, client))
    for throttle in throttles:
        if refusal := _refusal(throttle, now):
            return SignInAttempt(None, refusal)
    try:
        actor = authenticate(session, username, password)
    except AuthenticationFailed as failed:
        for throttle in throttles:
            _count_failure(session, throttle, now)
        return SignInAttempt(None, failed)
    if throttles[0].id is not None:
        session.delete(throttles[0])
    return SignInAttempt(actor, None)


def unlock(session: Session, actor: Actor, username: str) -> bool:
    """Forget a user name's failures and lock (admins only, audited); whether there were any."""
    authorize_admin(actor, Action.MANAGE_ACCOUNTS)
    throttle = session.scalar(select(SignInThrottle).where(SignInThrottle.typed_as([username])))
    if throttle is None:
        return False
    session.delete(throttle)
    record(session, actor.person_id, _throttle_change(session, "sign_in.unlocked", throttle))
    return True


def _throttle(session: Session, kind: str, key: str) -> SignInThrottle:
    """The stored failures of one user name or client (a new, unsaved row if none)."""
    key = key[:KEY_LENGTH]
    found = session.scalar(
        select(SignInThrottle)
        .where(SignInThrottle.kind == kind, SignInThrottle.key == key)
        .with_for_update()
    )
    return found or SignInThrottle(kind=kind, key=key, failures=0)


def _throttle_change(
    session: Session,
    action: str,
    throttle: SignInThrottle,
    after: dict[str, str | int] | None = None,
) -> Change:
    """The audit event of a lock or unlock: the account by id when the user name typed is
    one's (``-`` otherwise); what was typed, or the client's address, as a personal value."""
    account = (
        session.scalar(
            select(UserAccount).where(func.lower(UserAccount.username) == throttle.key.lower())
        )
        if throttle.kind == ACCOUNT
        else None
    )
    typed = "username" if throttle.kind == ACCOUNT else "client"
    return Change(
        action,
        throttle.kind,
        "-" if account is None else account.id,
        after=after,
        extra={typed: throttle.key},
        subject_id=None if account is None else account.person_id,
    )


def _refusal(throttle: SignInThrottle, now: datetime) -> CertifyError | None:
    """Why an attempt may not be made now, if it may not."""
    if throttle.locked_until is not None and throttle.locked_until > now:
        return SignInLocked(math.ceil((throttle.locked_until - now).total_seconds() / 60))
    wait = (next_attempt_at(throttle.failures, throttle.last_failed_at, now) - now).total_seconds()
    return SignInTooSoon(math.ceil(wait)) if wait > 0 else None


def _count_failure(session: Session, throttle: SignInThrottle, now: datetime) -> None:
    """One more failure; the lock (audited) when there are too many in a row."""
    failures = failures_counted(throttle.failures, throttle.last_failed_at, now) + 1
    throttle.last_failed_at = now
    if locks(failures):
        locked_until = now + LOCK_DURATION
        throttle.failures, throttle.locked_until = 0, locked_until
        after = {"failures": failures, "locked_until": locked_until.isoformat()}
        record(session, None, _throttle_change(session, "sign_in.locked", throttle, after))
    else:
        throttle.failures, throttle.locked_until = failures, None
    session.add(throttle)
    session.flush()
