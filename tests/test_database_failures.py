"""Database failures reach the user as one plain line, without SQL or personal data."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from certify.access.permissions import Actor, load_actor
from certify.cli import ERROR, main
from certify.errors import DatabaseBusy, DatabaseRefused, DatabaseUnavailable
from certify.model import AssessmentMethod, Competency, Person
from certify.services.assessments import NewAssessment, record_assessments
from certify.store import db
from certify.store.db import Database
from tests.exchange_helpers import run_import, write_csv
from tests.factories import MiniNetwork

HEADER = ["Adresse e-mail", "Prénom", "Nom", "Site", "Employeur", "Rôles", "Date d'entrée"]
#: The personal data a failure must never show.
SECRET_EMAIL = "chloe.secret@example.org"
SECRET_NAME = "Secretname"
TODAY = date(2026, 6, 1)


def staff_file(folder: Path, rows: int) -> Path:
    """A staff file of ``rows`` new people, the first one named by the secrets above."""
    people = [[SECRET_EMAIL, "Chloé", SECRET_NAME, "PARIS", "", "conseillère", "01/09/2024"]]
    people += [
        [f"p{n}@example.org", "Prénom", f"Nom{n}", "PARIS", "", "accueil", "01/09/2024"]
        for n in range(1, rows)
    ]
    return write_csv(folder / "personnel.csv", [HEADER, *people])


@pytest.fixture
def network(database: Database) -> Database:
    """The miniature network of tests/factories.py."""
    with database.transaction() as session:
        MiniNetwork.build(session)
    return database


@pytest.fixture
def sqlite_network(tmp_path: Path) -> Iterator[Database]:
    """The miniature network, with a learner, in an SQLite file."""
    database = Database(f"sqlite:///{tmp_path / 'certify.db'}")
    from certify.store.schema import upgrade

    upgrade(database)
    with database.transaction() as session:
        MiniNetwork.build(session).person("Léa", "Petit")
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def short_busy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locks give up after 0.2 s, so a locked database fails fast."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)


def assert_one_plain_line(err: str, *expected: str) -> None:
    """One ``certify : erreur :`` line, saying ``expected``, with no SQL and no personal data."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith((ERROR.fr, ERROR.en)), err
    for words in expected:
        assert words in lines[0]
    for leak in (SECRET_EMAIL, SECRET_NAME, "Traceback", "INSERT", "SELECT", "[SQL", "sqlalche"):
        assert leak not in err


def holding_write_lock(path: Path) -> sqlite3.Connection:
    """Another connection holding the write lock of the SQLite file at ``path``."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "la base de données est occupée par une autre écriture"),
        ("en", "the database is busy with another, long write: nothing was saved"),
    ],
)
def test_locked_database_one_line(
    sqlite_network: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    words: str,
) -> None:
    """An import meeting another writer's lock: one line in the user's language."""
    path = staff_file(tmp_path, 3)
    other = holding_write_lock(tmp_path / "certify.db")
    try:
        assert main(["--db", sqlite_network.url, "--lang", lang, "import", "staff", str(path)]) == 1
    finally:
        other.rollback()
        other.close()
    assert_one_plain_line(capsys.readouterr().err, words)


def test_locked_database_is_busy_for_a_save(sqlite_network: Database, tmp_path: Path) -> None:
    """A trainer's save meeting the lock: ``DatabaseBusy``, chained to the driver's error."""
    other = holding_write_lock(tmp_path / "certify.db")
    try:
        with pytest.raises(DatabaseBusy) as caught:
            save_an_assessment(sqlite_network)
    finally:
        other.rollback()
        other.close()
    assert caught.value.__cause__ is not None
    assert "rien n'a été enregistré" in caught.value.french


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every new SQLite connection may not grow its file: writes fail with SQLITE_FULL."""
    pragmas = db._sqlite_pragmas

    def capped(connection: Any, record: Any) -> None:
        """The usual pragmas, then a file size capped at its current size."""
        pragmas(connection, record)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(db, "_sqlite_pragmas", capped)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "le disque de la base de données est plein\u00a0: rien n'a été enregistré"),
        ("en", "the database's disk is full: nothing was saved; free some space"),
    ],
)
def test_full_disk_one_line(
    sqlite_network: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    words: str,
) -> None:
    """A large import on a full disk: one line; nothing written."""
    path = staff_file(tmp_path, 2000)
    full_disk(monkeypatch)
    assert main(["--db", sqlite_network.url, "--lang", lang, "import", "staff", str(path)]) == 1
    assert_one_plain_line(capsys.readouterr().err, words)
    monkeypatch.undo()
    with sqlite_network.reading() as session:
        assert session.query(Person).filter_by(email=SECRET_EMAIL).count() == 0


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "impossible de joindre la base de données postgresql+psycopg://certify:***@"),
        ("en", "cannot reach the database postgresql+psycopg://certify:***@127.0.0.1:9/x"),
    ],
)
def test_stopped_postgresql_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    """A server that does not answer (a closed port): one line, password hidden."""
    url = "postgresql+psycopg://certify:hunter2@127.0.0.1:9/x"
    path = staff_file(tmp_path, 2)
    assert main(["--db", url, "--lang", lang, "import", "staff", str(path)]) == 1
    err = capsys.readouterr().err
    assert_one_plain_line(err, words)
    assert "hunter2" not in err


