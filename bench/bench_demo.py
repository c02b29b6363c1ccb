"""Time ``certify demo --staff N``: seconds to generate and the process's peak memory.

Usage: ``python bench/bench_demo.py [--staff 5000] [--db URL]`` (default: a fresh SQLite
file in a temporary folder). The target is 5,000 staff in under 30 s on SQLite.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from certify.demo import generate
from certify.store.db import Database
from certify.store.schema import upgrade

#: Seconds ``certify demo --staff 5000`` may take on SQLite.
TARGET_SECONDS = 30
#: Reference date of the benchmark's network (fixed, so every run generates the same data).
AS_OF = date(2026, 11, 20)


def run(url: str, staff: int) -> tuple[float, int, int]:
    """Generate ``staff`` staff into the empty database at ``url``: (seconds, sessions, rows)."""
    database = Database(url)
    upgrade(database)
    started = time.perf_counter()
    summary = generate(database, as_of=AS_OF, staff=staff)
    seconds = time.perf_counter() - started
    database.dispose()
    return seconds, summary.sessions, summary.attendances + summary.assessments


def main() -> int:
    """Run the benchmark once and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=5000, help="staff to generate")
    parser.add_argument("--db", help="SQLAlchemy URL of an empty database (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        seconds, sessions, rows = run(url, args.staff)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"certify demo --staff {args.staff}: {seconds:.1f} s, peak RSS {peak_mb:.0f} MB "
        f"({sessions} sessions, {rows} attendance and assessment rows; "
        f"target for 5000 on SQLite: < {TARGET_SECONDS} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
