"""Bench: whole-network progress on a day, against a naive per-person ``explain()`` loop.

Run on a database filled by ``certify demo --staff 5000``::

    python bench/bench_progress.py --db /tmp/demo.db
    python bench/bench_progress.py --db postgresql+psycopg://USER:PASSWORD@HOST/DB

It prints the time of :func:`certify.rules.progress.progress` for the whole network (best
of ``--repeat`` runs, and the first), then times the naive loop — ``explain()`` for each
person × programme, in this same process — on ``--naive-persons`` persons (0: all) and
extrapolates it linearly to everyone, checks both agree on the persons measured, and
prints the ratio. Targets: progress under 1 s, at least 20 times the naive loop.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certify.model import Programme
from certify.rules.eligibility import explain
from certify.rules.progress import ProgressRow, progress
from certify.rules.scope import Scope
from certify.store.config import database_url
from certify.store.db import Database


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file or SQLAlchemy URL")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today(), metavar="DAY")
    parser.add_argument("--repeat", type=int, default=3, help="progress() runs (default 3)")
    parser.add_argument(
        "--naive-persons",
        type=int,
        default=500,
        metavar="N",
        help="persons the naive loop is timed on, then extrapolated (default 500; 0: all)",
    )
    return parser.parse_args(argv)


def time_progress(
    session: Session, as_of: date, repeat: int
) -> tuple[list[ProgressRow], list[float]]:
    """The rows of the whole network and the time of each run."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = progress(session, as_of, Scope.network())
        times.append(time.perf_counter() - started)
    return rows, times


def time_naive(session: Session, rows: list[ProgressRow], as_of: date, persons: int) -> float:
    """Seconds for explain() on every programme of the first ``persons`` persons (0: all).

    Fails when an explanation's missing count differs from its progress row.
    """
    chosen = sorted({row.person_id for row in rows})[: persons or None]
    by_pair = {(row.person_id, row.programme_id): row for row in rows}
    programme_ids = session.scalars(select(Programme.id).order_by(Programme.id)).all()
    started = time.perf_counter()
    explanations = [
        explain(session, person_id, programme_id, as_of)
        for person_id in chosen
        for programme_id in programme_ids
    ]
    elapsed = time.perf_counter() - started
    for explanation in explanations:
        row = by_pair[explanation.person.id, explanation.programme.id]
        assert row.missing == explanation.missing_count, (row, explanation.render("en"))
    return elapsed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench and print the figures."""
    args = parse(argv)
    database = Database(database_url(args.db))
    with database.reading() as session:
        programmes = session.scalar(select(func.count()).select_from(Programme))
        rows, times = time_progress(session, args.as_of, args.repeat)
        people = len({row.person_id for row in rows})
        best = min(times)
        print(f"database: {database.display_url}")
        print(
            f"as of {args.as_of}: {people:,} active staff × {programmes} programmes "
            f"= {len(rows):,} rows"
        )
        print(f"progress(): {best:.3f} s (best of {len(times)}; first run {times[0]:.3f} s)")
        counts = Counter(row.status for row in rows)
        print("statuses: " + ", ".join(f"{status} {n:,}" for status, n in sorted(counts.items())))
        measured = min(args.naive_persons or people, people)
        naive = time_naive(session, rows, args.as_of, measured)
        total = naive * people / measured
        print(
            f"naive explain() loop: {measured:,} persons × {programmes} programmes in "
            f"{naive:.2f} s"
            + (f" → {total:.1f} s for {people:,} (linear)" if measured < people else "")
            + "; missing counts agree with progress()"
        )
        ratio = total / best
        print(
            f"ratio: {ratio:.0f}× (target ≥ 20×); "
            f"progress() under 1 s: {'yes' if best < 1 else 'NO'}"
        )
    database.dispose()
    return 0 if best < 1 and ratio >= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