@pytest.mark.postgres
def test_lost_connection_shows_no_parameters(tmp_path: Path) -> None:
    """The server drops the connection mid-transaction: no e-mail in the message or its log."""
    from tests.conftest import scratch_database

    with scratch_database("postgresql", tmp_path) as url:
        database = Database(url)
        admin = create_engine(url)
        try:
            with pytest.raises(DatabaseUnavailable) as caught, database.transaction() as session:
                pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
                with admin.begin() as connection:
                    connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                session.execute(text("SELECT :email"), {"email": SECRET_EMAIL})
        finally:
            admin.dispose()
            database.dispose()
    assert "cannot reach the database" in str(caught.value)
    assert SECRET_EMAIL not in str(caught.value) + caught.value.french
    assert SECRET_EMAIL not in str(caught.value.__cause__)


def test_constraint_violation_names_the_rule_not_the_value(network: Database) -> None:
    """A second person with the same e-mail: refused, naming the constraint, not the e-mail."""
    with network.transaction() as session:
        taken = session.query(Person).first()
        assert taken is not None
        email, site_id = taken.email, taken.site_id
    with pytest.raises(DatabaseRefused) as caught, network.transaction() as session:
        session.add(
            Person(
                given_name="Chloé",
                family_name=SECRET_NAME,
                email=email,
                site_id=site_id,
                active_from=date(2024, 1, 1),
            )
        )
        session.flush()
    error = caught.value
    assert error.french.startswith("la base de données refuse cette écriture")
    assert error.english.startswith("the database refused this write")
    assert "email" in error.english
    for text_shown in (error.french, error.english):
        assert email not in text_shown and SECRET_NAME not in text_shown
    assert SECRET_NAME not in str(error.__cause__)  # the statement's parameters are hidden


def test_a_value_too_long_is_refused_in_words(database: Database) -> None:
    """A value the column cannot hold (PostgreSQL checks lengths): a data error in words."""
    if database.is_sqlite:
        pytest.skip("SQLite does not enforce column lengths")
    with pytest.raises(DatabaseRefused) as caught, database.transaction() as session:
        session.execute(text("SELECT CAST(:v AS varchar(3))::int"), {"v": SECRET_NAME})
    assert caught.value.english.startswith("the database refused a value")
    assert SECRET_NAME not in caught.value.french + caught.value.english


def save_an_assessment(database: Database) -> None:
    """What a trainer's save does: record one assessment, audited."""
    with database.transaction() as session:
        trainer = session.query(Person).filter_by(family_name="Martin").one()
        learner = session.query(Person).filter_by(family_name="Petit").one()
        actor = load_actor(session, trainer.id, "formateur")
        competency = session.scalars(select(Competency.id).where(Competency.code == "ETH-01")).one()
        entry = NewAssessment(
            learner.id, competency, 2, date(2026, 5, 4), AssessmentMethod.OBSERVATION
        )
        record_assessments(session, actor, [entry], TODAY)


def test_a_save_during_a_large_import_check_succeeds(
    sqlite_network: Database, tmp_path: Path
) -> None:
    """While a large import is being checked, a trainer's save does not wait for it.

    The save moves the audit head, so the import checks its file again before writing.
    """
    path = staff_file(tmp_path, 3000)
    saved: list[bool] = []

    def save_midway(phase: str, done: int, total: int) -> None:
        """Halfway through the check, a trainer saves (locks wait 0.2 s only)."""
        if phase == "validation" and not saved and done >= total // 2:
            save_an_assessment(sqlite_network)
            saved.append(True)

    from certify.exchange import find_kind, import_file

    report = import_file(
        sqlite_network,
        Actor.system(),
        find_kind("staff"),
        path,
        today=TODAY,
        progress=save_midway,
    )
    assert saved == [True]
    assert report.written and not report.problems
    with sqlite_network.reading() as session:
        assert session.query(Person).filter_by(email=SECRET_EMAIL).count() == 1


def test_what_was_checked_is_what_is_written(network: Database, tmp_path: Path) -> None:
    """A row created by someone else during the check is seen: the import updates it."""
    path = staff_file(tmp_path, 2)
    created: list[bool] = []

    def create_meanwhile(phase: str, _done: int, _total: int) -> None:
        """During the check, the same person is added through another import."""
        if phase == "validation" and not created:
            created.append(True)
            first = staff_file(tmp_path / "other", 1)
            assert run_import(network, "staff", first, today=TODAY).written

    (tmp_path / "other").mkdir()
    from certify.exchange import find_kind, import_file

    report = import_file(
        network, Actor.system(), find_kind("staff"), path, today=TODAY, progress=create_meanwhile
    )
    assert created and not report.problems and report.plan is not None
    assert report.plan.created == 1  # only p1: the secret person was there when it wrote
    with network.reading() as session:
        assert session.query(Person).filter_by(email=SECRET_EMAIL).count() == 1


def test_a_database_that_keeps_changing_is_checked_inside_the_lock(
    network: Database, tmp_path: Path
) -> None:
    """Changed during each check outside the lock: the last check is made inside it."""
    path = staff_file(tmp_path, 3)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    meanwhile = [staff_file(tmp_path / "a", 1), staff_file(tmp_path / "b", 2)]
    checks: list[int] = []

    def another_import_each_time(phase: str, done: int, total: int) -> None:
        """Each check outside the lock sees another import land; the one inside, none."""
        if phase != "validation" or done != total:
            return
        checks.append(done)
        if len(checks) <= len(meanwhile):
            assert run_import(network, "staff", meanwhile[len(checks) - 1], today=TODAY).written

    from certify.exchange import find_kind, import_file

    report = import_file(
        network,
        Actor.system(),
        find_kind("staff"),
        path,
        today=TODAY,
        progress=another_import_each_time,
    )
    assert len(checks) == 3 and not report.problems and report.plan is not None
    assert report.plan.created == 1  # p2 only: the secret person and p1 came meanwhile
    with network.reading() as session:
        assert session.query(Person).filter(Person.email.like("p%@example.org")).count() == 2
