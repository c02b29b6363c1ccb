"""``certify privacy``: a person's data on request (``export``), a leaver pseudonymised
(``pseudonymise``), the retention periods applied (``retention``), as the GDPR asks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from certify.cli.common import (
    acting,
    add_actor_option,
    add_date_option,
    add_lang_option,
    chosen_date,
    open_database,
)
from certify.cli.language import Say
from certify.errors import CertifyError
from certify.parsing import find_person
from certify.rules import retention as periods
from certify.rules.retention import RetentionPeriods
from certify.rules.wording import Lang, Wording
from certify.rules.wording import count as grouped
from certify.rules.written_dates import written_date
from certify.services.pseudonymisation import Pseudonymisation, pseudonymisation, pseudonymise
from certify.services.retention import Retention, apply_retention, retention
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
PSEUDONYMISATION_DONE = Wording(
    "Fait. Ses certificats restent vérifiables par leur numéro et leur code de vérification.",
    "Done. Their certificates still verify by their serial and verification code.",
)


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``certify privacy``."""
    privacy = commands.add_parser(
        "privacy", help=say("données personnelles (RGPD)", "personal data (GDPR)")
    )
    actions = privacy.add_subparsers(
        title=say("commandes de privacy", "privacy commands"),
        metavar=say("ACTION", "ACTION"),
        required=True,
    )
    export = _action(
        actions,
        say,
        "export",
        say(
            "tout ce que certify détient sur une personne, en JSON",
            "everything certify holds about one person, as JSON",
        ),
        export_command,
    )
    _person(export, say)
    export.add_argument(
        "--output",
        metavar=say("FICHIER", "FILE"),
        type=Path,
        help=say(
            "écrire dans ce fichier (par défaut\u00a0: la sortie standard)",
            "write to this file (default: standard output)",
        ),
    )
    leaver = _action(
        actions,
        say,
        "pseudonymise",
        say(
            "pseudonymiser une personne partie (noms et e-mail remplacés, dossiers gardés)",
            "pseudonymise a person who left (names and e-mail replaced, records kept)",
        ),
        pseudonymise_command,
    )
    _person(leaver, say)
    _dry_run_and_date(
        leaver,
        say,
        say("le jour de la pseudonymisation", "the day of the pseudonymisation"),
    )
    kept = _action(
        actions,
        say,
        "retention",
        say(
            "appliquer les durées de conservation (personnes parties, preuves échues, échecs "
            "de connexion)",
            "apply the retention periods (leavers, lapsed evidence, failed sign-ins)",
        ),
        retention_command,
    )
    for option, default, unit in (
        (
            "--departed-years",
            periods.DEPARTED_YEARS,
            say("ans après le départ", "years after leaving"),
        ),
        (
            "--evidence-years",
            periods.EVIDENCE_YEARS,
            say("ans après l'échéance", "years after lapsing"),
        ),
        ("--sign-in-days", periods.SIGN_IN_DAYS, say("jours", "days")),
    ):
        kept.add_argument(
            option, type=int, default=default, metavar="N", help=f"{unit} ({default})"
        )
    _dry_run_and_date(
        kept,
        say,
        say("le jour où les durées sont appliquées", "the day the periods apply on"),
    )


def _action(
    actions: argparse._SubParsersAction,
    say: Say,
    name: str,
    help_text: str,
    func: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """A ``certify privacy`` command, with ``--lang`` and ``--as``."""
    parser: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
    add_lang_option(parser, say)
    add_actor_option(parser, say)
    parser.set_defaults(func=func)
    return parser


def _person(parser: argparse.ArgumentParser, say: Say) -> None:
    """The person a command is about."""
    parser.add_argument(
        "person",
        metavar=say("PERSONNE", "PERSON"),
        help=say("la personne\u00a0: e-mail, n° ou nom", "the person: e-mail, id or name"),
    )


def _dry_run_and_date(parser: argparse.ArgumentParser, say: Say, day: str) -> None:
    """``--dry-run`` (say what would change, write nothing) and ``--date``."""
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help=say(
            "essai à blanc\u00a0: dire ce qui changerait, sans rien écrire",
            "say what would change, writing nothing",
        ),
    )
    add_date_option(parser, say, day)


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
    lines.append((PSEUDONYMISATION_DONE if done else DRY_RUN).in_(lang))
    return "\n".join(lines)


