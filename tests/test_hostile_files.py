"""A corpus of hostile files, for every kind of import: never a traceback, nothing written.

Each file drawn (CSV, XLSX, YAML: junk, huge cells, deep nesting, aliases, mixed
encodings, cut files, extreme numbers and dates) is imported for real: the import gives
an :class:`ImportReport` (problems, or at most a harmless note) or a ``CertifyError``, the
database is as it was when anything is wrong, and each file takes bounded time and memory.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certify.errors import CertifyError
from certify.exchange import KINDS, find_kind
from certify.store.db import Database
from tests.exchange_helpers import dump, run_import
from tests.factories import MiniNetwork
from tests.hostile import (
    ENCODINGS,
    HOSTILE_CELLS,
    HOSTILE_YAML,
    XLSX_VALUES,
    csv_bytes,
    headers,
    xlsx_bytes,
    yaml_bytes,
)

#: Seconds one hostile file may take, at most (the biggest here take well under one).
MOST_SECONDS = 10
#: Bytes of memory one hostile file may take, at most.
MOST_MEMORY = 300 * 2**20
#: Files drawn per kind and format.
EXAMPLES = 3
#: What was tried, for the summary printed at the end.
TRIED: dict[str, int] = {"files": 0, "refused": 0, "tracebacks": 0}

KIND_NAMES = [kind.name for kind in KINDS]
cells = st.one_of(st.sampled_from(HOSTILE_CELLS), st.text(max_size=30))
rows = st.lists(st.lists(cells, max_size=12), max_size=6)


@pytest.fixture
def network(database: Database) -> Database:
    """The miniature network of tests/factories.py."""
    with database.transaction() as session:
        MiniNetwork.build(session)
    return database


def try_file(database: Database, kind: str, path: Path, data: bytes) -> None:
    """Import ``data`` as ``kind``: a report or a one-line error, bounded, nothing written."""
    path.write_bytes(data)
    before = dump(database)
    TRIED["files"] += 1
    tracemalloc.start()
    started = time.perf_counter()
    try:
        report = run_import(database, kind, path)
    except CertifyError:
        refused = True
    except Exception:
        TRIED["tracebacks"] += 1
        raise
    else:
        refused = bool(report.problems)
        assert refused or not report.written, "a hostile file wrote to the database"
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    TRIED["refused"] += refused
    assert dump(database) == before
    assert elapsed < MOST_SECONDS, f"{path.name}: {elapsed:.1f} s"
    assert peak < MOST_MEMORY, f"{path.name}: {peak / 2**20:.0f} MB"


hostile = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("kind", KIND_NAMES)
@hostile
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".yaml"]))
def test_binary_junk(
    network: Database, tmp_path: Path, kind: str, data: bytes, suffix: str
) -> None:
    """Random bytes under any extension: refused, never a traceback."""
    try_file(network, kind, tmp_path / f"junk{suffix}", data)


@pytest.mark.parametrize("kind", KIND_NAMES)
@hostile
@given(
    body=rows,
    english=st.booleans(),
    encoding=st.sampled_from(ENCODINGS),
    delimiter=st.sampled_from(";,\t"),
    cut=st.one_of(st.none(), st.integers(0, 3000)),
)
def test_csv_files(
    network: Database,
    tmp_path: Path,
    kind: str,
    body: list[list[str]],
    english: bool,
    encoding: str,
    delimiter: str,
    cut: int | None,
) -> None:
    """The kind's header, then rows of hostile cells, in any encoding, perhaps cut short."""
    table = [headers(find_kind(kind), english), *body]
    data = csv_bytes(table, encoding=encoding, delimiter=delimiter, cut=cut)
    try_file(network, kind, tmp_path / "hostile.csv", data)


@pytest.mark.parametrize("kind", KIND_NAMES)
@hostile
@given(
    sheets=st.lists(
        st.lists(st.lists(st.one_of(cells, st.sampled_from(XLSX_VALUES)), max_size=10), max_size=4),
        max_size=3,
    ),
    active=st.integers(0, 2),
    with_header=st.booleans(),
)
def test_xlsx_files(
    network: Database,
    tmp_path: Path,
    kind: str,
    sheets: list[list[list[object]]],
    active: int,
    with_header: bool,
) -> None:
    """Workbooks of one to three sheets, the header perhaps on one, hostile cells and dates."""
    if with_header and sheets:
        sheets[0].insert(0, list(headers(find_kind(kind))))
    try_file(network, kind, tmp_path / "hostile.xlsx", xlsx_bytes(sheets, active))


@pytest.mark.parametrize("kind", KIND_NAMES)
@hostile
@given(records=rows, raw=st.one_of(st.just(""), st.sampled_from(HOSTILE_YAML)))
def test_yaml_files(
    network: Database, tmp_path: Path, kind: str, records: list[list[str]], raw: str
) -> None:
    """Records keyed by the kind's headers with hostile values, or YAML that attacks the loader."""
    data = yaml_bytes(headers(find_kind(kind)), records, raw)
    try_file(network, kind, tmp_path / "hostile.yaml", data)


@pytest.mark.parametrize("raw", HOSTILE_YAML)
def test_every_hostile_yaml_alone(network: Database, tmp_path: Path, raw: str) -> None:
    """Each YAML attack on its own, as a staff file."""
    try_file(network, "staff", tmp_path / "hostile.yaml", raw.encode())


def test_zz_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """Print how many files were tried and refused (run with ``-s`` to see it)."""
    with capsys.disabled():
        print(f"\nhostile files: {TRIED}")
    assert TRIED["tracebacks"] == 0
