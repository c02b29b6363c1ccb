"""The ``certify`` command line: one module per command group, each with ``register``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

from certify import __version__
from certify.cli import accounts, certification, database, demo, exchange
from certify.errors import CertifyError

Register = Callable[[argparse._SubParsersAction], None]

#: The core's own command groups, in help order.
CORE_COMMANDS: list[Register] = [
    database.register,
    certification.register,
    accounts.register,
    demo.register,
    exchange.register,
]

#: Entry-point group through which outer packages (certificates, tui) add commands.
PLUGIN_GROUP = "certify.commands"
#: Entry-point group naming what bare ``certify`` runs (the terminal UI, when installed).
INTERACTIVE_GROUP = "certify.interactive"


def command_registrars() -> list[Register]:
    """The core's command groups, then those the installed outer packages plug in."""
    plugins = sorted(entry_points(group=PLUGIN_GROUP), key=lambda point: point.name)
    return [*CORE_COMMANDS, *(point.load() for point in plugins)]


def interactive() -> Callable[[argparse.Namespace], int]:
    """What bare ``certify`` runs: the installed terminal UI, else the database status."""
    for point in entry_points(group=INTERACTIVE_GROUP):
        return point.load()
    return database.status


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="certify",
        description=(
            "certify — certification des compétences et suivi des formations du réseau "
            "des Cités des métiers / competency certification and training tracker."
        ),
    )
    parser.add_argument("--version", action="version", version=f"certify {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="SQLite file or SQLAlchemy URL (default: $CERTIFY_DATABASE_URL, "
        "then certify.db in the user's data folder)",
    )
    parser.add_argument(
        "--lang",
        choices=["fr", "en"],
        default=os.environ.get("CERTIFY_LANG", "fr"),
        help="language of the interface (default: $CERTIFY_LANG, else fr)",
    )
    parser.set_defaults(func=interactive())
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in command_registrars():
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; expected failures print one line and exit non-zero."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CertifyError as error:
        print(f"certify: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("certify: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
