"""Planner statistics: a new or upgraded database and an import leave them up to date."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from certify.model import Person
from certify.store.db import Database
from tests.exchange_helpers import run_import, write_csv
from tests.factories import MiniNetwork
from tests.test_import_staff import ALICE, BOB, HEADER


def analysed_people(database: Database) -> int | None:
    """The people the planner believes ``person`` holds (``None``: never analysed)."""
    with database.reading() as session:
        if database.is_sqlite:
            stat = session.scalar(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'person'"))
            return None if stat is None else int(stat.split()[0])
        rows = session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'person'"))
        return None if rows is None or rows < 0 else int(rows)


def test_an_import_leaves_the_planner_counting_its_rows(database: Database, tmp_path: Path) -> None:
    """After an import the planner knows how many people there are (SQLite had no idea)."""
    with database.transaction() as session:
        MiniNetwork.build(session)
    report = run_import(database, "staff", write_csv(tmp_path / "staff.csv", [HEADER, ALICE, BOB]))
    assert not report.problems and report.written
    with database.reading() as session:
        people = session.scalar(select(func.count()).select_from(Person))
    assert analysed_people(database) == people
