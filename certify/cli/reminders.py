"""``certify remind`` (expiry reminders, e.g. daily from cron) and
``certify person reminders PERSON --on|--off``."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from certify.access.permissions import Action, authorize_admin
from certify.cli import error_line
from certify.cli.common import acting, add_actor_option, open_database
from certify.cli.language import Say
from certify.model import RecipientKind
from certify.parsing import find_person, parse_date
from certify.rules.reminders import DEFAULT_THRESHOLDS, parse_thresholds
from certify.rules.wording import NBSP, Wording
from certify.rules.written_dates import written_date
from certify.services.mail import smtp_connection, smtp_settings
from certify.services.reminders import Outgoing, plan_reminders, send_reminders, set_reminders
from certify.store.db import Database
from certify.store.run_lock import one_run_at_a_time

#: Exit status of ``certify remind`` when some message was not sent.
SOME_NOT_SENT = 5


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add the reminder commands."""
    remind = commands.add_parser(
        "remind",
        help=say(
            "envoyer les rappels d'échéance dus (aux titulaires, et une synthèse à leurs "
            "coordinateur·rice·s)",
            "send the expiry reminders due (holders, and a digest to their coordinators)",
        ),
    )
    remind.add_argument(
        "--dry-run",
        action="store_true",
        help=say(
            "essai à blanc\u00a0: lister ce qui serait envoyé, sans rien envoyer ni enregistrer",
            "list what would be sent; send and record nothing",
        ),
    )
    remind.add_argument(
        "--as-of",
        metavar="DATE",
        help=say(
            "le jour de l'exécution, JJ/MM/AAAA ou AAAA-MM-JJ (par défaut\u00a0: aujourd'hui)",
            "the day of the run, DD/MM/YYYY or YYYY-MM-DD (default: today)",
        ),
    )
    remind.add_argument(
        "--thresholds",
        metavar=say("JOURS", "DAYS"),
        default=",".join(map(str, DEFAULT_THRESHOLDS)),
        help=say(
            "les jours avant l'échéance où partent les rappels, 0 le jour même "
            "(par défaut\u00a0: %(default)s)",
            "days before expiry at which reminders go, 0 on expiry (default: %(default)s)",
        ),
    )
    add_actor_option(remind, say)
    remind.set_defaults(func=remind_command)

    person = commands.add_parser(
        "person", help=say("les réglages d'un membre du personnel", "a staff member's own settings")
    )
    person_actions = person.add_subparsers(
        title=say("commandes de person", "person commands"),
        metavar=say("ACTION", "ACTION"),
        required=True,
    )
    reminders = person_actions.add_parser(
        "reminders",
        help=say(
            "activer ou désactiver les rappels d'échéance d'une personne",
            "turn a person's expiry reminders on or off",
        ),
    )
    reminders.add_argument(
        "person",
        metavar=say("personne", "person"),
        help=say("e-mail, n° ou nom", "e-mail, id or name"),
    )
    choice = reminders.add_mutually_exclusive_group(required=True)
    choice.add_argument(
        "--on",
        dest="on",
        action="store_true",
        help=say("les envoyer (par défaut)", "send them (the default)"),
    )
    choice.add_argument(
        "--off", dest="on", action="store_false", help=say("n'en envoyer aucun", "send none")
    )
    add_actor_option(reminders, say)
    reminders.set_defaults(func=person_reminders_command)


def _line(outgoing: Outgoing) -> Wording:
    """What an e-mail is: recipient, certificates and thresholds."""
    holder = outgoing.kind is RecipientKind.HOLDER
    kind = Wording("titulaire", "holder") if holder else Wording("synthèse", "coordinator digest")
    items = [
        Wording(
            f"{item.serial} à J-{due.threshold}"
            + (
                f" (seuils passés{NBSP}: J-{', J-'.join(map(str, due.passed_over))})"
                if due.passed_over
                else ""
            ),
            f"{item.serial} at {due.threshold} d"
            + (
                f" (passing over {', '.join(map(str, due.passed_over))} d)"
                if due.passed_over
                else ""
            ),
        )
        for item, due in outgoing.items
    ]
    email = outgoing.recipient.email
    return Wording(
        f"{email} ({kind.fr}){NBSP}: " + ", ".join(item.fr for item in items),
        f"{email} ({kind.en}): " + ", ".join(item.en for item in items),
    )


