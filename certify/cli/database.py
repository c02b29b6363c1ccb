"""``certify init``, ``certify db upgrade|refresh``, ``certify info`` and the bare ``certify``."""

from __future__ import annotations

import argparse
import time
from datetime import date

from sqlalchemy import func, select

from certify.cli.common import open_database
from certify.model import Base
from certify.store.schema import check_known, current_revision, head_revision, upgrade
from certify.store.standings_cache import refresh


def register(commands: argparse._SubParsersAction) -> None:
    """Add the database commands."""
    init = commands.add_parser("init", help="create or upgrade the database schema")
    init.set_defaults(func=init_command)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(title="db commands", metavar="ACTION", required=True)
    db_upgrade = db_commands.add_parser(
        "upgrade", help="upgrade the schema to this version (SQLite: backup first)"
    )
    db_upgrade.set_defaults(func=upgrade_command)
    db_refresh = db_commands.add_parser(
        "refresh",
        help="bring the standings cache behind the dashboard up to a day (e.g. nightly)",
    )
    db_refresh.add_argument(
        "--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD", help="the day (default: today)"
    )
    db_refresh.set_defaults(func=refresh_command)

    info = commands.add_parser("info", help="which database, schema version, rows per table")
    info.set_defaults(func=info_command)


def init_command(args: argparse.Namespace) -> int:
    """Create the schema of a new database, or upgrade an existing one."""
    database = open_database(args)
    print(f"database ready: {database.display_url} (schema {head_revision()})")
    return 0


def upgrade_command(args: argparse.Namespace) -> int:
    """Upgrade explicitly and say what happened."""
    database = open_database(args, migrate=False)
    before = current_revision(database)
    backup = upgrade(database)
    after = head_revision()
    if before == after:
        print(f"schema already at {after}: nothing to do")
    else:
        print(f"schema upgraded from {before or 'empty'} to {after}")
        if backup is not None:
            print(f"backup of the previous file: {backup}")
    return 0


def refresh_command(args: argparse.Namespace) -> int:
    """Refresh the standings cache and say how much was computed again."""
    database = open_database(args)
    started = time.perf_counter()
    day = args.as_of or date.today()
    with database.transaction() as session:
        done = refresh(session, day)
    seconds = time.perf_counter() - started
    print(
        f"standings of {day.isoformat()}: {done.kind} refresh, "
        f"{done.people} persons, {seconds:.1f} s"
    )
    return 0


def table_counts(args: argparse.Namespace) -> dict[str, int]:
    """Rows in every table, counted in one query."""
    database = open_database(args, migrate=False)
    tables = Base.metadata.sorted_tables
    counts = [select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables]
    with database.reading() as session:
        row = session.execute(select(*counts)).one()
    return dict(zip([t.name for t in tables], row, strict=True))


def info_command(args: argparse.Namespace) -> int:
    """Print the database URL, its schema version and the rows in each table."""
    database = open_database(args, migrate=False)
    revision = current_revision(database)
    check_known(revision)
    print(f"database: {database.display_url}")
    print(f"schema:   {revision or 'empty (run certify init)'} (this certify: {head_revision()})")
    if revision != head_revision():
        return 0
    for name, count in table_counts(args).items():
        print(f"  {name:<26} {count:>9,}".replace(",", " "))
    return 0


def status(args: argparse.Namespace) -> int:
    """Bare ``certify``: say where the database is and what to run next."""
    database = open_database(args, migrate=False)
    revision = current_revision(database)
    check_known(revision)
    print(f"certify — database {database.display_url}, schema {revision or 'empty'}")
    print("Try: certify demo (load the demo network), certify info, certify --help")
    return 0
