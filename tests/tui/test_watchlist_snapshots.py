"""The watchlists, the issuing progress and the heat map at 80 × 24 and 120 × 40 in French,
and the heat map in English.

Update after a deliberate change of look: ``pytest tests/tui/test_watchlist_snapshots.py
--snapshot-update``, then look at the SVGs in ``__snapshots__/`` before committing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from certify.access.narrowing import DashboardFilters
from tests.tui.eligible import HeldInSecondBatch, make_eligible
from tests.tui.helpers import settle, sign_in
from tests.tui.test_reminder_screens import expire_soon, send_due
from tests.tui.test_snapshots import SIZES, SnapCompare, shoot
from tui.app import CertifyApp
from tui.screens import issuing
from tui.screens.heatmap import HeatmapScreen
from tui.screens.paged import PagedScreen
from tui.screens.watchlists import EligibleQueueScreen, ExpiringScreen, RemindersScreen

#: The whole view: no dashboard filter.
EVERYTHING = DashboardFilters()
#: Id of PARIS in the demo network.
PARIS = 1


def opening(
    username: str, screen: Callable[[], PagedScreen[object]], *keys: str
) -> Callable[[Pilot[None]], object]:
    """Steps: sign in as ``username``, open ``screen``, press ``keys``."""

    async def steps(pilot: Pilot[None]) -> None:
        """Sign in, open, press."""
        await sign_in(pilot, username)
        pilot.app.push_screen(screen())
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return steps


@SIZES
def test_expiring(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """The network coordinator's certifications ending within 180 days, one line down."""
    steps = opening("coord.reseau", lambda: ExpiringScreen(EVERYTHING), "3", "down")
    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_reminders_due(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """The network coordinator's reminders to come, one line down."""
    steps = opening("coord.reseau", RemindersScreen, "down")
    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_reminders_sent(
    snap_compare: SnapCompare,
    demo_app: Callable[..., CertifyApp],
    demo_url: str,
    size: tuple[int, int],
) -> None:
    """The network coordinator's reminders sent by a run, a PARIS one among them."""
    expire_soon(demo_url, "PARIS")
    send_due(demo_url)
    steps = opening("coord.reseau", RemindersScreen, "2")
    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_eligible_queue(
    snap_compare: SnapCompare,
    demo_app: Callable[..., CertifyApp],
    demo_url: str,
    size: tuple[int, int],
) -> None:
    """coord.paris's queue, two lines selected."""
    make_eligible(demo_url, 5, site="PARIS")
    steps = opening("coord.paris", lambda: EligibleQueueScreen(EVERYTHING), "space", "space")
    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_heatmap(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """PARIS's heat map on every competency, the cursor on a cell."""
    steps = opening("coord.paris", lambda: HeatmapScreen(PARIS), "down", "down", "right")
    assert shoot(snap_compare, demo_app(), size, steps)


def test_heatmap_of_a_programme_in_english(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp]
) -> None:
    """PARIS's heat map on CERT-ACC's competencies, minimum levels under the codes, in English."""
    steps = opening("coord.paris", lambda: HeatmapScreen(PARIS, 1), "down", "right", "right")
    assert shoot(snap_compare, demo_app("en"), (120, 40), steps)


@pytest.mark.parametrize("size", [(80, 24)], ids=["80x24"])
def test_issuing_progress_midway(
    snap_compare: SnapCompare,
    demo_app: Callable[..., CertifyApp],
    demo_url: str,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    """The whole queue issued three by three, held in its second batch: « 3 / 7 »."""
    make_eligible(demo_url, 8, site="PARIS")
    monkeypatch.setattr(issuing, "CHUNK", 3)
    hold = HeldInSecondBatch(monkeypatch)

    async def run_before(pilot: Pilot[None]) -> None:
        """Select the queue, issue, wait for the first batch; freeze without waiting more."""
        await sign_in(pilot, "coord.paris")
        pilot.app.push_screen(EligibleQueueScreen(EVERYTHING))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.press("i")
        await pilot.click("#yes")
        await hold.in_second()
        await pilot.pause()

    try:
        assert snap_compare(demo_app(), terminal_size=size, run_before=run_before)
    finally:
        hold.go_on.set()
