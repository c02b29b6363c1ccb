"""Time the first sign-in of a fresh process: a known user against an unknown one.

Each ``certify serve`` connection is a fresh process, so its first attempt is the one that
must not tell whether the user exists. Every run starts a new Python that makes the UI's
backend and prepares sign-in as the sign-in screen does on opening (the dummy Argon2 hash
is made then, before an attempt can be typed), then times one wrong password, for a known
and an unknown user in turn, on a throwaway SQLite network.

Usage: ``python bench/bench_sign_in.py [--runs 20]``. Target: the same cost for both.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import delete

from certify.model import SignInThrottle
from certify.services.bootstrap import FirstAdmin, start_network
from certify.store.db import Database
from certify.store.schema import upgrade

#: Times one wrong password for ``argv[2]`` on ``argv[1]``, in a process of its own.
ONE_ATTEMPT = """
import sys, time
from datetime import date
from certify.store.db import Database
from tui.backend import Backend
backend = Backend(Database(sys.argv[1]), date.today())
backend.prepare_sign_in()  # as the sign-in screen does when it opens
start = time.perf_counter()
try:
    backend.sign_in(sys.argv[2], "not-the-password")
except Exception:
    pass
print(time.perf_counter() - start)
"""


def network(folder: Path) -> str:
    """A migrated SQLite network whose administrator is ``aicha``."""
    url = f"sqlite:///{folder / 'bench.db'}"
    database = Database(url)
    upgrade(database)
    draft = FirstAdmin(
        site_name="Cité des métiers de Nîmes",
        site_code="NIMES",
        region="Occitanie",
        country="FR",
        given_name="Aïcha",
        family_name="Benali",
        email="aicha.benali@nimes.example",
        username="aicha",
        password="motdepasse-solide",
    )
    with database.transaction() as session:
        start_network(session, draft, date.today())
    database.dispose()
    return url


def first_attempt(url: str, username: str) -> float:
    """Seconds of the first attempt in a new process (its failure then forgotten, so that
    no throttling wait is ever timed)."""
    out = subprocess.run(
        [sys.executable, "-c", ONE_ATTEMPT, url, username],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    database = Database(url)
    with database.transaction() as session:
        session.execute(delete(SignInThrottle))
    database.dispose()
    return float(out)


def main() -> None:
    """Alternate known and unknown users over fresh processes; print both spreads."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        url = network(Path(folder))
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        for _run in range(runs):
            times["known"].append(first_attempt(url, "aicha"))
            times["unknown"].append(first_attempt(url, "nobody-here"))
    for name, values in times.items():
        print(
            f"{name:8} first attempt: median {statistics.median(values):.3f} s, "
            f"min {min(values):.3f} s, max {max(values):.3f} s ({len(values)} runs)"
        )


if __name__ == "__main__":
    main()