#: The periods applied, first line of a retention's account.
PERIODS = Wording(
    "Durées de conservation\u00a0: personnes parties {departed} après leur départ, preuves "
    "{evidence} après leur échéance, échecs de connexion {sign_in}",
    "Retention periods: people who left {departed} after leaving, evidence {evidence} after "
    "lapsing, failed sign-ins {sign_in}",
)
#: Periods, in years and days.
YEARS = Wording("{n} an(s)", "{n} year(s)")
DAYS = Wording("{n} jour(s)", "{n} day(s)")
#: What goes, one line each.
LEAVERS = Wording(
    "  {count} personne(s) partie(s) au plus tard le {day}, pseudonymisée(s)\u00a0: {names}",
    "  {count} leaver(s) gone on {day} at the latest, pseudonymised: {names}",
)
ASSESSMENTS = Wording(
    "  {count} évaluation(s) échue(s) au plus tard le {day}, supprimée(s)",
    "  {count} assessment(s) lapsed on {day} at the latest, deleted",
)
ATTENDANCE = Wording(
    "  {count} présence(s) dont la validité a pris fin au plus tard le {day}, supprimée(s)",
    "  {count} attendance record(s) whose completion lapsed on {day} at the latest, deleted",
)
SIGN_INS = Wording(
    "  {count} échec(s) de connexion de plus de {days}, effacé(s)",
    "  {count} failed sign-in record(s) older than {days}, deleted",
)
NOTHING = Wording("  Rien n'a dépassé sa durée de conservation.", "  Nothing is past its period.")
RETENTION_DONE = Wording("Fait.", "Done.")


def retention_command(args: argparse.Namespace) -> int:
    """Apply the retention periods, or say what would go (``--dry-run``)."""
    lang: Lang = args.lang
    chosen = RetentionPeriods(args.departed_years, args.evidence_years, args.sign_in_days)
    database = open_database(args)
    with database.transaction() as session:
        actor = acting(session, args)
        plan = retention(session, actor, chosen, chosen_date(args), datetime.now(UTC))
        if not args.dry_run:
            apply_retention(session, actor, plan)
    print(retention_account(plan, lang, done=not args.dry_run))
    return 0


def retention_account(plan: Retention, lang: Lang, *, done: bool) -> str:
    """What applying the periods removed (or would remove)."""
    chosen, today = plan.periods, plan.today
    lines = [
        PERIODS.in_(lang).format(
            departed=_counted(YEARS, chosen.departed_years, lang),
            evidence=_counted(YEARS, chosen.evidence_years, lang),
            sign_in=_counted(DAYS, chosen.sign_in_days, lang),
        )
    ]
    if plan.leavers:
        names = ", ".join(f"{leaver.former_name} ({leaver.person_id})" for leaver in plan.leavers)
        day = written_date(chosen.departed_by(today), lang)
        lines.append(_counted(LEAVERS, len(plan.leavers), lang, day=day, names=names))
    lapsed_by = written_date(chosen.lapsed_by(today), lang)
    for wording, items in ((ASSESSMENTS, plan.assessment_ids), (ATTENDANCE, plan.attendance_keys)):
        if items:
            lines.append(_counted(wording, len(items), lang, day=lapsed_by))
    if plan.sign_in_ids:
        days = _counted(DAYS, chosen.sign_in_days, lang)
        lines.append(_counted(SIGN_INS, len(plan.sign_in_ids), lang, days=days))
    if plan.nothing:
        lines.append(NOTHING.in_(lang))
    lines.append((RETENTION_DONE if done else DRY_RUN).in_(lang))
    return "\n".join(lines)


def _counted(wording: Wording, count: int, lang: Lang, **values: str) -> str:
    """``wording`` for ``count`` (``{n}`` or ``{count}``), its words agreed with it."""
    number = grouped(count).in_(lang)
    return wording.agreed(count).in_(lang).format(n=number, count=number, **values)
