"""``certify demo``: fill an empty database with the demo network."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from importlib.metadata import entry_points

from certify.cli import DEMO_EXTRAS_GROUP
from certify.cli.common import open_database
from certify.cli.language import Say
from certify.demo import DEFAULT_SEED, DEFAULT_STAFF, DemoSummary
from certify.demo.certification import DEMO_PASSWORD, DemoCertification, load_demo
from certify.rules.wording import Lang, Wording, count
from certify.rules.written_dates import written_date
from certify.store.db import Database


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add the demo command."""
    demo = commands.add_parser(
        "demo",
        help=say("remplir une base vide avec le réseau de démonstration", "load the demo network"),
        description=say(
            "Charger dans une base vide un réseau de démonstration réaliste et "
            "reproductible\u00a0: les sites des Cités des métiers, le référentiel, les modules, "
            "les programmes, le personnel, trois ans de sessions, de présences et d'évaluations.",
            "Load a realistic, deterministic demo network into an empty database: "
            "the Cités des métiers sites, the référentiel, modules, programmes, staff, three "
            "years of sessions, attendance and assessments.",
        ),
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar=say("GRAINE", "SEED"),
        help=say(
            "graine aléatoire\u00a0: même graine et même date, mêmes données "
            f"(par défaut\u00a0: {DEFAULT_SEED})",
            f"random seed: the same seed and date give the same data (default {DEFAULT_SEED})",
        ),
    )
    demo.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar=say("AAAA-MM-JJ", "YYYY-MM-DD"),
        help=say(
            "le jour dont découle chaque date générée (par défaut\u00a0: aujourd'hui)",
            "reference date every generated date derives from (default: today)",
        ),
    )
    demo.add_argument(
        "--staff",
        type=int,
        default=DEFAULT_STAFF,
        metavar="N",
        help=say(
            "nombre de membres du personnel, répartis sur tous les sites "
            f"(par défaut\u00a0: {DEFAULT_STAFF})",
            f"number of staff, spread over every site (default {DEFAULT_STAFF})",
        ),
    )
    demo.set_defaults(func=demo_command)


def describe(summary: DemoSummary, certification: DemoCertification, lang: Lang) -> str:
    """The lines printed once the demo network is loaded, in ``lang``."""

    def counted(value: int, french: str, english: str) -> str:
        """``value`` (grouped by thousands) and its words agreed with it."""
        return (
            Wording(f"{count(value).fr} {french}", f"{count(value).en} {english}")
            .agreed(value)
            .in_(lang)
        )

    say = Say(lang)
    network = ", ".join(
        (
            counted(summary.sites, "site(s)", "site(s)"),
            counted(summary.staff, "membre(s) du personnel", "staff"),
            counted(summary.sessions, "session(s)", "session(s)"),
            counted(summary.attendances, "présence(s)", "attendance(s)"),
            counted(summary.assessments, "évaluation(s)", "assessment(s)"),
        )
    )
    issued = sum(certification.issued.values())
    by_programme = ", ".join(f"{code} {n}" for code, n in sorted(certification.issued.items()))
    certificates = ", ".join(
        (
            counted(issued, "délivré(s)", "issued") + f" ({by_programme})",
            counted(certification.revoked, "révoqué(s)", "revoked"),
            counted(certification.reissued, "réédité(s)", "reissued"),
        )
    )
    accounts = ", ".join(certification.accounts)
    return "\n".join(
        (
            say(
                f"réseau de démonstration chargé\u00a0: {network}",
                f"demo network loaded: {network}",
            ),
            say(f"certificats\u00a0: {certificates}", f"certificates: {certificates}"),
            say(
                f"comptes (mot de passe {DEMO_PASSWORD})\u00a0: {accounts}",
                f"accounts (password {DEMO_PASSWORD}): {accounts}",
            ),
            say(
                f"graine {summary.seed}, au {written_date(summary.as_of, 'fr')}",
                f"seed {summary.seed}, as of {summary.as_of.isoformat()}",
            ),
        )
    )


def run_demo_extras(database: Database, day: date, say: Callable[[Wording], object]) -> None:
    """Run what installed outer packages add to a freshly loaded demo (by entry-point name)."""
    extras = sorted(entry_points(group=DEMO_EXTRAS_GROUP), key=lambda point: point.name)
    for point in extras:
        point.load()(database, day, say)


def demo_command(args: argparse.Namespace) -> int:
    """Generate the demo network into the chosen database, summarise it, then its extras."""
    database = open_database(args)
    day = args.as_of or date.today()
    summary, certification = load_demo(database, seed=args.seed, as_of=day, staff=args.staff)
    print(f"{database.display_url}\n{describe(summary, certification, args.lang)}")
    run_demo_extras(database, day, lambda words: print(words.in_(args.lang)))
    warning = Say(args.lang)("attention\u00a0: ", "warning: ")
    for refusal in certification.refused:
        print(f"{warning}{refusal}", file=sys.stderr)
    return 0
