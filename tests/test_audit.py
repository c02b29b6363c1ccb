"""The audit chain catches edited, deleted and truncated events."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from certify.model import AuditEvent
from certify.store.audit import Change, record, verify_chain
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


def ids(database: Database) -> list[int]:
    """Event ids in order."""
    with database.reading() as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def test_intact_chain(chained: Database) -> None:
    """Every event verifies."""
    with chained.reading() as session:
        report = verify_chain(session)
    assert report.intact and report.checked == 5


def test_edited_event_is_found(chained: Database) -> None:
    """Changing an event's details breaks the chain at that event."""
    target = ids(chained)[2]
    with chained.transaction() as session:
        session.execute(
            update(AuditEvent).where(AuditEvent.id == target).values(details={"after": "x"})
        )
    with chained.reading() as session:
        report = verify_chain(session)
    assert report.broken_at == target and "edited" in report.reason


def test_deleted_event_is_found(chained: Database) -> None:
    """Deleting an event breaks the chain at the one after it."""
    events = ids(chained)
    with chained.transaction() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == events[1]))
    with chained.reading() as session:
        report = verify_chain(session)
    assert report.broken_at == events[2] and "deleted" in report.reason


def test_truncated_tail_is_found(chained: Database) -> None:
    """Deleting the newest events is caught through the head."""
    with chained.transaction() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == ids(chained)[-1]))
    with chained.reading() as session:
        report = verify_chain(session)
    assert not report.intact and "newest events were deleted" in report.reason
