"""Planner statistics: refreshed after bulk writes, so queries use their indexes at once."""

from __future__ import annotations

from sqlalchemy import Connection, text

#: Rows SQLite's ANALYZE samples per index: enough for the planner, milliseconds at any size.
SQLITE_ANALYSIS_LIMIT = 1000


def analyze(connection: Connection) -> None:
    """Refresh the query planner's statistics of every table (SQLite or PostgreSQL).

    SQLite keeps none until told, and without them plans some hot queries badly. A
    session's work passes ``session.connection()``.
    """
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}"))
    connection.execute(text("ANALYZE"))
