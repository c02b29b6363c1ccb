"""``certify report progress``, ``qualiopi`` and ``personal-data``: the coordinator's reports
and a person's data to read."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from certificates.commands.common import add_lang_option
from certificates.files import write_atomically
from certificates.personal_data_report import personal_data_pdf
from certificates.progress_report import progress_report
from certificates.qualiopi_csv import qualiopi_csv
from certificates.qualiopi_report import qualiopi_report
from certify.access.narrowing import requested_scope
from certify.cli.common import acting, add_actor_option, add_date_option, chosen_date, open_database
from certify.errors import CertifyError
from certify.parsing import find_person, parse_date
from certify.rules.dates import add_months
from certify.views.personal_data import personal_data
from certify.views.progress_counts import progress_counts
from certify.views.qualiopi_evidence import qualiopi_evidence

#: Months a Qualiopi export covers by default, up to ``--to``.
DEFAULT_PERIOD_MONTHS = 12


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``report progress`` and ``report qualiopi``."""
    report = commands.add_parser("report", help="coordinator reports (PDF, CSV)")
    kinds = report.add_subparsers(title="reports", metavar="REPORT", required=True)
    progress = kinds.add_parser(
        "progress", help="certified, renewal due, expired, close… per programme and site (PDF)"
    )
    progress.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    _add_scope_options(progress)
    add_date_option(progress, "as of this day")
    progress.set_defaults(func=progress_command)
    qualiopi = kinds.add_parser(
        "qualiopi", help="indicators 21 and 22: assessments and trainings per person (CSV or PDF)"
    )
    qualiopi.add_argument("--out", type=Path, required=True, metavar="FILE.csv|FILE.pdf")
    _add_scope_options(qualiopi)
    qualiopi.add_argument("--from", dest="start", metavar="DATE", help="default: a year before")
    qualiopi.add_argument("--to", dest="end", metavar="DATE", help="default: today")
    qualiopi.set_defaults(func=qualiopi_command)
    personal = kinds.add_parser(
        "personal-data",
        help="everything certify holds about one person, to read (PDF; the JSON: "
        "certify privacy export)",
    )
    personal.add_argument("person", metavar="PERSON", help="e-mail, id or name")
    personal.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    add_lang_option(personal)
    add_actor_option(personal)
    personal.set_defaults(func=personal_data_command)


def _add_scope_options(parser: argparse.ArgumentParser) -> None:
    """``--site`` or ``--region`` (default: the actor's scope), ``--lang``, ``--as``."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--site", help="a site (code) and its centres")
    where.add_argument("--region", help="a region (name)")
    add_lang_option(parser)
    add_actor_option(parser)


def progress_command(args: argparse.Namespace) -> int:
    """Write the progress report."""
    as_of = chosen_date(args)
    with open_database(args).reading() as session:
        scope = requested_scope(session, acting(session, args), args.site, args.region)
        counts = progress_counts(session, scope.scope, as_of)
    write_atomically(args.out, progress_report(counts, scope.name, args.lang))
    print(
        f"{args.out}\u00a0: {counts.people} personnes, {len(counts.programmes)} programmes, "
        f"{len(counts.sites)} sites / staff, programmes, sites"
    )
    return 0


def qualiopi_command(args: argparse.Namespace) -> int:
    """Write the Qualiopi evidence as CSV or PDF, by the file's extension."""
    suffix = args.out.suffix.lower()
    if suffix not in (".csv", ".pdf"):
        raise CertifyError(f"--out must end in .csv or .pdf, not {args.out.name!r}")
    end = parse_date(args.end, "--to") if args.end else date.today()
    start = add_months(end, -DEFAULT_PERIOD_MONTHS)
    if args.start:
        start = parse_date(args.start, "--from")
    if start > end:
        raise CertifyError(f"--from {start} is after --to {end}")
    with open_database(args).reading() as session:
        scope = requested_scope(session, acting(session, args), args.site, args.region)
        people = qualiopi_evidence(session, scope.scope, start, end)
    if suffix == ".csv":
        data = qualiopi_csv(people, args.lang)
    else:
        data = qualiopi_report(people, scope.name, start, end, args.lang)
    write_atomically(args.out, data)
    evidence = sum(len(person.assessments) + len(person.trainings) for person in people)
    print(
        f"{args.out}\u00a0: {len(people)} personnes, {evidence} preuves / staff, pieces of evidence"
    )
    return 0


def personal_data_command(args: argparse.Namespace) -> int:
    """Write one person's data as a PDF (the same rule as ``certify privacy export``)."""
    with open_database(args).reading() as session:
        person = find_person(session, args.person)
        document = personal_data(session, acting(session, args), person.id, lang=args.lang)
    write_atomically(args.out, personal_data_pdf(document, args.lang))
    rows = sum(len(rows) for rows in document["records"].values())
    print(
        f"{args.out}\u00a0: {rows} lignes, {len(document['audit_events'])} événements "
        "/ rows, events"
    )
    return 0
