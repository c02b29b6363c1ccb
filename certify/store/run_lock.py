"""One run at a time of a job on a database (``certify remind`` from cron): a second run
started while the first still works is refused instead of doing the same work twice.

SQLite: an ``flock`` on ``<database>.<job>.lock`` beside the file; PostgreSQL: a session
advisory lock keyed by the job and the schema (tests share a server, each its schema).
"""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import make_url, text

from certify.errors import CertifyError
from certify.store.db import Database


class AlreadyRunning(CertifyError):
    """Another run of the job holds the lock."""

    def __init__(self, job: str) -> None:
        """Name the job."""
        super().__init__(
            f"certify {job} tourne déjà sur cette base\u00a0: rien n'est fait par celui-ci",
            f"certify {job} is already running on this database: this one does nothing",
        )


@contextmanager
def one_run_at_a_time(database: Database, job: str) -> Iterator[None]:
    """Hold ``job``'s lock on ``database`` while the block runs, or raise AlreadyRunning."""
    if database.is_sqlite:
        name = make_url(database.url).database
        if not name or name == ":memory:":
            yield
            return
        path = Path(name)
        descriptor = os.open(
            path.with_name(f"{path.name}.{job}.lock"), os.O_RDWR | os.O_CREAT, 0o600
        )
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise AlreadyRunning(job) from None
            yield
        finally:
            os.close(descriptor)
        return
    with database.in_plain_words(), database.engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        key = zlib.crc32(f"certify {job} {schema}".encode())
        if not connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
            raise AlreadyRunning(job)
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            connection.commit()
