"""Time and memory of hostile import files, big ones included; the figures of issue 13, item 5.

Each file is imported (as the CLI does) into a fresh SQLite database of the miniature test
network, in a process of its own its peak memory traced by tracemalloc: the 342-byte YAML
alias bomb, 5000 nested « [ », a 200 MB file, a 190,000-row staff file where every row is
wrong (its report's size is measured), a sheet reaching XFD1048576, then a random corpus
of the hostile files of tests/hostile.py for every kind.

Usage: ``python bench/bench_hostile.py [--corpus 300]``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from certify.errors import CertifyError
from certify.exchange import KINDS, find_kind, render_report
from certify.store.db import Database
from certify.store.schema import upgrade
from tests.exchange_helpers import dump, run_import
from tests.factories import MiniNetwork
from tests.hostile import (
    ENCODINGS,
    HOSTILE_CELLS,
    HOSTILE_YAML,
    csv_bytes,
    headers,
    xlsx_bytes,
    yaml_bytes,
)

STAFF = ["Adresse électronique", "Prénom", "Nom", "Site", "Rôles", "Date d'entrée"]


def network(folder: Path) -> Database:
    """A fresh SQLite database holding the miniature network."""
    database = Database(f"sqlite:///{folder / 'bench.db'}")
    upgrade(database)
    with database.transaction() as session:
        MiniNetwork.build(session)
    return database


def big_files(folder: Path) -> dict[str, Path]:
    """The big and nasty files, written once."""
    files = {"alias-bomb.yaml": HOSTILE_YAML[0].encode(), "deep.yaml": HOSTILE_YAML[2].encode()}
    rows = "".join(f"p{n}@example.org;P;Q;NOWHERE;x;1/1/1\r\n" for n in range(190_000))
    files["bad-190k.csv"] = (";".join(STAFF) + "\r\n" + rows).encode("utf-8")
    files["200MB.csv"] = b"a;b\r\n" + b"x;y\r\n" * (200 * 2**20 // 5)
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


def one(kind: str, path: Path) -> None:
    """Import one file and print seconds, peak MB the import allocated, outcome, report size."""
    with tempfile.TemporaryDirectory() as scratch:
        database = network(Path(scratch))
        before = dump(database)
        tracemalloc.start()
        started = time.perf_counter()
        try:
            report = run_import(database, kind, path)
            outcome = f"{len(report.problems)} problem(s)"
            size = len(render_report(report).encode())
        except CertifyError as error:
            outcome, size = f"refused: {error}", 0
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        unchanged = dump(database) == before
    print(
        f"{path.name:<20} {elapsed:6.2f} s {peak:6.0f} MB  report {size:>7} B  "
        f"unchanged={unchanged}  {outcome[:60]}"
    )


def corpus(folder: Path, count: int) -> None:
    """Import ``count`` random hostile files, every kind; print files, refused, tracebacks."""
    rng = random.Random(13)
    database = network(folder)
    before = dump(database)
    tried = refused = tracebacks = 0
    slowest = 0.0
    for number in range(count):
        kind = rng.choice(KINDS)
        body = [[rng.choice(HOSTILE_CELLS) for _ in range(rng.randint(0, 10))] for _ in range(5)]
        table = [headers(find_kind(kind.name)), *body]
        fmt = rng.choice(["csv", "xlsx", "yaml", "junk"])
        if fmt == "csv":
            cut = rng.choice([None, rng.randint(0, 2000)])
            data = csv_bytes(table, encoding=rng.choice(ENCODINGS), delimiter=";", cut=cut)
        elif fmt == "xlsx":
            data = xlsx_bytes([table] if rng.random() < 0.5 else [[], table])
        elif fmt == "yaml":
            data = yaml_bytes(table[0], body, rng.choice(["", *HOSTILE_YAML]))
        else:
            data, fmt = rng.randbytes(rng.randint(0, 3000)), rng.choice(["csv", "xlsx", "yaml"])
        path = folder / f"hostile-{number}.{fmt}"
        path.write_bytes(data)
        tried += 1
        started = time.perf_counter()
        try:
            refused += bool(run_import(database, kind.name, path).problems)
        except CertifyError:
            refused += 1
        except Exception as error:  # counted: the point of the bench
            tracebacks += 1
            print(f"traceback: {path.name}: {error!r}")
        slowest = max(slowest, time.perf_counter() - started)
    assert dump(database) == before
    print(
        f"corpus: {tried} files tried, {refused} refused, tracebacks: {tracebacks}, "
        f"slowest {slowest:.2f} s, database unchanged"
    )


def main() -> None:
    """Each big file in a process of its own, then the corpus."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=int, default=300)
    parser.add_argument("--one", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one[0], Path(args.one[1]))
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        book = folder / "far.xlsx"
        book.write_bytes(xlsx_bytes([[STAFF]]))
        from openpyxl import load_workbook

        workbook = load_workbook(book)
        sheet = workbook.active
        assert sheet is not None
        sheet["XFD1048576"] = "x"
        workbook.save(book)
        for path in [*big_files(folder).values(), book]:
            subprocess.run([sys.executable, __file__, "--one", "staff", str(path)], check=True)
        corpus(folder, args.corpus)


if __name__ == "__main__":
    main()
