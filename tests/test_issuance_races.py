"""Races: concurrent revoke, reissue and issue of one certificate, each in its own process.

Exactly one change of a standing certificate wins; the others are refused with a one-line
message, never a raw database error, and nothing is left half-done.
"""

from __future__ import annotations

import multiprocessing
import traceback
from datetime import date
from multiprocessing.synchronize import Barrier

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

from certify.access.permissions import load_actor
from certify.errors import CertifyError
from certify.model import AuditEvent, Certificate, CertificateState
from certify.services.issuance import (
    _leave_issued,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)
from certify.store.db import Database
from certify.views.certificate_records import find_certificate
from tests.test_issuance import Network

#: What each of the concurrent processes does, in one round.
ACTIONS = ("revoke", "reissue", "issue", "revoke", "reissue", "issue", "revoke", "reissue")
#: Rounds played, each on a freshly issued certificate.
ROUNDS = 3
#: The day everything happens.
DAY = date(2025, 4, 1)


def _act(url: str, action: str, serial: str, person: int, programme: int, actor_id: int) -> str:
    """Do one action in a transaction of its own; say how it ended."""
    database = Database(url)
    try:
        with database.transaction() as session:
            actor = load_actor(session, actor_id, "jean")
            if action == "revoke":
                revoke_certificate(session, actor, serial, DAY, "Fraude")
            elif action == "reissue":
                reissue_certificate(session, actor, serial, "Nom corrigé", DAY)
            else:
                issue_certificate(session, actor, person, programme, DAY)
        return f"won {action}"
    except CertifyError as error:
        return f"refused {action}: {error}"
    finally:
        database.dispose()


def _worker(barrier: Barrier, results: multiprocessing.Queue, *args: object) -> None:
    """Wait for every process, then act; put the outcome (or a raw error) on ``results``."""
    barrier.wait()
    try:
        results.put(_act(*args))  # type: ignore[arg-type]
    except BaseException:  # any other failure is what the test looks for
        results.put("raw " + traceback.format_exc())


def _round(network: Network, serial: str, person: int) -> list[str]:
    """Fire every action of :data:`ACTIONS` at once on ``serial``; their outcomes."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(ACTIONS)), context.Queue()
    url = network.database.url
    assert network.coordinator.person_id is not None
    processes = [
        context.Process(
            target=_worker,
            args=(
                barrier,
                results,
                url,
                action,
                serial,
                person,
                network.programme,
                network.coordinator.person_id,
            ),
        )
        for action in ACTIONS
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    return outcomes


@pytest.mark.postgres
def test_concurrent_changes_lose_cleanly(database: Database) -> None:
    """8 processes revoke, reissue and issue one certificate at once, three rounds running:
    one revocation or reissue wins, the others get a one-line refusal, no raw error, no
    revoked certificate with a live replacement, one revocation event per revocation."""
    if database.is_sqlite:
        pytest.skip("a PostgreSQL race: SQLite writers queue whole transactions")
    network = Network(database)
    person = network.people[0]
    for _ in range(ROUNDS):
        with network.database.reading() as session:
            standing = session.scalar(
                select(Certificate.serial).where(
                    Certificate.person_id == person,
                    Certificate.state == CertificateState.ISSUED,
                )
            )
        serial = standing or network.issue(person, DAY).serial
        outcomes = _round(network, serial, person)
        raw = [outcome for outcome in outcomes if outcome.startswith("raw")]
        assert not raw, raw[0]
        assert all("\n" not in outcome for outcome in outcomes)
        winners = [o for o in outcomes if o in ("won revoke", "won reissue")]
        assert len(winners) == 1, outcomes
    replacement = aliased(Certificate)
    with network.database.reading() as session:
        revived = session.scalar(
            select(func.count())
            .select_from(Certificate)
            .join(replacement, replacement.supersedes_id == Certificate.id)
            .where(
                Certificate.state == CertificateState.REVOKED,
                replacement.state == CertificateState.ISSUED,
            )
        )
        revoked = session.scalar(
            select(func.count())
            .select_from(Certificate)
            .where(Certificate.state == CertificateState.REVOKED)
        )
        revocations = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "certificate.revoked")
        )
    assert revived == 0
    assert revoked == revocations


def test_a_change_made_meanwhile_wins(database: Database) -> None:
    """Read as issued, revoked by someone else meanwhile: the database's own check refuses
    the second change, naming the state it found."""
    network = Network(database)
    serial = network.issue(network.people[0], DAY).serial
    with database.transaction() as session:
        stale = find_certificate(session, serial)
        session.execute(
            update(Certificate)
            .where(Certificate.id == stale.id)
            .values(state=CertificateState.REVOKED, revoked_on=DAY, revocation_reason="Fraude")
            .execution_options(synchronize_session=False)
        )
        assert stale.state is CertificateState.ISSUED
        with pytest.raises(CertifyError, match=f"{serial} is already revoked"):
            _leave_issued(session, stale, CertificateState.SUPERSEDED)
