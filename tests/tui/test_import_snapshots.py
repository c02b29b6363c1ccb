"""The import screen before any file (the kind's columns), with a dry-run report (French at
80 × 24 and 120 × 40, English), and the report dialog.

Update after a deliberate change of look: ``pytest tests/tui/test_import_snapshots.py
--snapshot-update``, then look at the SVGs in ``__snapshots__/``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from certify.access.narrowing import DashboardFilters
from tests.tui.helpers import freeze, settle, sign_in
from tests.tui.import_files import BAD_ROWS, GOOD_ROWS, checked, write_staff
from tui.app import CertifyApp
from tui.screens.reports import ReportDialog

#: The two terminal sizes every screen must read well at.
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
#: A snapshot comparison, as pytest-textual-snapshot's fixture gives it.
SnapCompare = Callable[..., bool]


def report_of(rows: tuple[str, ...]) -> Callable[[Pilot[None]], object]:
    """Steps: coord.paris checks ``personnel.csv``, written in the working folder with ``rows``."""

    async def run_before(pilot: Pilot[None]) -> None:
        """Check the file, then freeze what moves."""
        write_staff(Path("personnel.csv"), rows, "cp1252")
        await checked(pilot, "coord.paris", "personnel.csv")
        await freeze(pilot)

    return run_before


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work in the test's folder: the path typed (and shown) is the same on every machine."""
    monkeypatch.chdir(tmp_path)


@SIZES
def test_columns(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """Before any file: the staff columns, * for the required ones, what each cell holds."""

    async def run_before(pilot: Pilot[None]) -> None:
        """Open the imports as coord.paris."""
        await sign_in(pilot, "coord.paris")
        await pilot.press("f8")
        await freeze(pilot)

    assert snap_compare(demo_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_problems(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """A file with a bad date and an unknown site: both problems, nothing to import."""
    assert snap_compare(demo_app(), terminal_size=size, run_before=report_of(BAD_ROWS))


@SIZES
def test_dry_run(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """A clean file: what would be created, and ctrl+s offered."""
    assert snap_compare(demo_app(), terminal_size=size, run_before=report_of(GOOD_ROWS))


def test_problems_english(snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp]) -> None:
    """The problems in English, as the engine words them."""
    assert snap_compare(demo_app("en"), terminal_size=(80, 24), run_before=report_of(BAD_ROWS))


@SIZES
def test_report_dialog(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """The report dialog, the Qualiopi evidence chosen."""

    async def run_before(pilot: Pilot[None]) -> None:
        """Open the dialog and choose the Qualiopi evidence."""
        await sign_in(pilot, "coord.paris")
        await pilot.press("f8")  # over a screen of this area: the dashboard's look may change
        await settle(pilot)
        pilot.app.push_screen(ReportDialog(DashboardFilters()))
        await settle(pilot)
        await pilot.press("down", "enter")
        await freeze(pilot)

    assert snap_compare(demo_app(), terminal_size=size, run_before=run_before)
