"""Time a 50,000-row staff import: validation, import, and re-import (nothing to change).

The staff file is written as French Excel writes it: Windows-1252, ``;`` between cells,
French headers, dates DD/MM/YYYY, stray spaces. Each backend runs in a process of its own
so that its peak memory is its own: a fresh SQLite file, and PostgreSQL (a schema of its
own, dropped afterwards) when ``CERTIFY_TEST_POSTGRES_URL`` is set.

Usage: ``python bench/bench_import.py [--rows 50000] [--backend sqlite|postgresql]``.
The target is 50,000 rows validated and imported in under 30 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from certify.access.permissions import Actor
from certify.exchange import find_kind, import_file
from certify.store.db import Database
from certify.store.schema import upgrade

#: Seconds validation plus import of 50,000 rows may take.
TARGET_SECONDS = 30
#: Environment variable naming the PostgreSQL server (as for the tests).
POSTGRES_ENV = "CERTIFY_TEST_POSTGRES_URL"
#: Sites of the benchmark's network.
SITES = 40
#: Distinct employers named in the staff file.
EMPLOYERS = 300
#: Role cells, as people type them.
ROLES = ["conseiller", "Conseillère, formatrice", "accueil", "formateur", "conseiller ; accueil"]


def sites_file(folder: Path) -> Path:
    """A small sites file (main sites, then a point relais attached to each)."""
    path = folder / "sites.csv"
    rows = ["Code;Nom;Type;Rattachement;Région;Ville"]
    for n in range(SITES):
        rows.append(f"S{n:02d};Cité des métiers {n};Cité des métiers;;Région {n % 12};Ville {n}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def staff_file(folder: Path, count: int) -> Path:
    """``count`` staff rows in French Excel's CSV (Windows-1252, ``;``)."""
    generator = random.Random(1993)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "Adresse électronique",
            "Prénom",
            "Nom",
            "Site",
            "Employeur",
            "Rôles",
            "Date d'entrée",
            "Date de sortie",
        ]
    )
    first = date(2005, 1, 1)
    for n in range(count):
        start = first + timedelta(days=generator.randrange(7000))
        until = start + timedelta(days=generator.randrange(30, 2000)) if n % 7 == 0 else None
        writer.writerow(
            [
                f" Agent.{n}@cdm-bench.fr ",
                generator.choice(["Élodie", "Jérôme", "Anaïs", "François", "Zoé"]),
                f"Nom{n} ",
                f"s{n % SITES:02d}",
                f"Employeur n° {n % EMPLOYERS}",
                generator.choice(ROLES),
                start.strftime("%d/%m/%Y"),
                until.strftime("%d/%m/%Y") if until else "",
            ]
        )
    path = folder / "personnel.csv"
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[Database]:
    """An empty, migrated database on ``backend``."""
    if backend == "sqlite":
        database = Database(f"sqlite:///{folder / 'bench.db'}")
        upgrade(database)
        yield database
        database.dispose()
        return
    base = os.environ[POSTGRES_ENV]
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(url.render_as_string(hide_password=False))
    try:
        upgrade(database)
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Seconds ``action`` takes, and what it returns."""
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def run(backend: str, count: int) -> None:
    """Import the staff file into a fresh database of ``backend`` and print the figures."""
    actor = Actor.system()
    staff = find_kind("staff")
    with tempfile.TemporaryDirectory() as name, fresh_database(backend, Path(name)) as database:
        folder = Path(name)
        import_file(database, actor, find_kind("sites"), sites_file(folder), today=date.today())
        path = staff_file(folder, count)

        def dry_run() -> object:
            """Validate and plan only."""
            return import_file(database, actor, staff, path, today=date.today(), dry_run=True)

        def imported() -> object:
            """Validate, plan and write."""
            return import_file(database, actor, staff, path, today=date.today())

        check_seconds, checked = timed(dry_run)
        import_seconds, report = timed(imported)
        again_seconds, again = timed(imported)
    assert not checked.problems and report.plan.created == count + EMPLOYERS  # type: ignore[attr-defined]
    assert again.plan.created == again.plan.updated == 0  # type: ignore[attr-defined]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{backend:<10} {count} staff rows: validation (dry run) {check_seconds:.1f} s, "
        f"validation + import {import_seconds:.1f} s, re-import (0 changes) {again_seconds:.1f} s, "
        f"peak RSS {peak_mb:.0f} MB (target: import < {TARGET_SECONDS} s)",
        flush=True,
    )


def main() -> int:
    """Run one backend, or each available backend in a process of its own."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="staff rows to import")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help="one backend only")
    args = parser.parse_args()
    if args.backend:
        run(args.backend, args.rows)
        return 0
    backends = ["sqlite", *(["postgresql"] if os.environ.get(POSTGRES_ENV) else [])]
    for backend in backends:
        command = [sys.executable, __file__, "--rows", str(args.rows), "--backend", backend]
        subprocess.run(command, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
