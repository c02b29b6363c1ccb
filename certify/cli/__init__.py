"""The ``certify`` command line: one module per command group, each with ``register``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from importlib.metadata import entry_points

from certify import __version__
from certify.cli.language import Say, environment_lang, speak, typeset
from certify.errors import CertifyError
from certify.rules.wording import Lang, Wording

#: How a command group adds its commands, their help in the language chosen.
Register = Callable[[argparse._SubParsersAction, Say], None]

#: The core's own command modules (in ``certify.cli``), in help order; each has ``register``.
CORE_COMMANDS = [
    "database",
    "certification",
    "accounts",
    "reminders",
    "privacy",
    "demo",
    "exchange",
]

#: Entry-point group through which outer packages (certificates, tui) add commands.
PLUGIN_GROUP = "certify.commands"
#: Entry-point group naming what bare ``certify`` runs (the terminal UI, when installed).
INTERACTIVE_GROUP = "certify.interactive"
#: Entry-point group of what outer packages add to the demo once it is loaded (the
#: certificates' demo issuer): each is called as ``extra(database, day, say)`` with the
#: demo's database, its day and a function telling the user one line (a :class:`Wording`,
#: said in the user's language).
DEMO_EXTRAS_GROUP = "certify.demo_extras"


def command_registrars() -> list[Register]:
    """The core's command groups, then those the installed outer packages plug in."""
    core = [import_module(f"certify.cli.{name}").register for name in CORE_COMMANDS]
    plugins = sorted(entry_points(group=PLUGIN_GROUP), key=lambda point: point.name)
    return [*core, *(point.load() for point in plugins)]


def interactive() -> Callable[[argparse.Namespace], int]:
    """What bare ``certify`` runs: the installed terminal UI, else the database status."""
    for point in entry_points(group=INTERACTIVE_GROUP):
        return point.load()
    return import_module("certify.cli.database").status


def global_options(say: Say, *, add_help: bool) -> argparse.ArgumentParser:
    """A parser of the options every command shares (``--db``, ``--lang``, ``--version``)."""
    parser = argparse.ArgumentParser(
        prog="certify",
        add_help=add_help,
        description=say(
            "certify — certification des compétences et suivi des formations du réseau "
            "des Cités des métiers.",
            "certify — competency certification and training tracker of the Cités des "
            "métiers network.",
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"certify {__version__}",
        help=say("afficher la version et quitter", "show the version and exit"),
    )
    parser.add_argument(
        "--db",
        metavar=say("FICHIER_OU_URL", "PATH_OR_URL"),
        help=say(
            "fichier SQLite ou URL SQLAlchemy (par défaut\u00a0: $CERTIFY_DATABASE_URL, "
            "sinon certify.db dans le dossier de données de l'utilisateur)",
            "SQLite file or SQLAlchemy URL (default: $CERTIFY_DATABASE_URL, "
            "then certify.db in the user's data folder)",
        ),
    )
    parser.add_argument(
        "--lang",
        choices=["fr", "en"],
        default=environment_lang(),
        help=say(
            "langue de l'interface (par défaut\u00a0: $CERTIFY_LANG, sinon fr)",
            "language of the interface (default: $CERTIFY_LANG, else fr)",
        ),
    )
    return parser


def build_parser(lang: Lang = "fr") -> argparse.ArgumentParser:
    """The full argument parser in ``lang``, with every sub-command registered."""
    say = speak(lang)
    parser = global_options(say, add_help=True)
    parser.set_defaults(func=interactive())
    commands = parser.add_subparsers(
        title=say("commandes", "commands"), metavar=say("COMMANDE", "COMMAND")
    )
    for register in command_registrars():
        register(commands, say)
    typeset(parser, lang)
    return parser


#: What an expected failure's line starts with.
ERROR = Wording("certify\u00a0: erreur\u00a0: ", "certify: error: ")
#: What stopping with ctrl+c prints.
INTERRUPTED = Wording("certify\u00a0: interrompu", "certify: interrupted")


def error_line(message: Wording | CertifyError, lang: Lang) -> str:
    """The one line an expected failure prints: « certify : erreur : … » in French."""
    return f"{ERROR.in_(lang)}{message.in_(lang)}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; expected failures print one line and exit non-zero.

    Without a command, only the shared options are parsed and no command module is
    loaded, so the interactive app starts fast.
    """
    args, rest = global_options(speak(environment_lang()), add_help=False).parse_known_args(argv)
    if rest:
        args = build_parser(args.lang).parse_args(argv)
    else:
        args.func = interactive()
    try:
        return int(args.func(args) or 0)
    except CertifyError as error:
        print(error_line(error, args.lang), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(INTERRUPTED.in_(args.lang), file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a reader that stopped early (e.g. head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
