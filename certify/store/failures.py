"""Database failures in plain words: what went wrong, never the SQL nor its values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from certify.errors import (
    CertifyError,
    DatabaseBusy,
    DatabaseFull,
    DatabaseRefused,
    DatabaseUnavailable,
)

#: SQLite's primary result codes certify words (``sqlite3`` gives them as numbers).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_CONSTRAINT = 5, 6, 13, 19
#: SQLite codes of a file that cannot be opened, read or written.
SQLITE_UNREACHABLE = {8, 10, 11, 14, 26}  # READONLY, IOERR, CORRUPT, CANTOPEN, NOTADB
#: SQLite codes of a value the database will not store (TOOBIG, MISMATCH, RANGE).
SQLITE_DATA = {18, 20, 25}
#: PostgreSQL SQLSTATEs of a write that waited on, or collided with, another one.
PG_BUSY = {"40001", "40P01", "55P03", "57014"}
#: What SQLite names after "constraint failed:": a table and column, never a value.
_SQLITE_CONSTRAINT = re.compile(r"^(\w+) constraint failed(?::\s*([\w.]+))?")
#: After this, nothing was written.
_NOTHING_SAVED = ("rien n'a été enregistré", "nothing was saved")


def _sqlite_code(orig: Any) -> int | None:
    """SQLite's primary result code of a driver error, if it is one."""
    code = getattr(orig, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _constraint(orig: Any) -> str:
    """The name of the broken constraint (a schema name, never the offending value)."""
    diag = getattr(orig, "diag", None)
    if diag is not None:
        return diag.constraint_name or diag.column_name or "?"
    match = _SQLITE_CONSTRAINT.match(str(orig))
    if match is None:
        return "?"
    return " ".join(part for part in match.groups() if part)


def _busy() -> DatabaseBusy:
    """Another write held the database for longer than certify waits."""
    return DatabaseBusy(
        "la base de données est occupée par une autre écriture qui dure\u00a0: "
        f"{_NOTHING_SAVED[0]}, réessayez dans un instant",
        f"the database is busy with another, long write: {_NOTHING_SAVED[1]}; "
        "try again in a moment",
    )


def _full() -> DatabaseFull:
    """The disk (or the database's size limit) is full."""
    return DatabaseFull(
        f"le disque de la base de données est plein\u00a0: {_NOTHING_SAVED[0]}\u00a0; "
        "libérez de la place puis réessayez",
        f"the database's disk is full: {_NOTHING_SAVED[1]}; free some space and try again",
    )


def _unreachable(where: str) -> DatabaseUnavailable:
    """The server is stopped or unreachable, the connection was lost, or the file unusable."""
    return DatabaseUnavailable(
        f"impossible de joindre la base de données {where} (serveur arrêté ou injoignable, "
        f"connexion perdue, ou fichier illisible)\u00a0: {_NOTHING_SAVED[0]}",
        f"cannot reach the database {where} (server stopped or unreachable, connection "
        f"lost, or unreadable file): {_NOTHING_SAVED[1]}",
    )


def _broken_rule(orig: Any) -> DatabaseRefused:
    """A write that breaks a uniqueness, reference or check constraint."""
    name = _constraint(orig)
    return DatabaseRefused(
        "la base de données refuse cette écriture, contraire à une règle de ses données "
        f"(«\u00a0{name}\u00a0»)\u00a0: {_NOTHING_SAVED[0]}",
        f"the database refused this write, which breaks a rule of its data ({name!r}): "
        f"{_NOTHING_SAVED[1]}",
    )


def _bad_value() -> DatabaseRefused:
    """A value the database cannot store (too long, out of range, ill-formed)."""
    return DatabaseRefused(
        "la base de données refuse une valeur (trop longue, hors limites ou mal formée)\u00a0: "
        f"{_NOTHING_SAVED[0]}",
        f"the database refused a value (too long, out of range or ill-formed): {_NOTHING_SAVED[1]}",
    )


def _failed(orig: Any) -> DatabaseUnavailable:
    """Any other failure, named by its driver's error class only."""
    kind = type(orig).__name__
    return DatabaseUnavailable(
        f"la base de données a échoué ({kind})\u00a0: {_NOTHING_SAVED[0]}",
        f"the database failed ({kind}): {_NOTHING_SAVED[1]}",
    )


def _lost(error: DBAPIError, code: int | None, state: str) -> bool:
    """Whether the server or file could not be reached, or the connection dropped."""
    if error.connection_invalidated or isinstance(error, InterfaceError):
        return True
    if code in SQLITE_UNREACHABLE or state.startswith(("08", "57P")):
        return True
    return isinstance(error, OperationalError) and code is None and not state


def plain_failure(error: DBAPIError, where: str) -> CertifyError:
    """``error`` (from the database ``where``) as one plain line, in French and English.

    Neither the statement nor its parameters are kept in the message: only what went
    wrong (busy, full, unreachable, a broken rule, a bad value) and a schema name.
    """
    orig = error.orig
    code = _sqlite_code(orig)
    state = getattr(orig, "sqlstate", None) or ""
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or state in PG_BUSY:
        return _busy()
    if code == SQLITE_FULL or state.startswith("53"):
        return _full()
    if isinstance(error, IntegrityError) or code == SQLITE_CONSTRAINT or state.startswith("23"):
        return _broken_rule(orig)
    if code in SQLITE_DATA or state.startswith("22"):
        return _bad_value()
    if _lost(error, code, state):
        return _unreachable(where)
    return _failed(orig)


@contextmanager
def in_plain_words(where: str) -> Iterator[None]:
    """Re-raise any database failure inside as :func:`plain_failure` (chained, for logs)."""
    try:
        yield
    except DBAPIError as error:
        raise plain_failure(error, where) from error
