"""Every screen at 80 × 24 and 120 × 40 in French, and the grid in English.

Update after a deliberate change of look: ``pytest tests/tui/test_snapshots.py
--snapshot-update``, then look at the SVGs in ``__snapshots__/`` before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.helpers import TODAY, freeze, settle, sign_in
from tui.app import CertifyApp, create_app

#: The two terminal sizes every screen must read well at.
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
#: A snapshot comparison, as pytest-textual-snapshot's fixture gives it.
SnapCompare = Callable[..., bool]
#: Steps driving the app to the screen to photograph.
Steps = Callable[[Pilot[None]], Awaitable[None]]


async def pick(pilot: Pilot[None], picker: str, text: str) -> None:
    """Find ``text`` in a picker and take its first hit."""
    pilot.app.screen.query_one(f"#{picker} Input", Input).value = text
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def as_trainer(pilot: Pilot[None], *keys: str) -> None:
    """Sign in as the demo trainer, then press ``keys``."""
    await sign_in(pilot, "formateur")
    await pilot.press(*keys)
    await settle(pilot)


async def grid_with_changes(pilot: Pilot[None]) -> None:
    """The first session's grid with three unsaved cells, one with a new method."""
    await as_trainer(pilot, "enter")
    await pilot.press("f6", "2", "down", "left", "m", "3", "0")  # a digit moves right
    await settle(pilot)


def shoot(snap_compare: SnapCompare, app: CertifyApp, size: tuple[int, int], steps: Steps) -> bool:
    """Compare the screen reached by ``steps`` with its snapshot."""

    async def run_before(pilot: Pilot[None]) -> None:
        """Drive the app, then freeze what moves."""
        await steps(pilot)
        await freeze(pilot)

    return snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_welcome(snap_compare: SnapCompare, empty_url: str, size: tuple[int, int]) -> None:
    """An empty database: load the demo or start empty."""
    assert shoot(snap_compare, create_app(empty_url, "fr", TODAY), size, settle)


@SIZES
def test_start_network(snap_compare: SnapCompare, empty_url: str, size: tuple[int, int]) -> None:
    """The first site and administrator's form."""

    async def steps(pilot: Pilot[None]) -> None:
        """Open the form from the welcome."""
        await settle(pilot)
        await pilot.press("s")

    assert shoot(snap_compare, create_app(empty_url, "fr", TODAY), size, steps)


@SIZES
def test_sign_in(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """The sign-in form."""
    assert shoot(snap_compare, demo_app(), size, settle)


@SIZES
def test_sessions(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """The trainer's sessions."""
    assert shoot(snap_compare, demo_app(), size, as_trainer)


@SIZES
def test_session_form(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """Editing the latest session: module, site, dates, participants."""

    async def steps(pilot: Pilot[None]) -> None:
        """Edit the highlighted (latest) session."""
        await as_trainer(pilot, "e")

    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_attendance(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """A session's attendance, everyone marked present but not saved."""

    async def steps(pilot: Pilot[None]) -> None:
        """Open the first session and mark everyone present."""
        await as_trainer(pilot, "enter", "p")

    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_grid(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """The assessment grid with unsaved cells marked."""
    assert shoot(snap_compare, demo_app(), size, grid_with_changes)


@SIZES
def test_grid_note(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """The evidence of a grid cell being written."""

    async def steps(pilot: Pilot[None]) -> None:
        """Open the note of the cell under the cursor and type in it."""
        await grid_with_changes(pilot)
        await pilot.press("up", "right", "n", *"A reformulé la demande")  # the cell typed last

    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_leave_unsaved(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """Leaving the grid with unsaved cells asks first."""

    async def steps(pilot: Pilot[None]) -> None:
        """Try to leave the grid."""
        await grid_with_changes(pilot)
        await pilot.press("escape")

    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_assess_one(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """One assessment outside a session, person and competency found by typing."""

    async def steps(pilot: Pilot[None]) -> None:
        """Open the single assessment, pick a person and a competency."""
        await as_trainer(pilot, "a")
        await pick(pilot, "person", "nathalie.andre")
        await pick(pilot, "competency", "ETH-02")

    assert shoot(snap_compare, demo_app(), size, steps)


async def history_of_nathalie(pilot: Pilot[None]) -> None:
    """The history of a participant of the trainer's sessions."""
    await as_trainer(pilot, "h")
    await pick(pilot, "person", "nathalie.andre")


@SIZES
def test_history(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """A person's history, newest first."""
    assert shoot(snap_compare, demo_app(), size, history_of_nathalie)


@SIZES
def test_correction(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """Correcting an assessment: new level and reason."""

    async def steps(pilot: Pilot[None]) -> None:
        """Open the correction of the latest assessment."""
        await history_of_nathalie(pilot)
        await pilot.press("c")

    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_my_assessments(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """A counsellor's own assessments."""

    async def steps(pilot: Pilot[None]) -> None:
        """Sign in as the demo counsellor, then F3."""
        await sign_in(pilot, "conseiller")
        await pilot.press("f3")
        await settle(pilot)

    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_help(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """Help over the sessions list."""

    async def steps(pilot: Pilot[None]) -> None:
        """Open the help over the sessions list."""
        await as_trainer(pilot, "f1")

    assert shoot(snap_compare, demo_app(), size, steps)


def test_grid_in_english(snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp]) -> None:
    """The grid with ``--lang en``."""
    assert shoot(snap_compare, demo_app("en"), (80, 24), grid_with_changes)
