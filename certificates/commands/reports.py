"""``certify report progress``, ``qualiopi`` and ``personal-data``: the coordinator's reports
and a person's data to read."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from certificates.commands.common import add_site_or_region
from certificates.files import write_atomically
from certificates.personal_data_report import personal_data_pdf
from certificates.progress_report import progress_report
from certificates.qualiopi_csv import qualiopi_csv
from certificates.qualiopi_report import qualiopi_report
from certify.access.narrowing import requested_scope
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
from certify.parsing import find_person, parse_date
from certify.rules.dates import add_months
from certify.rules.wording import Wording, count
from certify.rules.written_dates import written_date
from certify.views.personal_data import personal_data
from certify.views.progress_counts import progress_counts
from certify.views.qualiopi_evidence import qualiopi_evidence

#: Months a Qualiopi export covers by default, up to ``--to``.
DEFAULT_PERIOD_MONTHS = 12


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``report progress``, ``report qualiopi`` and ``report personal-data``."""
    report = commands.add_parser(
        "report", help=say("rapports du coordinateur (PDF, CSV)", "coordinator reports (PDF, CSV)")
    )
    kinds = report.add_subparsers(
        title=say("rapports", "reports"), metavar=say("RAPPORT", "REPORT"), required=True
    )
    progress = kinds.add_parser(
        "progress",
        help=say(
            "certifiés, renouvellement à faire, expirés, proches… par programme et par site (PDF)",
            "certified, renewal due, expired, close… per programme and site (PDF)",
        ),
    )
    progress.add_argument("--out", type=Path, required=True, metavar=say("FICHIER.pdf", "FILE.pdf"))
    _add_scope_options(progress, say)
    add_date_option(progress, say, say("à ce jour", "as of this day"))
    progress.set_defaults(func=progress_command)
    qualiopi = kinds.add_parser(
        "qualiopi",
        help=say(
            "indicateurs 21 et 22\u00a0: évaluations et formations par personne (CSV ou PDF)",
            "indicators 21 and 22: assessments and trainings per person (CSV or PDF)",
        ),
    )
    qualiopi.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar=say("FICHIER.csv|FICHIER.pdf", "FILE.csv|FILE.pdf"),
    )
    _add_scope_options(qualiopi, say)
    qualiopi.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        help=say("par défaut\u00a0: un an plus tôt", "default: a year before"),
    )
    qualiopi.add_argument(
        "--to",
        dest="end",
        metavar="DATE",
        help=say("par défaut\u00a0: aujourd'hui", "default: today"),
    )
    qualiopi.set_defaults(func=qualiopi_command)
    personal = kinds.add_parser(
        "personal-data",
        help=say(
            "tout ce que certify détient sur une personne, à lire (PDF\u00a0; le JSON\u00a0: "
            "certify privacy export)",
            "everything certify holds about one person, to read (PDF; the JSON: "
            "certify privacy export)",
        ),
    )
    personal.add_argument(
        "person",
        metavar=say("PERSONNE", "PERSON"),
        help=say("e-mail, identifiant ou nom", "e-mail, id or name"),
    )
    personal.add_argument("--out", type=Path, required=True, metavar=say("FICHIER.pdf", "FILE.pdf"))
    add_lang_option(personal, say)
    add_actor_option(personal, say)
    personal.set_defaults(func=personal_data_command)


def _add_scope_options(parser: argparse.ArgumentParser, say: Say) -> None:
    """``--site`` or ``--region`` (default: the actor's scope), ``--lang``, ``--as``."""
    add_site_or_region(parser, say)
    add_lang_option(parser, say)
    add_actor_option(parser, say)


def progress_command(args: argparse.Namespace) -> int:
    """Write the progress report."""
    as_of = chosen_date(args)
    with open_database(args).reading() as session:
        scope = requested_scope(session, acting(session, args), args.site, args.region)
        counts = progress_counts(session, scope.scope, as_of)
    write_atomically(args.out, progress_report(counts, scope.name, args.lang))
    people = counted("personne(s)", "staff member(s)", counts.people)
    programmes = counted("programme(s)", "programme(s)", len(counts.programmes))
    sites = counted("site(s)", "site(s)", len(counts.sites))
    print(
        Say(args.lang)(
            f"{args.out}\u00a0: {people.fr}, {programmes.fr}, {sites.fr}",
            f"{args.out}: {people.en}, {programmes.en}, {sites.en}",
        )
    )
    return 0


def qualiopi_command(args: argparse.Namespace) -> int:
    """Write the Qualiopi evidence as CSV or PDF, by the file's extension."""
    suffix = args.out.suffix.lower()
    if suffix not in (".csv", ".pdf"):
        raise CertifyError(
            f"--out doit finir par .csv ou .pdf, pas «\u00a0{args.out.name}\u00a0»",
            f"--out must end in .csv or .pdf, not {args.out.name!r}",
        )
    end = parse_date(args.end, "--to") if args.end else date.today()
    start = add_months(end, -DEFAULT_PERIOD_MONTHS)
    if args.start:
        start = parse_date(args.start, "--from")
    if start > end:
        raise CertifyError(
            f"la date --from ({written_date(start, 'fr')}) est après la date --to "
            f"({written_date(end, 'fr')})",
            f"--from {start} is after --to {end}",
        )
    with open_database(args).reading() as session:
        scope = requested_scope(session, acting(session, args), args.site, args.region)
        people = qualiopi_evidence(session, scope.scope, start, end)
    if suffix == ".csv":
        data = qualiopi_csv(people, args.lang)
    else:
        data = qualiopi_report(people, scope.name, start, end, args.lang)
    write_atomically(args.out, data)
    pieces = sum(len(person.assessments) + len(person.trainings) for person in people)
    staff = counted("personne(s)", "staff member(s)", len(people))
    evidence = counted("preuve(s)", "piece(s) of evidence", pieces)
    print(
        Say(args.lang)(
            f"{args.out}\u00a0: {staff.fr}, {evidence.fr}", f"{args.out}: {staff.en}, {evidence.en}"
        )
    )
    return 0


def personal_data_command(args: argparse.Namespace) -> int:
    """Write one person's data as a PDF (the same rule as ``certify privacy export``)."""
    with open_database(args).reading() as session:
        person = find_person(session, args.person)
        document = personal_data(session, acting(session, args), person.id, lang=args.lang)
    write_atomically(args.out, personal_data_pdf(document, args.lang))
    rows = counted("ligne(s)", "row(s)", sum(len(rows) for rows in document["records"].values()))
    events = counted("événement(s)", "event(s)", len(document["audit_events"]))
    print(
        Say(args.lang)(
            f"{args.out}\u00a0: {rows.fr}, {events.fr}", f"{args.out}: {rows.en}, {events.en}"
        )
    )
    return 0


def counted(french: str, english: str, number: int) -> Wording:
    """``number`` things, e.g. « 1 234 personnes » / "1,234 staff members", agreed with it."""
    return Wording(f"{count(number).fr} {french}", f"{count(number).en} {english}").agreed(number)
