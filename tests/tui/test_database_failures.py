"""A database failure in the app: one plain notification in the user's language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from certify.access.permissions import load_actor
from certify.errors import DatabaseRefused, DatabaseUnavailable
from certify.model import AssessmentMethod, Competency, Person
from certify.services.assessments import NewAssessment
from certify.store import db
from certify.store.db import Database
from certify.store.schema import upgrade
from tests.factories import MiniNetwork
from tests.test_database_failures import SECRET_EMAIL, holding_write_lock
from tui.backend import Backend
from tui.failures import describe
from tui.i18n import use_language

TODAY = date(2026, 6, 1)


@pytest.fixture(params=["fr", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each language in turn (French is left in use after)."""
    use_language(request.param)
    yield request.param
    use_language("fr")


@pytest.fixture
def backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Backend]:
    """The app's backend on a small network in an SQLite file; locks wait 0.2 s."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    database = Database(f"sqlite:///{tmp_path / 'certify.db'}")
    upgrade(database)
    with database.transaction() as session:
        MiniNetwork.build(session).person("Léa", "Petit")
    yield Backend(database, TODAY)
    database.dispose()


def one_plain_line(title: str, message: str) -> None:
    """A title and a one-line message with no personal data and no driver jargon."""
    assert title and "\n" not in message
    assert SECRET_EMAIL not in message and "sqlite3" not in message and "SQL" not in message


def test_a_save_on_a_locked_database(backend: Backend, tmp_path: Path, language: str) -> None:
    """A trainer saves while another writer holds the lock: told it is busy, in words."""
    with backend.database.reading() as session:
        trainer = session.query(Person).filter_by(family_name="Martin").one()
        learner = session.query(Person).filter_by(family_name="Petit").one()
        competency = session.scalars(select(Competency.id).where(Competency.code == "ETH-01")).one()
        actor = load_actor(session, trainer.id, "formateur")
    entry = NewAssessment(learner.id, competency, 2, date(2026, 5, 4), AssessmentMethod.OBSERVATION)
    other = holding_write_lock(tmp_path / "certify.db")
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            backend.record_assessments(actor, [entry])
    finally:
        other.rollback()
        other.close()
    title, message = describe(caught.value)
    one_plain_line(title, message)
    if language == "fr":
        assert title == "Base de données inaccessible"
        assert message.startswith("la base de données est occupée par une autre écriture")
    else:
        assert title == "Database unavailable"
        assert message.startswith("the database is busy with another, long write")


def test_a_stopped_server(language: str) -> None:
    """A PostgreSQL server that does not answer: the database cannot be reached."""
    database = Database("postgresql+psycopg://certify:hunter2@127.0.0.1:9/x")
    with pytest.raises(DatabaseUnavailable) as caught:
        Backend(database, TODAY).is_empty()
    title, message = describe(caught.value)
    one_plain_line(title, message)
    assert "hunter2" not in message
    expected = "impossible de joindre" if language == "fr" else "cannot reach the database"
    assert message.startswith(expected)


def test_a_refused_write(backend: Backend, language: str) -> None:
    """A write that breaks a constraint: refused, the rule named, not the value."""
    with pytest.raises(DatabaseRefused) as caught, backend.database.transaction() as session:
        taken = session.query(Person).filter_by(family_name="Petit").one()
        session.add(
            Person(
                given_name="Chloé",
                family_name="Autre",
                email=taken.email,
                site_id=taken.site_id,
                active_from=date(2024, 1, 1),
            )
        )
        session.flush()
    title, message = describe(caught.value)
    one_plain_line(title, message)
    assert "léa.petit" not in message.lower() and "example.org" not in message
    assert title == ("Refusé" if language == "fr" else "Refused")
