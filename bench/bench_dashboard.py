"""Bench: the read services behind the coordinator and staff screens, per call, as each user.

Run on a database filled by ``certify demo --staff 50000`` (build it once, reuse it)::

    python bench/bench_dashboard.py --db /tmp/bench/demo50k.db
    python bench/bench_dashboard.py --db postgresql+psycopg://USER:PASSWORD@HOST/DB

For each demo coordinator (network, region, site) it times the dashboard, the staff
list's first page, a search typed letter by letter, the heat map of the biggest site of
their scope, the expiring list (90 days) and the issuing queue (first pages of 50); then
a counsellor's own progress and certificates and a person's page. Each figure is the best
of ``--repeat`` calls, each call in its own session as the UI makes them. Target: every
call under 0.3 s (``*`` marks those over).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certify.access.narrowing import active_on
from certify.access.permissions import Actor, visible_scope
from certify.model import Person, Site
from certify.services.accounts import actor_for
from certify.store.config import database_url
from certify.store.db import Database
from certify.views.certificate_lines import my_certificates
from certify.views.dashboard import dashboard, filter_choices
from certify.views.heatmap import competency_heatmap
from certify.views.my_progress import my_progress
from certify.views.person_overview import person_overview
from certify.views.staff_directory import StaffQuery, staff_page
from certify.views.watchlists import eligible_queue, expiring

#: The target of one call, in seconds.
TARGET = 0.3
#: Lines per page, as the UI asks.
PAGE = 50
#: What is typed in the staff list's search box, letter by letter.
TYPED = "helene"


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file or SQLAlchemy URL")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today(), metavar="DAY")
    parser.add_argument("--repeat", type=int, default=3, help="calls per figure (default 3)")
    parser.add_argument(
        "--users",
        nargs="+",
        default=["coord.reseau", "coord.idf", "coord.paris"],
        help="coordinator accounts to bench as (default: the demo's three)",
    )
    return parser.parse_args(argv)


class Bench:
    """Times calls on one database and prints one line per call."""

    def __init__(self, database: Database, repeat: int) -> None:
        """Bench on ``database``, best of ``repeat`` calls."""
        #: The database every call opens a session on.
        self.database = database
        #: Calls per figure.
        self.repeat = repeat
        #: Every figure printed, in seconds.
        self.figures: list[float] = []

    def time(self, label: str, call: Callable[[Session], Any], note: Callable[[Any], str]) -> Any:
        """Print the best and first time of ``call`` and a note on its result; return it."""
        times, result = [], None
        for _ in range(self.repeat):
            with self.database.reading() as session:
                started = time.perf_counter()
                result = call(session)
                times.append(time.perf_counter() - started)
        best = min(times)
        self.figures.append(best)
        mark = "*" if best >= TARGET else " "
        print(f"  {mark} {label:<34} {best:7.3f} s (first {times[0]:.3f} s)  {note(result)}")
        return result


def biggest_site(session: Session, actor: Actor, as_of: date) -> int:
    """The site of the actor's scope with the most active staff."""
    site_id = session.scalar(
        select(Person.site_id)
        .join(Site, Site.id == Person.site_id)
        .where(visible_scope(actor).site_filter(Site), active_on(as_of))
        .group_by(Person.site_id)
        .order_by(func.count().desc())
        .limit(1)
    )
    assert site_id is not None
    return site_id


def bench_coordinator(bench: Bench, actor: Actor, as_of: date) -> None:
    """Every coordinator call, as ``actor``."""
    bench.time(
        "dashboard()",
        lambda s: dashboard(s, actor, as_of),
        lambda d: f"{len(d.rows)} rows, {sum(t.counts.total for t in d.totals):,} person×programme",
    )
    bench.time(
        "filter_choices()",
        lambda s: filter_choices(s, actor),
        lambda c: f"{len(c.sites)} sites, {len(c.employers)} employers",
    )
    bench.time(
        "staff_page() first page",
        lambda s: staff_page(s, actor, as_of, StaffQuery(limit=PAGE)),
        lambda p: f"{p.total:,} staff",
    )
    for typed in (TYPED[:n] for n in range(1, len(TYPED) + 1)):
        bench.time(
            f"staff_page() search {typed!r}",
            lambda s, t=typed: staff_page(s, actor, as_of, StaffQuery(text=t, limit=PAGE)),
            lambda p: f"{p.total:,} found",
        )
    with bench.database.reading() as session:
        site_id = biggest_site(session, actor, as_of)
    bench.time(
        "competency_heatmap() biggest site",
        lambda s: competency_heatmap(s, actor, site_id, as_of, limit=PAGE),
        lambda h: f"{h.site.code}: {h.rows.total:,} staff × {len(h.columns)} competencies",
    )
    bench.time(
        "expiring(90)",
        lambda s: expiring(s, actor, as_of, 90, limit=PAGE),
        lambda p: f"{p.total:,} ending",
    )
    bench.time(
        "eligible_queue()",
        lambda s: eligible_queue(s, actor, as_of, limit=PAGE),
        lambda p: f"{p.total:,} to issue",
    )


def bench_person(bench: Bench, staff: Actor, coordinator: Actor, as_of: date) -> None:
    """A counsellor's own views, and their page seen by their coordinator."""
    bench.time(
        "my_progress()",
        lambda s: my_progress(s, staff, as_of),
        lambda standings: f"{len(standings)} programmes",
    )
    bench.time(
        "my_certificates()",
        lambda s: my_certificates(s, staff, as_of),
        lambda lines: f"{len(lines)} certificates",
    )
    assert staff.person_id is not None
    bench.time(
        "person_overview()",
        lambda s: person_overview(s, coordinator, staff.person_id, as_of),
        lambda o: f"{len(o.standings)} standings, {len(o.assessments)} assessments",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench and print the figures."""
    args = parse(argv)
    database = Database(database_url(args.db))
    bench = Bench(database, args.repeat)
    with database.reading() as session:
        staff = session.scalar(select(func.count()).select_from(Person))
        actors = [actor_for(session, user) for user in args.users]
        counsellor, paris = actor_for(session, "conseiller"), actor_for(session, "coord.paris")
    print(f"database: {database.display_url}; {staff:,} staff; as of {args.as_of}")
    for user, actor in zip(args.users, actors, strict=True):
        print(f"{user}:")
        bench_coordinator(bench, actor, args.as_of)
    print("conseiller (seen by coord.paris):")
    bench_person(bench, counsellor, paris, args.as_of)
    over = sum(figure >= TARGET for figure in bench.figures)
    print(f"{len(bench.figures) - over} of {len(bench.figures)} calls under {TARGET} s")
    database.dispose()
    return 0 if over == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
