"""Files that would break the import: each refused with a problem, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from certify.exchange import render_report
from certify.exchange.cells import INTEGER_MOST, NumberCell
from certify.model.training import Hours
from certify.store.db import Database
from tests.exchange_helpers import dump, found, run_import, write_csv
from tests.factories import MiniNetwork

MODULE_HEADER = ["Code", "Titre", "Titre (anglais)", "Durée (heures)", "Renouvellement (mois)"]


@pytest.fixture
def network(database: Database) -> Database:
    """The miniature network of tests/factories.py."""
    with database.transaction() as session:
        MiniNetwork.build(session)
    return database


def test_numbers_beyond_the_database_columns_are_problems(
    network: Database, tmp_path: Path
) -> None:
    """Hours past 9999,99 and months past PostgreSQL's integer, even 5000 digits long."""
    before = dump(network)
    rows = [
        MODULE_HEADER,
        ["M20", "A", "A", "10000", "12"],
        ["M21", "B", "B", "9" * 5000, str(INTEGER_MOST + 1)],
        ["M22", "C", "C", "9999,99", "9" * 5000],
        ["M23", "D", "D", "7", str(INTEGER_MOST)],
    ]
    report = run_import(network, "modules", write_csv(tmp_path / "m.csv", rows))
    assert found(report) == [
        (2, "Durée (heures)", "10000"),
        (3, "Durée (heures)", "9" * 5000),
        (3, "Renouvellement (mois)", str(INTEGER_MOST + 1)),
        (4, "Renouvellement (mois)", "9" * 5000),
    ]
    assert "ligne 2, colonne Durée (heures) : « 10000 » doit valoir au plus 9999,99" in (
        render_report(report)
    )
    assert "must be at most 2147483647" in render_report(report, "en")
    assert dump(network) == before
    del rows[1:4]
    assert not run_import(network, "modules", write_csv(tmp_path / "n.csv", rows)).problems


def test_the_largest_hours_are_those_of_the_hours_column() -> None:
    """The bound of the cells follows the model's ``Numeric(6, 2)``."""
    cell = NumberCell()
    assert (cell.digits, cell.places) == (Hours.precision, Hours.scale)
