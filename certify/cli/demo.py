"""``certify demo``: fill an empty database with the demo network."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from importlib.metadata import entry_points

from certify.cli import DEMO_EXTRAS_GROUP
from certify.cli.common import open_database
from certify.demo import DEFAULT_SEED, DEFAULT_STAFF, DemoSummary
from certify.demo.certification import DEMO_PASSWORD, DemoCertification, load_demo
from certify.store.db import Database


def register(commands: argparse._SubParsersAction) -> None:
    """Add the demo command."""
    demo = commands.add_parser(
        "demo",
        help="remplir une base vide avec le réseau de démonstration / load the demo network",
        description="Load a realistic, deterministic demo network into an empty database: "
        "the Cités des métiers sites, the référentiel, modules, programmes, staff, three "
        "years of sessions, attendance and assessments.",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"random seed: the same seed and date give the same data (default {DEFAULT_SEED})",
    )
    demo.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="reference date every generated date derives from (default: today)",
    )
    demo.add_argument(
        "--staff",
        type=int,
        default=DEFAULT_STAFF,
        metavar="N",
        help=f"number of staff, spread over every site (default {DEFAULT_STAFF})",
    )
    demo.set_defaults(func=demo_command)


def describe(summary: DemoSummary, certification: DemoCertification) -> str:
    """The lines printed once the demo network is loaded."""

    def number(value: int) -> str:
        """A count with a space between thousands."""
        return f"{value:,}".replace(",", " ")

    return (
        f"réseau de démonstration chargé / demo network loaded: {summary.sites} sites, "
        f"{number(summary.staff)} staff, {number(summary.sessions)} sessions, "
        f"{number(summary.attendances)} attendances, {number(summary.assessments)} assessments\n"
        f"certificates: {sum(certification.issued.values())} issued "
        f"({', '.join(f'{code} {n}' for code, n in sorted(certification.issued.items()))}), "
        f"{certification.revoked} revoked, {certification.reissued} reissued\n"
        f"accounts (password {DEMO_PASSWORD}): {', '.join(certification.accounts)}\n"
        f"seed {summary.seed}, as of {summary.as_of.isoformat()}"
    )


def run_demo_extras(database: Database, day: date, say: Callable[[str], object]) -> None:
    """Run what installed outer packages add to a freshly loaded demo (by entry-point name)."""
    extras = sorted(entry_points(group=DEMO_EXTRAS_GROUP), key=lambda point: point.name)
    for point in extras:
        point.load()(database, day, say)


def demo_command(args: argparse.Namespace) -> int:
    """Generate the demo network into the chosen database, summarise it, then its extras."""
    database = open_database(args)
    day = args.as_of or date.today()
    summary, certification = load_demo(database, seed=args.seed, as_of=day, staff=args.staff)
    print(f"{database.display_url}\n{describe(summary, certification)}")
    run_demo_extras(database, day, print)
    for refusal in certification.refused:
        print(f"warning: {refusal}", file=sys.stderr)
    return 0
