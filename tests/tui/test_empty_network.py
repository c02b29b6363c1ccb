"""A brand-new network from the app alone: « Démarrer vide », sign in, and the first
screens read an empty network without an error, saying what to do next."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static

from tests.tui.helpers import TODAY, Notices, settle
from tests.tui.test_start import NEWCOMER
from tui.app import create_app
from tui.screens.dashboard import DashboardScreen
from tui.screens.staff_list import StaffListScreen

pytestmark = pytest.mark.asyncio

#: What the empty dashboard says, per language: why, then what to do next.
EXPLAINED = {
    "fr": (
        "Aucun programme de certification pour l'instant\xa0: il n'y a rien à compter.",
        "F8 (Imports) ou «\xa0certify import\xa0»",
    ),
    "en": ("No certification programme yet: there is nothing to count.", "F8 (Imports)"),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_a_new_network_opens_on_an_explained_empty_dashboard(
    empty_url: str, lang: str
) -> None:
    """No error after signing in; the dashboard says there is no programme yet and names
    the import screen, instead of a blank table; the staff list holds the administrator."""
    app, notices = create_app(empty_url, lang, TODAY), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await settle(pilot)
        await pilot.press("s")
        for name, value in {**NEWCOMER, "again": NEWCOMER["password"]}.items():
            app.screen.query_one(f"#{name}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press(*NEWCOMER["password"], "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert notices.messages == []
        why, next_step = EXPLAINED[lang]
        note = str(app.screen.query_one("#dashboard-empty", Static).render())
        assert note.startswith(why) and next_step in note
        assert not app.screen.query_one(DataTable).display
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StaffListScreen)
        table = app.screen.query_one(DataTable)
        assert [str(table.get_cell_at((row, 0))) for row in range(table.row_count)] == [
            "Aïcha Benali"
        ]
        assert notices.messages == []
