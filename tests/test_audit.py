"""The audit chain catches edited, deleted and truncated events; a signed checkpoint of its
head catches what someone with the database can do besides: rebuild it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from certify.model import AuditEvent, AuditHead
from certify.store.audit import (
    EDITED,
    GENESIS,
    HEAD_MISMATCH,
    UNCHAINED,
    ChainHead,
    Change,
    event_hash,
    record,
    verify_chain,
)
from certify.store.db import Database


@pytest.fixture
def chained(database: Database) -> Database:
    """Five events, appended by three separate transactions."""
    for start in (0, 2, 4):
        with database.transaction() as session:
            record(
                session,
                None,
                *[
                    Change("person.created", "person", n, after={"name": f"Personne {n}"})
                    for n in range(start, min(start + 2, 5))
                ],
            )
    return database


@pytest.fixture
def checkpoint(chained: Database) -> ChainHead:
    """The head of the five events, as a signed checkpoint holds it."""
    with chained.reading() as session:
        return verify_chain(session).head


def ids(database: Database) -> list[int]:
    """Event ids in order."""
    with database.reading() as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def rechain(session: Session) -> None:
    """What someone with the database does after any change: hash every event again, in
    order, and set the head to the last one."""
    previous = GENESIS
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        event.prev_hash = previous
        event.hash = previous = event_hash(
            previous,
            event.occurred_at,
            event.actor_id,
            event.action,
            event.entity_type,
            event.entity_key,
            event.details,
        )
    head = session.get(AuditHead, 1)
    assert head is not None
    head.last_hash = previous


def drop_newest(session: Session, count: int) -> None:
    """Delete the ``count`` newest events."""
    newest = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(count))
    session.execute(delete(AuditEvent).where(AuditEvent.id.in_(list(newest))))


def forge(session: Session, count: int) -> None:
    """Append ``count`` made-up events (chained by :func:`rechain`)."""
    record(session, None, *[Change("person.created", "person", 90 + n) for n in range(count)])


def truncate(session: Session) -> None:
    """Delete the last two events, then reset the head."""
    drop_newest(session, 2)


def append_forged(session: Session) -> None:
    """Replace the last two events by three forged ones."""
    drop_newest(session, 2)
    forge(session, 3)


def rehash_after_edit(session: Session) -> None:
    """Edit the second event."""
    second = session.scalars(select(AuditEvent).order_by(AuditEvent.id).offset(1)).first()
    assert second is not None
    second.details = {"after": {"name": "Quelqu'un d'autre"}}


def empty(session: Session) -> None:
    """Delete every event."""
    session.execute(delete(AuditEvent))


def test_intact_chain(chained: Database, checkpoint: ChainHead) -> None:
    """Every event verifies, alone and against the checkpoint of its head."""
    with chained.reading() as session:
        report = verify_chain(session)
        anchored = verify_chain(session, checkpoint)
    assert report.intact and report.checked == 5 and anchored == report
    assert report.head == ChainHead(5, checkpoint.hash) and checkpoint.hash != GENESIS


def test_events_after_the_checkpoint_chain_from_it(
    chained: Database, checkpoint: ChainHead
) -> None:
    """New events written the ordinary way keep the chain intact against an older checkpoint;
    an empty trail verifies against the checkpoint of an empty trail."""
    with chained.transaction() as session:
        forge(session, 2)
    with chained.reading() as session:
        report = verify_chain(session, checkpoint)
    assert report.intact and report.checked == 7
    with chained.transaction() as session:
        empty(session)
        rechain(session)
    with chained.reading() as session:
        assert verify_chain(session, ChainHead(0)).intact


def test_edited_event_is_found(chained: Database) -> None:
    """Changing an event's details breaks the chain at that event."""
    target = ids(chained)[2]
    with chained.transaction() as session:
        session.execute(
            update(AuditEvent).where(AuditEvent.id == target).values(details={"after": "x"})
        )
    with chained.reading() as session:
        report = verify_chain(session)
    assert report.broken_at == target and report.reason == EDITED


def test_deleted_event_is_found(chained: Database) -> None:
    """Deleting an event breaks the chain at the one after it."""
    events = ids(chained)
    with chained.transaction() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == events[1]))
    with chained.reading() as session:
        report = verify_chain(session)
    assert report.broken_at == events[2] and report.reason == UNCHAINED


def test_truncated_tail_is_found(chained: Database) -> None:
    """Deleting the newest events is caught through the head."""
    with chained.transaction() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == ids(chained)[-1]))
    with chained.reading() as session:
        report = verify_chain(session)
    assert not report.intact and report.reason == HEAD_MISMATCH


@pytest.mark.parametrize(
    ("attack", "english"),
    [
        (truncate, "the audit trail holds 3 event(s), fewer than the checkpoint's 5"),
        (append_forged, "event number 5 is not the checkpoint's: the trail was rewritten"),
        (rehash_after_edit, "event number 5 is not the checkpoint's: the trail was rewritten"),
        (empty, "the audit trail holds 0 event(s), fewer than the checkpoint's 5"),
    ],
)
def test_a_rebuilt_trail_fails_against_the_checkpoint(
    chained: Database,
    checkpoint: ChainHead,
    attack: Callable[[Session], None],
    english: str,
) -> None:
    """Truncated, forged, edited or emptied, then hashed again with the head reset: the chain
    alone still verifies (anyone can compute SHA-256), the checkpoint does not."""
    with chained.transaction() as session:
        attack(session)
        rechain(session)
    with chained.reading() as session:
        alone = verify_chain(session)
        anchored = verify_chain(session, checkpoint)
    assert alone.intact
    assert anchored.reason is not None and anchored.reason.en.startswith(english)
    assert "\u00a0: " in anchored.reason.fr


def test_a_tail_that_does_not_chain_from_the_checkpoint(
    chained: Database, checkpoint: ChainHead
) -> None:
    """Events appended after the checkpoint must chain from its head."""
    with chained.transaction() as session:
        forge(session, 1)
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last is not None
        last.prev_hash = "f" * 64
    with chained.reading() as session:
        report = verify_chain(session, checkpoint)
    assert report.reason == UNCHAINED and report.checked == 5
