"""``certify privacy export``: everything certify holds about one person, as JSON (GDPR)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from certify.cli.common import acting, add_actor_option, open_database
from certify.errors import CertifyError
from certify.parsing import find_person
from certify.rules.wording import Lang
from certify.views.personal_data import personal_data_json


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``certify privacy``."""
    privacy = commands.add_parser(
        "privacy", help="données personnelles (RGPD) / personal data (GDPR)"
    )
    actions = privacy.add_subparsers(title="privacy commands", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="tout ce que certify détient sur une personne, en JSON / "
        "everything certify holds about one person, as JSON",
    )
    export.add_argument(
        "person", metavar="PERSON", help="la personne\u00a0: e-mail, n° ou nom / e-mail, id or name"
    )
    export.add_argument(
        "--output",
        metavar="FILE",
        type=Path,
        help="écrire dans ce fichier (sinon la sortie standard) / write to this file "
        "(default: standard output)",
    )
    export.add_argument("--lang", choices=["fr", "en"], default=argparse.SUPPRESS)
    add_actor_option(export)
    export.set_defaults(func=export_command)


def export_command(args: argparse.Namespace) -> int:
    """Print, or write to ``--output``, the personal data of one person."""
    lang: Lang = args.lang
    database = open_database(args)
    with database.reading() as session:
        actor = acting(session, args)
        person = find_person(session, args.person)
        document = personal_data_json(session, actor, person.id, lang)
    if args.output is None:
        sys.stdout.buffer.write(document)
        return 0
    try:
        args.output.write_bytes(document)
    except OSError as error:
        raise CertifyError(
            f"impossible d'écrire {args.output}\u00a0: {error.strerror}",
            f"cannot write {args.output}: {error.strerror}",
        ) from error
    return 0
