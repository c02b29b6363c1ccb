"""The report dialog's « Enregistrer » button and enter in its dates save, as ctrl+s does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from certify.access.narrowing import DashboardFilters
from tests.tui.helpers import Notices, settle, sign_in
from tui.app import CertifyApp
from tui.saving import DOWNLOADS_ENV
from tui.screens.dialogs import TextDialog
from tui.screens.reports import ReportDialog

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("how", ["button", "enter"])
async def test_the_save_button_saves_the_report(
    demo_app: Callable[..., CertifyApp],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    """Clicking « Enregistrer » (or enter in the day) then enter writes the PDF, as ctrl+s."""
    monkeypatch.setenv(DOWNLOADS_ENV, str(tmp_path))
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(100, 30), message_hook=notices) as pilot:
        await sign_in(pilot, "coord.paris")
        app.push_screen(ReportDialog(DashboardFilters()))
        await settle(pilot)
        if how == "button":
            await pilot.click("#save")
        else:
            app.screen.query_one("#report-end").focus()
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        await settle(pilot)
        expected = tmp_path / "rapport-progression-2026-11-21.pdf"
        assert notices.last == f"Enregistré\u00a0: {expected}"
    assert expected.stat().st_size > 0
