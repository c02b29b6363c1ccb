"""Engines and transactions on SQLite (WAL, foreign keys on) or PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from certify.errors import DatabaseUnavailable
from certify.store.failures import in_plain_words

#: Milliseconds an SQLite connection waits for another's write lock before giving up.
BUSY_TIMEOUT_MS = 10_000
#: Execution option asking SQLite to take the write lock when the transaction begins.
WRITES = "certify_writes"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Turn on foreign keys and WAL on every new SQLite connection.

    The driver's own implicit BEGIN is switched off so that ``_sqlite_begin`` decides.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Begin IMMEDIATE for writing transactions, so concurrent writers queue, not fail."""
    writes = connection.get_execution_options().get(WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def create_private(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only (0600), unless it exists."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def prepare_file(path: Path) -> None:
    """Create a missing SQLite file 0600, and its folder; a plain line if that fails."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        create_private(path)
    except OSError as error:
        raise DatabaseUnavailable(
            f"impossible de créer la base de données {path}\u00a0: {error.strerror}",
            f"cannot create the database {path}: {error.strerror}",
        ) from error


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; a missing SQLite file is created 0600 (and its folder).

    Engines never show a statement's parameters (names, e-mails…) in their errors.
    """
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                prepare_file(Path(parsed.database))
            engine = create_engine(
                url, connect_args={"check_same_thread": False}, hide_parameters=True
            )
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise DatabaseUnavailable(
            f"URL de base de données invalide {url!r}\u00a0: {error}",
            f"invalid database URL {url!r}: {error}",
        ) from error


def align_sequences(session: Session) -> None:
    """After rows were written with explicit ids, move PostgreSQL sequences past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from certify.model import Base

    for table in Base.metadata.sorted_tables:
        key = table.autoincrement_column
        if key is None:
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key.name}'), "
                f"COALESCE((SELECT max({key.name}) FROM {table.name}), 0) + 1, false)"
            )
        )


class Database:
    """One database: its engine and the sessions opened on it."""

    def __init__(self, url: str) -> None:
        """Connect lazily to ``url``."""
        #: The SQLAlchemy URL of the database.
        self.url = url
        #: The engine every session of this database uses.
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writing_sessions = sessionmaker(
            self.engine.execution_options(**{WRITES: True}), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite backend."""
        return self.engine.dialect.name == "sqlite"

    @property
    def display_url(self) -> str:
        """The URL with any password hidden."""
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on any error.

        A database failure inside comes out as one plain line (see ``store.failures``).
        """
        with self.in_plain_words(), self._writing_sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; nothing it does is committed; failures in plain words."""
        with self.in_plain_words(), self._sessions() as session:
            yield session

    def in_plain_words(self) -> AbstractContextManager[None]:
        """A block whose database failures become one plain line naming this database."""
        return in_plain_words(self.display_url)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
