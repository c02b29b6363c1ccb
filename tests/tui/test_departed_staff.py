"""The staff list's keys and departed staff: the filter, the search, ctrl+p, the person page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select, Static

from certify.access.narrowing import Presence
from certify.access.permissions import Actor
from certify.rules.written_dates import written_date
from certify.views.staff_directory import StaffLine, StaffQuery, staff_lines
from tests.tui.helpers import TODAY, settle, sign_in
from tests.tui.test_dashboard_screens import table_rows
from tests.tui.test_modes import offered
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


def departed_holder(app: CertifyApp) -> StaffLine:
    """Someone of the signed-in user's scope who has left holding a certificate."""
    return next(line for line in every_line(app, Presence.DEPARTED) if line.certificates)


async def test_the_presence_filter_lists_the_departed_marked_with_their_certificates(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """« Personnel parti »: only those who left, each name marked with the day; the line
    under the list gives their certificates."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await staff_list(pilot)
        current = {line.person.id for line in every_line(app)}
        departed = every_line(app, Presence.DEPARTED)
        assert departed and not current & {line.person.id for line in departed}
        screen.query_one("#presence-filter", Select).value = Presence.DEPARTED
        await settle(pilot)
        assert screen.total == len(departed)
        names = [row[0] for row in table_rows(screen)]
        assert names == [
            f"{line.person.name} — parti·e le {written_date(line.left_on, 'fr')}"
            for line in departed
            if line.left_on
        ]
        holder = departed_holder(app)
        screen.query_one(DataTable).move_cursor(row=departed.index(holder))
        await settle(pilot)
        under = str(screen.query_one("#staff-person", Static).render())
        assert "parti·e le" in under
        assert all(c.serial in under for c in holder.certificates)


async def test_the_search_finds_the_departed_only_when_asked(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """A departed person's e-mail: nobody among the current staff; found with everyone."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await staff_list(pilot)
        holder = departed_holder(app)
        await pilot.press(*holder.person.email)
        await settle(pilot)
        assert screen.total == 0
        screen.query_one("#presence-filter", Select).value = Presence.ALL
        await settle(pilot)
        assert screen.total == 1
        screen.query_one("#search", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        card = str(app.screen.query_one("#person-card", Static).render())
        assert holder.left_on and f"parti·e le {written_date(holder.left_on, 'fr')}" in card


async def test_the_palette_finds_departed_staff_of_the_scope_only(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """ctrl+p: a PARIS coordinator finds a departed PARIS holder, marked, with their
    certificates; not someone who left another site."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        holder = departed_holder(app)
        mine = {line.person.id for line in every_line(app, Presence.DEPARTED)}
        with app.backend.database.reading() as session:
            everyone = staff_lines(
                session, Actor.system(), TODAY, StaffQuery(presence=Presence.DEPARTED)
            )
        elsewhere = next(line for line in everyone if line.person.id not in mine)
        await pilot.press("ctrl+p", *holder.person.email)
        await settle(pilot)
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert holder.left_on
        label = f"Fiche de {holder.person.name} — parti·e le {written_date(holder.left_on, 'fr')}"
        pages = [text for text in offered(palette) if text.startswith("Fiche de")]
        assert pages == [label]
        found = palette.query_one(OptionList).get_option_at_index(offered(palette).index(label))
        assert holder.certificates[0].serial in str(found.prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.person_id == holder.person.id
        await pilot.press("ctrl+p", *elsewhere.person.email)
        await settle(pilot)
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert not any(elsewhere.person.name in text for text in offered(palette))
