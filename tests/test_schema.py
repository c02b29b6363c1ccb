"""Migrations build exactly the models' schema and upgrade old databases without loss."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from certify.cli import main
from certify.errors import DatabaseUnavailable, SchemaTooNew
from certify.model import Base
from certify.store import schema
from certify.store.audit import verify_chain
from certify.store.db import Database
from certify.store.schema import current_revision, head_revision, upgrade
from tests.test_status_entries import seed_certificates_at_0008


def test_migrations_produce_the_models_schema(database: Database) -> None:
    """Autogenerate finds no difference between the migrated database and the models."""
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert current_revision(database) == head_revision()


def seed_revision_0001(database: Database) -> None:
    """Rows a user of the first release could have written, including audit events."""
    statements = [
        "INSERT INTO region (id, name, country) VALUES (1, 'Bretagne', 'FR')",
        "INSERT INTO site (id, code, name, kind, region_id, city) VALUES "
        "(1, 'ARMOR', 'Cité des métiers des Côtes d''Armor', 'cite_des_metiers', 1, "
        "'Ploufragan')",
        "INSERT INTO person (id, given_name, family_name, email, site_id, active_from) VALUES "
        "(1, 'Łukasz', 'Wróbel', 'lukasz.wrobel@example.org', 1, '2024-01-02')",
        "INSERT INTO person_role (person_id, role) VALUES (1, 'counsellor')",
    ]
    with database.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
        for number in range(3):
            connection.execute(
                text(
                    "INSERT INTO audit_event (occurred_at, actor_id, action, entity_type, "
                    "entity_key, details) VALUES (:at, NULL, 'person.created', 'person', "
                    ":key, :details)"
                ),
                {
                    "at": datetime(2025, 1, 1 + number, 9, 30, tzinfo=UTC),
                    "key": str(number),
                    "details": json.dumps({"after": {"n": number}}),
                },
            )


def mode(path: Path) -> int:
    """The permission bits of ``path``."""
    return stat.S_IMODE(path.stat().st_mode)


def test_sqlite_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    """The database (password hashes, personal data) and its WAL are created 0600."""
    path = tmp_path / "new" / "certify.db"
    assert main(["--db", str(path), "init"]) == 0
    assert mode(path) == 0o600
    assert mode(path.with_name("certify.db-wal")) == 0o600


def test_a_backup_that_fails_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backup cut short (a full disk) is removed; the upgrade stops in one plain line."""
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(database, "0001")

    class FullDisk(sqlite3.Connection):
        """A connection whose copies fail as on a full disk."""

        def backup(self, *_args: object, **_kwargs: object) -> None:
            """Fail part-way, as SQLite does when the disk fills."""
            raise sqlite3.OperationalError("database or disk is full")

    def connect(path: str) -> sqlite3.Connection:
        """Connections on a full disk."""
        return sqlite3.connect(path, factory=FullDisk)

    monkeypatch.setattr(schema, "sqlite3", SimpleNamespace(connect=connect, Error=sqlite3.Error))
    with pytest.raises(DatabaseUnavailable, match="cannot back up the database"):
        upgrade(database)
    database.dispose()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".bak"] == []
    assert current_revision(Database(f"sqlite:///{tmp_path / 'old.db'}")) == "0001"


def test_upgrade_from_first_revision_keeps_data(empty_database: Database) -> None:
    """A database written at 0001 upgrades to head with its rows and a verifiable chain."""
    upgrade(empty_database, "0001")
    seed_revision_0001(empty_database)
    backup = upgrade(empty_database)
    assert current_revision(empty_database) == head_revision()
    with empty_database.reading() as session:
        name = session.execute(text("SELECT given_name || ' ' || family_name FROM person"))
        assert name.scalar_one() == "Łukasz Wróbel"
        assert session.execute(text("SELECT count(*) FROM audit_event")).scalar_one() == 3 + 1
        assert verify_chain(session).intact
    if empty_database.is_sqlite:
        assert backup is not None and backup.exists()
        assert mode(backup) == 0o600
        backup_db = Database(f"sqlite:///{backup}")
        assert current_revision(backup_db) == "0001"
        backup_db.dispose()
    else:
        assert backup is None


def test_newer_schema_is_refused(database: Database) -> None:
    """A database written by a newer certify is not touched."""
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaTooNew, match="9999"):
        upgrade(database)


def test_cli_reports_newer_schema_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line says what is wrong in one line and exits non-zero."""
    path = tmp_path / "future.db"
    assert main(["--db", str(path), "init"]) == 0
    database = Database(f"sqlite:///{path}")
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.dispose()
    assert main(["--db", str(path), "info"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "plus récent que ce que ce certify connaît" in error
    assert main(["--db", str(path), "--lang", "en", "info"]) == 1
    assert "newer than this certify knows" in capsys.readouterr().err


def test_unreachable_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """An unreachable server gives one line naming it, not a traceback."""
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:9/none"
    assert main(["--db", url, "info"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "127.0.0.1:9" in error and "secret" not in error


def test_default_database_lives_in_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no --db and no environment variable, certify uses its data folder."""
    monkeypatch.delenv("CERTIFY_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["init"]) == 0
    assert (tmp_path / "certify" / "certify.db").exists()
    assert main(["info"]) == 0
    assert str(tmp_path / "certify" / "certify.db") in capsys.readouterr().out


def test_a_database_that_cannot_be_created_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database path under a file (not a folder): one line saying so, no traceback."""
    (tmp_path / "notes.txt").write_text("not a folder")
    assert main(["--db", str(tmp_path / "notes.txt" / "certify.db"), "--lang", "en", "init"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "cannot create the database" in error


def sqlite_file_at_0008(tmp_path: Path) -> Database:
    """A file database at revision 0008 holding people and their certificates."""
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(database, "0008")
    seed_certificates_at_0008(database)
    return database


def test_an_sqlite_upgrade_rebuilds_tables_others_refer_to(tmp_path: Path) -> None:
    """Migrations that rebuild ``person`` (which sites' staff rows refer to) upgrade a
    database with people in it; foreign keys are enforced again afterwards."""
    database = sqlite_file_at_0008(tmp_path)
    upgrade(database)
    assert current_revision(database) == head_revision()
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("SELECT site_id FROM person")).scalar_one() == 1
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(text("UPDATE person SET site_id = 99"))
    database.dispose()


def test_an_sqlite_upgrade_with_a_dangling_reference_changes_nothing(tmp_path: Path) -> None:
    """A tampered database whose rows refer to nothing: the upgrade says so, and the
    database stays at its revision."""
    database = sqlite_file_at_0008(tmp_path)
    raw = sqlite3.connect(tmp_path / "old.db")
    raw.execute("UPDATE person SET site_id = 99")
    raw.commit()
    raw.close()
    with pytest.raises(DatabaseUnavailable, match="no target"):
        upgrade(database)
    assert current_revision(database) == "0008"
    database.dispose()
