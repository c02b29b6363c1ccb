"""Where the database is: ``--db``, ``CERTIFY_DATABASE_URL`` or the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

#: Environment variable holding an SQLAlchemy URL (e.g. ``postgresql+psycopg://…``).
DATABASE_URL_ENV = "CERTIFY_DATABASE_URL"


def default_database_path() -> Path:
    """The embedded SQLite file in the user's data directory."""
    return user_data_path("certify", appauthor=False) / "certify.db"


def database_url(db: str | None = None) -> str:
    """Resolve the database URL: an explicit path or URL, then the environment, then default.

    ``db`` may be a file path (SQLite) or any SQLAlchemy URL.
    """
    chosen = db or os.environ.get(DATABASE_URL_ENV)
    if chosen and "://" in chosen:
        return chosen
    path = Path(chosen).expanduser() if chosen else default_database_path()
    return f"sqlite:///{path.resolve()}"
