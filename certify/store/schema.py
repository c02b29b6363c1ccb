"""Schema versions: create, upgrade (with an SQLite backup first) and inspect."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection

from certify.errors import DatabaseUnavailable, SchemaTooNew
from certify.store.db import Database, create_private
from certify.store.statistics import analyze


def alembic_config() -> Config:
    """The Alembic configuration of certify's migrations."""
    config = Config()
    config.set_main_option("script_location", "certify:migrations")
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(database: Database) -> str | None:
    """The revision the database is at (``None``: empty, never migrated)."""
    with database.in_plain_words(), database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_known(revision: str | None) -> None:
    """Refuse a database written by a newer certify."""
    if revision is None:
        return
    scripts = ScriptDirectory.from_config(alembic_config())
    try:
        known = scripts.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise SchemaTooNew(
            f"la base de données est au schéma {revision}, plus récent que ce que ce certify "
            f"connaît ({head_revision()})\u00a0: mettez certify à jour",
            f"the database is at schema {revision}, newer than this certify knows "
            f"({head_revision()}): upgrade certify",
        )


def backup_sqlite(database: Database, revision: str) -> Path | None:
    """Copy an SQLite database file beside itself before upgrading it (owner only, 0600)."""
    path = database.engine.url.database
    if not database.is_sqlite or not path or path == ":memory:":
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(f"{path}.{revision}.{stamp}.bak")
    try:
        create_private(target)
        with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    except (OSError, sqlite3.Error) as error:
        target.unlink(missing_ok=True)
        raise DatabaseUnavailable(
            f"impossible de sauvegarder la base de données avant sa mise à jour ({target})"
            f"\u00a0: {error}\u00a0; elle n'a pas été modifiée",
            f"cannot back up the database before upgrading it ({target}): {error}; "
            "it was left unchanged",
        ) from error
    return target


def upgrade(database: Database, revision: str = "head") -> Path | None:
    """Bring the database to ``revision``; back up an SQLite file first.

    Returns the backup's path when one was made (an existing database that moved).
    """
    current = current_revision(database)
    check_known(current)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    backup = backup_sqlite(database, current) if current is not None else None
    config = alembic_config()
    with (
        database.in_plain_words(),
        database.engine.connect() as connection,
        _foreign_keys_checked_at_commit(connection, database.is_sqlite),
    ):
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        analyze(connection)
    return backup


@contextmanager
def _foreign_keys_checked_at_commit(connection: Connection, sqlite: bool) -> Iterator[None]:
    """A transaction around the block; on SQLite, foreign keys checked once at its end.

    SQLite's migrations rebuild a table to change it (copy, drop, rename), and dropping a
    table other rows refer to fails while foreign keys are enforced. So, as SQLite's own
    table-rebuild procedure says, they are off during the migration (a pragma, outside the
    transaction), every reference is checked before committing, and they are on again.
    """
    driver = connection.connection.driver_connection if sqlite else None
    if driver is not None:
        driver.execute("PRAGMA foreign_keys = OFF")
    try:
        with connection.begin():
            yield
            if driver is not None and (
                broken := driver.execute("PRAGMA foreign_key_check").fetchall()
            ):
                raise DatabaseUnavailable(
                    f"la mise à niveau laisserait {len(broken)} référence(s) sans cible "
                    f"(table {broken[0][0]})\u00a0: rien n'a été changé",
                    f"the upgrade would leave {len(broken)} reference(s) with no target "
                    f"(table {broken[0][0]}): nothing was changed",
                )
    finally:
        if driver is not None:
            driver.execute("PRAGMA foreign_keys = ON")


def is_current(database: Database) -> bool:
    """Whether the database is at the newest revision."""
    return current_revision(database) == head_revision()
