"""The dashboard and the staff list at 80 × 24 and 120 × 40 in French, and the dashboard in
English.

Update after a deliberate change of look: ``pytest tests/tui/test_dashboard_snapshots.py
--snapshot-update``, then look at the SVGs in ``__snapshots__/`` before committing.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from tests.tui.helpers import settle, sign_in
from tests.tui.test_snapshots import SIZES, SnapCompare, shoot
from tui.app import CertifyApp


def signing_in(username: str, *keys: str) -> Callable[[Pilot[None]], object]:
    """Steps: sign in as ``username`` (the dashboard opens), then press ``keys``."""

    async def steps(pilot: Pilot[None]) -> None:
        """Sign in, press."""
        await sign_in(pilot, username)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return steps


@SIZES
def test_dashboard(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """The network coordinator's dashboard, the cursor on the first site's line."""
    steps = signing_in("coord.reseau", "down", "down", "down", "down")
    assert shoot(snap_compare, demo_app(), size, steps)


def test_dashboard_in_english(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp]
) -> None:
    """A site coordinator's dashboard, in English: their sites only."""
    assert shoot(snap_compare, demo_app("en"), (120, 40), signing_in("coord.paris"))


@SIZES
def test_staff_list(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """The Île-de-France coordinator's 53 staff: the second page, the cursor on its second line."""
    steps = signing_in("coord.idf", "s", "pagedown", "down")
    assert shoot(snap_compare, demo_app(), size, steps)


@SIZES
def test_staff_list_searched(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], size: tuple[int, int]
) -> None:
    """Typing « helene » on the network's staff list finds the Hélènes."""
    steps = signing_in("coord.reseau", "s", *"helene")
    assert shoot(snap_compare, demo_app(), size, steps)
