"""``certify privacy``: a person's data on request (``export``), a leaver pseudonymised
(``pseudonymise``), as the GDPR asks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from certify.cli.common import (
    acting,
    add_actor_option,
    add_date_option,
    chosen_date,
    open_database,
)
from certify.errors import CertifyError
from certify.parsing import find_person
from certify.rules.wording import Lang, Wording
from certify.services.pseudonymisation import Pseudonymisation, pseudonymisation, pseudonymise
from certify.views.personal_data import personal_data_json

#: The first line of a pseudonymisation's account.
PSEUDONYMISED = Wording(
    "{former} (n° {id}) devient «\u00a0{pseudonym}\u00a0»",
    "{former} (id {id}) becomes “{pseudonym}”",
)
#: The rows rewritten, then those deleted, by table.
REWRITTEN = Wording("  lignes réécrites\u00a0: ", "  rows rewritten: ")
DELETED = Wording("  lignes supprimées\u00a0: ", "  rows deleted: ")
#: The last line: nothing written (``--dry-run``), or done.
DRY_RUN = Wording(
    "Essai à blanc (--dry-run)\u00a0: rien n'a été écrit.",
    "Dry run (--dry-run): nothing was written.",
)
DONE = Wording(
    "Fait. Ses certificats restent vérifiables par leur numéro et leur code de vérification.",
    "Done. Their certificates still verify by their serial and verification code.",
)


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
    leaver = actions.add_parser(
        "pseudonymise",
        help="pseudonymiser une personne partie (noms et e-mail remplacés, dossiers gardés) / "
        "pseudonymise a person who left (names and e-mail replaced, records kept)",
    )
    leaver.add_argument(
        "person", metavar="PERSON", help="la personne\u00a0: e-mail, n° ou nom / e-mail, id or name"
    )
    leaver.add_argument(
        "--dry-run",
        action="store_true",
        help="dire ce qui changerait, sans rien écrire / say what would change, writing nothing",
    )
    add_date_option(leaver, "le jour de la pseudonymisation / the day of the pseudonymisation")
    leaver.add_argument("--lang", choices=["fr", "en"], default=argparse.SUPPRESS)
    add_actor_option(leaver)
    leaver.set_defaults(func=pseudonymise_command)


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


def pseudonymise_command(args: argparse.Namespace) -> int:
    """Pseudonymise one leaver, or say what that would change (``--dry-run``)."""
    lang: Lang = args.lang
    database = open_database(args)
    with database.transaction() as session:
        actor = acting(session, args)
        person = find_person(session, args.person)
        plan = pseudonymisation(session, actor, person.id, chosen_date(args))
        if not args.dry_run:
            pseudonymise(session, actor, plan)
    print(account(plan, lang, done=not args.dry_run))
    return 0


def account(plan: Pseudonymisation, lang: Lang, *, done: bool) -> str:
    """What a pseudonymisation changed (or would change), table by table."""
    lines = [
        PSEUDONYMISED.in_(lang).format(
            former=plan.former_name, id=plan.person_id, pseudonym=plan.pseudonym
        )
    ]
    counts = sorted(plan.counts().items())
    for gone, heading in ((False, REWRITTEN), (True, DELETED)):
        tables = [f"{table} {count}" for (table, deleted), count in counts if deleted is gone]
        if tables:
            lines.append(heading.in_(lang) + ", ".join(tables))
    lines.append((DONE if done else DRY_RUN).in_(lang))
    return "\n".join(lines)
