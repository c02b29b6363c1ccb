"""Sign-in throttling: a growing wait, then a lock; per user name and per client; audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from certify.access.permissions import Actor
from certify.cli import main
from certify.model import AuditEvent, AuditPersonal, SignInThrottle, UserAccount
from certify.rules.sign_in import FREE_FAILURES, LOCK_AFTER, LOCK_DURATION, wait_after
from certify.services.accounts import AuthenticationFailed, create_account
from certify.services.sign_in import SignInAttempt, SignInLocked, SignInTooSoon, sign_in
from certify.store.db import Database
from tests.factories import MiniNetwork

#: Alice's password.
PASSWORD = "motdepasse-solide"
#: When the attempts start.
START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def network(database: Database) -> Database:
    """A network where ``alice`` signs in with :data:`PASSWORD`."""
    with database.transaction() as session:
        alice = MiniNetwork.build(session).person("Alice", "Durand")
        session.flush()
        create_account(session, Actor.system(), alice.id, "alice", PASSWORD)
    return database


def attempt(
    database: Database, username: str, password: str, at: datetime, client: str | None = None
) -> SignInAttempt:
    """One attempt in its own transaction, as the app makes it (a fresh engine each time)."""
    fresh = Database(database.url)  # another process would open its own
    try:
        with fresh.transaction() as session:
            return sign_in(session, username, password, client=client, now=at)
    finally:
        fresh.dispose()


def fail_in_a_row(
    database: Database, username: str, count: int, client: str | None = None
) -> datetime:
    """``count`` wrong passwords, each as soon as allowed; the time of the last one."""
    at = START
    for n in range(count):
        at += wait_after(n)
        refusal = attempt(database, username, "wrong-password", at, client).refusal
        assert isinstance(refusal, AuthenticationFailed), (n, refusal)
    return at


@pytest.mark.parametrize("username", ["alice", "nobody-here"])
def test_failures_in_a_row_make_the_next_attempt_wait(network: Database, username: str) -> None:
    """Three free failures; then a wait of 2 s, even for the right password; an unknown
    user name is throttled the same way (a wait does not tell who exists)."""
    last = fail_in_a_row(network, username, FREE_FAILURES)
    early = attempt(network, username, PASSWORD, last + timedelta(seconds=1)).refusal
    assert isinstance(early, SignInTooSoon)
    assert early.english == "too many failed attempts: try again in 1 s"
    later = attempt(network, username, PASSWORD, last + timedelta(seconds=2))
    if username == "alice":
        assert later.outcome().username == "alice"
    else:
        assert isinstance(later.refusal, AuthenticationFailed)


def test_success_forgets_the_failures(network: Database) -> None:
    """After a success the count starts again from zero."""
    last = fail_in_a_row(network, "alice", FREE_FAILURES)
    attempt(network, "alice", PASSWORD, last + timedelta(seconds=2)).outcome()
    with network.reading() as session:
        assert session.scalar(select(SignInThrottle).where(SignInThrottle.key == "alice")) is None


def test_too_many_failures_lock_even_the_right_password_and_are_audited(
    network: Database,
) -> None:
    """The tenth failure locks for 15 minutes; the lock is in the audit trail."""
    last = fail_in_a_row(network, "alice", LOCK_AFTER)
    locked = attempt(network, "alice", PASSWORD, last + timedelta(minutes=14)).refusal
    assert isinstance(locked, SignInLocked)
    assert locked.french == (
        "trop de tentatives échouées\u00a0: connexion bloquée, réessayez dans 1 min"
    )
    with network.reading() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "sign_in.locked")
        ).one()
        alice = session.scalar(select(UserAccount.id).where(UserAccount.username == "alice"))
        assert (event.entity_type, event.entity_key) == ("account", str(alice))
        kept = session.get(AuditPersonal, event.id)
        assert kept is not None and kept.values == {"username": "alice"}
    unlocked = attempt(network, "alice", PASSWORD, last + LOCK_DURATION)
    assert unlocked.outcome().username == "alice"


def test_an_administrator_unlocks_from_the_command_line(
    network: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """``certify user unlock``: the lock is gone at once, and that is audited."""
    last = fail_in_a_row(network, "alice", LOCK_AFTER)
    assert main(["--db", network.url, "user", "unlock", "alice"]) == 0
    assert capsys.readouterr().out == "alice débloqué\n"
    assert attempt(network, "alice", PASSWORD, last).outcome().username == "alice"
    with network.reading() as session:
        alice = session.scalar(select(UserAccount.id).where(UserAccount.username == "alice"))
        assert session.scalar(
            select(AuditEvent.entity_key).where(AuditEvent.action == "sign_in.unlocked")
        ) == str(alice)
    assert main(["--lang", "en", "--db", network.url, "user", "unlock", "alice"]) == 0
    assert capsys.readouterr().out == "alice was not throttled\n"


def test_a_client_is_throttled_across_user_names(network: Database) -> None:
    """One browser trying many names waits too; another browser does not."""
    at = START
    for n in range(FREE_FAILURES):
        refusal = attempt(network, f"user{n}", "wrong-password", at, "203.0.113.9").refusal
        assert isinstance(refusal, AuthenticationFailed)
    soon = attempt(network, "alice", PASSWORD, at + timedelta(seconds=1), "203.0.113.9")
    assert isinstance(soon.refusal, SignInTooSoon)
    other = attempt(network, "alice", PASSWORD, at + timedelta(seconds=1), "198.51.100.7")
    assert other.outcome().username == "alice"


def test_old_failures_are_forgotten(network: Database) -> None:
    """An hour after the last failure, the next attempt is free again."""
    last = fail_in_a_row(network, "alice", LOCK_AFTER - 1)
    again = attempt(network, "alice", "wrong-password", last + timedelta(hours=1))
    assert isinstance(again.refusal, AuthenticationFailed)
    with network.reading() as session:
        throttle = session.scalars(select(SignInThrottle)).one()
        assert (throttle.failures, throttle.locked_until) == (1, None)
