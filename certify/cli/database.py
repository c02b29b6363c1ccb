"""``certify init``, ``certify db upgrade|refresh``, ``certify info`` and the bare ``certify``."""

from __future__ import annotations

import argparse
import time
from datetime import date

from sqlalchemy import func, select

from certify.cli.common import open_database
from certify.cli.language import Say
from certify.model import Base
from certify.rules.wording import Wording, count
from certify.rules.written_dates import written_date
from certify.store.schema import check_known, current_revision, head_revision, upgrade
from certify.store.standings_cache import RefreshKind, refresh


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add the database commands."""
    init = commands.add_parser(
        "init",
        help=say(
            "créer ou mettre à niveau le schéma de la base", "create or upgrade the database schema"
        ),
    )
    init.set_defaults(func=init_command)

    db = commands.add_parser("db", help=say("entretien de la base", "database maintenance"))
    db_commands = db.add_subparsers(
        title=say("commandes de db", "db commands"),
        metavar=say("ACTION", "ACTION"),
        required=True,
    )
    db_upgrade = db_commands.add_parser(
        "upgrade",
        help=say(
            "mettre le schéma à niveau de cette version (SQLite\u00a0: copie d'abord)",
            "upgrade the schema to this version (SQLite: backup first)",
        ),
    )
    db_upgrade.set_defaults(func=upgrade_command)
    db_refresh = db_commands.add_parser(
        "refresh",
        help=say(
            "mettre à jour jusqu'à un jour le cache des situations derrière le tableau de bord "
            "(par exemple chaque nuit)",
            "bring the standings cache behind the dashboard up to a day (e.g. nightly)",
        ),
    )
    db_refresh.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar=say("AAAA-MM-JJ", "YYYY-MM-DD"),
        help=say("le jour (par défaut\u00a0: aujourd'hui)", "the day (default: today)"),
    )
    db_refresh.set_defaults(func=refresh_command)

    info = commands.add_parser(
        "info",
        help=say(
            "quelle base, quelle version du schéma, combien de lignes par table",
            "which database, schema version, rows per table",
        ),
    )
    info.set_defaults(func=info_command)


def init_command(args: argparse.Namespace) -> int:
    """Create the schema of a new database, or upgrade an existing one."""
    database, say = open_database(args), Say(args.lang)
    print(
        say(
            f"base prête\u00a0: {database.display_url} (schéma {head_revision()})",
            f"database ready: {database.display_url} (schema {head_revision()})",
        )
    )
    return 0


def upgrade_command(args: argparse.Namespace) -> int:
    """Upgrade explicitly and say what happened."""
    database, say = open_database(args, migrate=False), Say(args.lang)
    before = current_revision(database)
    backup = upgrade(database)
    after = head_revision()
    if before == after:
        print(
            say(
                f"schéma déjà en {after}\u00a0: rien à faire",
                f"schema already at {after}: nothing to do",
            )
        )
    else:
        print(
            say(
                f"schéma mis à niveau de {before or 'vide'} à {after}",
                f"schema upgraded from {before or 'empty'} to {after}",
            )
        )
        if backup is not None:
            print(
                say(
                    f"copie du fichier d'avant\u00a0: {backup}",
                    f"backup of the previous file: {backup}",
                )
            )
    return 0


#: How much a refresh computed again, in words.
REFRESHES = {
    RefreshKind.NONE: Wording("déjà à jour", "already current"),
    RefreshKind.PEOPLE: Wording("personnes touchées recalculées", "touched persons computed again"),
    RefreshKind.FULL: Wording("tout le réseau recalculé", "whole network computed again"),
}


def refresh_command(args: argparse.Namespace) -> int:
    """Refresh the standings cache and say how much was computed again."""
    database = open_database(args)
    started = time.perf_counter()
    day = args.as_of or date.today()
    with database.transaction() as session:
        done = refresh(session, day)
    seconds = f"{time.perf_counter() - started:.1f}"
    kind = REFRESHES[done.kind]
    persons = Wording(
        f"{count(done.people).fr} personne(s)", f"{count(done.people).en} person(s)"
    ).agreed(done.people)
    print(
        Say(args.lang)(
            f"situations du {written_date(day, 'fr')}\u00a0: {kind.fr}, {persons.fr}, "
            f"{seconds.replace('.', ',')}\u00a0s",
            f"standings of {written_date(day, 'en')}: {kind.en}, {persons.en}, {seconds} s",
        )
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
    database, say = open_database(args, migrate=False), Say(args.lang)
    revision = current_revision(database)
    check_known(revision)
    empty = say("vide (lancer certify init)", "empty (run certify init)")
    print(say(f"base\u00a0:   {database.display_url}", f"database: {database.display_url}"))
    print(
        say(
            f"schéma\u00a0: {revision or empty} (ce certify\u00a0: {head_revision()})",
            f"schema:   {revision or empty} (this certify: {head_revision()})",
        )
    )
    if revision != head_revision():
        return 0
    for name, rows in table_counts(args).items():
        print(f"  {name:<26} {count(rows).in_(args.lang):>9}")
    return 0


def status(args: argparse.Namespace) -> int:
    """Bare ``certify``: say where the database is and what to run next."""
    database, say = open_database(args, migrate=False), Say(args.lang)
    revision = current_revision(database)
    check_known(revision)
    print(
        say(
            f"certify — base {database.display_url}, schéma {revision or 'vide'}",
            f"certify — database {database.display_url}, schema {revision or 'empty'}",
        )
    )
    print(
        say(
            "À essayer\u00a0: certify demo (charger le réseau de démonstration), certify info, "
            "certify --help",
            "Try: certify demo (load the demo network), certify info, certify --help",
        )
    )
    return 0
