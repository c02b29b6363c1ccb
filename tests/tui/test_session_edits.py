"""No edit lost, none stale, none doubled: a trainer's session, its dialogs and its grid."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.tui.helpers import settle, sign_in
from tui.app import CertifyApp
from tui.screens.dialogs import TextDialog
from tui.screens.session import SessionScreen
from tui.widgets.attendance import AttendanceTable

pytestmark = pytest.mark.asyncio


async def open_session(pilot: Pilot[None], app: CertifyApp) -> SessionScreen:
    """Sign in as the demo trainer and open their first session."""
    await sign_in(pilot, "formateur")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, SessionScreen)
    return app.screen


async def test_refused_hours_stay_in_the_dialog_with_the_person_named(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Hours beyond the module's stay in the dialog, refused there by the person's name
    with a decimal comma; fixed, they are kept; a word that is not hours is refused too."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_session(pilot, app)
        table = screen.query_one(AttendanceTable)
        detail = screen._detail
        assert detail is not None
        first = detail.participants[0]
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, TextDialog)
        field = dialog.query_one(Input)
        field.value = "22,5"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        refusal = str(dialog.query_one("#refusal", Static).render())
        assert (
            refusal == f"{first.name}\u00a0: 22,5 h n'est pas entre 0 et 21 h, la durée du module"
        )
        field.value = "beaucoup"
        await pilot.press("enter")
        assert app.screen is dialog
        assert "n'est pas un nombre d'heures" in str(dialog.query_one("#refusal", Static).render())
        field.value = "20,5"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert table.draft is not None and str(table.draft.current(first.person_id)) == "20.5"