def _say(args: argparse.Namespace, fr: str, en: str) -> None:
    """Print ``fr`` or ``en``, in the command's language."""
    print(Wording(fr, en).in_(args.lang))


def remind_command(args: argparse.Namespace) -> int:
    """Send (or with ``--dry-run`` list) the reminders due; exit non-zero if any failed."""
    thresholds = parse_thresholds(args.thresholds)
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else date.today()
    settings = None if args.dry_run else smtp_settings(os.environ)
    database = open_database(args)
    if args.dry_run:
        return _dry_run(database, args, as_of, thresholds)
    assert settings is not None
    with one_run_at_a_time(database, "remind"):
        with database.reading() as session:
            actor = acting(session, args)
            authorize_admin(actor, Action.SEND_REMINDERS)
            plan = plan_reminders(session, as_of, thresholds)
        if not plan.outgoing:
            _say(
                args,
                f"aucun rappel à envoyer le {written_date(as_of, 'fr')}",
                f"no reminder due on {as_of}",
            )
            return 0
        with smtp_connection(settings) as mailer:
            report = send_reminders(database, actor, plan, mailer.send)
    for outgoing in report.sent:
        line = _line(outgoing)
        _say(args, f"envoyé à {line.fr}", f"sent to {line.en}")
    for failure in report.failed:
        message = Wording(
            f"non envoyé à {failure.outgoing.recipient.email}{NBSP}: {failure.reason} "
            f"(rien n'est marqué envoyé{NBSP}; la prochaine exécution réessaiera)",
            f"not sent to {failure.outgoing.recipient.email}: {failure.reason} "
            "(nothing marked sent; the next run retries)",
        )
        print(error_line(message, args.lang), file=sys.stderr)
    sent, failed = len(report.sent), len(report.failed)
    done = Wording(f"{sent} e-mail(s) envoyé(s)", f"{sent} e-mail(s) sent").agreed(sent)
    missed = Wording(f"{failed} non envoyé(s)", f"{failed} not sent").agreed(failed)
    _say(args, f"{done.fr}, {missed.fr}", f"{done.en}, {missed.en}")
    return SOME_NOT_SENT if report.failed else 0


def _dry_run(
    database: Database, args: argparse.Namespace, as_of: date, thresholds: tuple[int, ...]
) -> int:
    """List what a run would send; send and record nothing."""
    with database.reading() as session:
        actor = acting(session, args)
        authorize_admin(actor, Action.SEND_REMINDERS)
        plan = plan_reminders(session, as_of, thresholds)
    for outgoing in plan.outgoing:
        line = _line(outgoing)
        _say(args, f"enverrait à {line.fr}", f"would send to {line.en}")
    count = len(plan.outgoing)
    would = Wording(
        f"{count} e-mail(s) " + ("seraient envoyés" if count > 1 else "serait envoyé"),
        f"{count} e-mail(s) would be sent",
    ).agreed(count)
    _say(
        args,
        f"essai à blanc{NBSP}: {would.fr}, rien n'est envoyé ni enregistré",
        f"dry run: {would.en}, nothing sent or recorded",
    )
    return 0


def person_reminders_command(args: argparse.Namespace) -> int:
    """Turn a person's reminders on or off and say so."""
    database = open_database(args)
    with database.transaction() as session:
        actor = acting(session, args)
        person = find_person(session, args.person)
        changed = set_reminders(session, actor, person.id, on=args.on)
        name, email = person.full_name, person.email
    state = Wording("activés", "on") if args.on else Wording("désactivés", "off")
    already = Wording("", "") if changed else Wording(" (déjà)", " (already)")
    _say(
        args,
        f"rappels d'échéance de {name} <{email}>{NBSP}: {state.fr}{already.fr}",
        f"expiry reminders of {name} <{email}>: {state.en}{already.en}",
    )
    return 0
