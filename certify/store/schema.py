"""Schema versions: create, upgrade (with an SQLite backup first) and inspect."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from certify.errors import DatabaseUnavailable, SchemaTooNew
from certify.store.db import Database, create_private


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
            f"connaît ({head_revision()}) : mettez certify à jour",
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
    with database.in_plain_words(), database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return backup


def is_current(database: Database) -> bool:
    """Whether the database is at the newest revision."""
    return current_revision(database) == head_revision()
