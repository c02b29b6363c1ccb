"""The staff list's keys and departed staff: the filter, the search, ctrl+p, the person page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from certify.access.narrowing import Presence
from certify.views.staff_directory import StaffLine, StaffQuery, staff_lines
from tests.tui.helpers import TODAY, settle, sign_in
from tui.app import CertifyApp
from tui.screens.person import PersonScreen
from tui.screens.staff_list import StaffListScreen

pytestmark = pytest.mark.asyncio


def every_line(app: CertifyApp, presence: Presence = Presence.CURRENT) -> tuple[StaffLine, ...]:
    """Every line of the signed-in user's staff list."""
    assert app.actor is not None
    with app.backend.database.reading() as session:
        return staff_lines(session, app.actor, TODAY, StaffQuery(presence=presence))


async def staff_list(pilot: Pilot[None], username: str = "coord.reseau") -> StaffListScreen:
    """Signed in as ``username``, the staff list of the whole view (``s`` on the dashboard)."""
    await sign_in(pilot, username)
    await pilot.press("s")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StaffListScreen)
    return screen


async def test_slash_goes_to_the_search_without_typing_a_slash(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """On the list, / moves to an empty search field; letters still search."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await staff_list(pilot)
        search = screen.query_one("#search", Input)
        assert screen.query_one(DataTable).has_focus
        await pilot.press("slash")
        await settle(pilot)
        assert search.has_focus and search.value == ""
        await pilot.press("down", "l")
        assert search.has_focus and search.value == "l"


async def test_enter_in_the_search_opens_the_single_person_found(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """One person found: Enter opens their page; several: Enter goes down to the list."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await staff_list(pilot)
        person = every_line(app)[0].person
        await pilot.press(*person.email, "enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.person_id == person.id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        search = screen.query_one("#search", Input)
        search.value = "a"
        search.focus()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.query_one(DataTable).has_focus
