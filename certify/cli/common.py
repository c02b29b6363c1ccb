"""What every command needs: the database it was pointed at, upgraded if older."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from sqlalchemy.orm import Session

from certify.access.permissions import Actor
from certify.cli.language import Say
from certify.parsing import parse_date
from certify.services.accounts import actor_for
from certify.store.config import database_url
from certify.store.db import Database
from certify.store.schema import upgrade


def open_database(args: argparse.Namespace, *, migrate: bool = True) -> Database:
    """Open the chosen database; bring an older schema up to date (announcing any backup)."""
    database = Database(database_url(args.db))
    if migrate:
        backup = upgrade(database)
        if backup is not None:
            say = Say(args.lang)
            print(
                say(
                    f"base mise à niveau\u00a0; copie du fichier d'avant\u00a0: {backup}",
                    f"database upgraded; backup of the previous file: {backup}",
                ),
                file=sys.stderr,
            )
    return database


def subcommand(commands: argparse._SubParsersAction, *names: str) -> argparse.ArgumentParser:
    """The parser of a registered command, e.g. ``("audit", "verify")``, for a plugin to extend."""
    parser: argparse.ArgumentParser = commands.choices[names[0]]
    for name in names[1:]:
        [actions] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = actions.choices[name]
    return parser


def add_actor_option(parser: argparse.ArgumentParser, say: Say) -> None:
    """``--as USERNAME``: the account a write is made under (default: the system)."""
    parser.add_argument(
        "--as",
        dest="acting_user",
        metavar=say("IDENTIFIANT", "USERNAME"),
        default=os.environ.get("CERTIFY_USER"),
        help=say(
            "agir sous ce compte (par défaut\u00a0: $CERTIFY_USER, sinon l'administrateur système)",
            "act as this account (default: $CERTIFY_USER, else the system administrator)",
        ),
    )


def add_lang_option(parser: argparse.ArgumentParser, say: Say) -> None:
    """``--lang fr|en`` after the command too; without it, the global ``--lang`` holds."""
    parser.add_argument(
        "--lang",
        choices=["fr", "en"],
        default=argparse.SUPPRESS,
        help=say(
            "langue de ce que la commande affiche ou écrit (par défaut\u00a0: le --lang "
            "global, $CERTIFY_LANG, sinon fr)",
            "language of what the command prints or writes (default: the global --lang, "
            "$CERTIFY_LANG, else fr)",
        ),
    )


def add_date_option(parser: argparse.ArgumentParser, say: Say, help_text: str) -> None:
    """``--date``: a day written DD/MM/YYYY or YYYY-MM-DD (default: today)."""
    parser.add_argument(
        "--date",
        metavar="DATE",
        help=say(f"{help_text} (par défaut\u00a0: aujourd'hui)", f"{help_text} (default: today)"),
    )


def chosen_date(args: argparse.Namespace) -> date:
    """The ``--date`` given, or today."""
    return parse_date(args.date, "--date") if args.date else date.today()


def acting(session: Session, args: argparse.Namespace) -> Actor:
    """The actor named by ``--as``, or the system administrator."""
    return actor_for(session, args.acting_user) if args.acting_user else Actor.system()
