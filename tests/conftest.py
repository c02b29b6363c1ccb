"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL tests use ``CERTIFY_TEST_POSTGRES_URL`` (e.g.
``postgresql+psycopg://certify:certify@127.0.0.1/certify_test``); each test gets a
schema of its own, dropped afterwards. Without the variable they skip, except in CI
(``CI=true``) where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from certify.store.db import Database
from certify.store.schema import upgrade

POSTGRES_ENV = "CERTIFY_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_url() -> str:
    """The test server's URL, or skip (fail in CI) when there is none."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    reason = (
        f"PostgreSQL tests need a server: set {POSTGRES_ENV}="
        "postgresql+psycopg://USER:PASSWORD@127.0.0.1/DBNAME (.ci/run does)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def scratch_database(backend: str, folder: Path) -> Iterator[str]:
    """An empty database URL: a file in ``folder``, or a PostgreSQL schema dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'certify.db'}"
        return
    base = postgres_url()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on the backend named by the test's parameter."""
    with scratch_database(getattr(request, "param", "sqlite"), tmp_path) as url:
        yield url


@pytest.fixture
def empty_database(database_url: str) -> Iterator[Database]:
    """A database with no schema yet."""
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def database(empty_database: Database) -> Database:
    """A database migrated to the newest schema, with no rows."""
    upgrade(empty_database)
    return empty_database


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses a database on both backends."""
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


@pytest.fixture(autouse=True)
def private_keys_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reaches the user's real key ring: ``$CERTIFY_KEYS_DIR`` is a fresh folder
    (the demo makes a ring there) and no passphrase comes from the developer's shell."""
    monkeypatch.setenv("CERTIFY_KEYS_DIR", str(tmp_path_factory.mktemp("keys") / "ring"))
    monkeypatch.delenv("CERTIFY_KEY_PASSPHRASE", raising=False)
