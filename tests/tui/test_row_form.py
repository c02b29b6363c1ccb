"""Typing in a new staff member or a new site: checked as an import of that row, by field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from textual.widgets import Input, Static

from certify.model import Person, Site
from tests.tui.helpers import Notices, settle, sign_in
from tui.app import CertifyApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.row_form import RowFormScreen
from tui.screens.staff_list import StaffListScreen

pytestmark = pytest.mark.asyncio


def field(app: CertifyApp, key: str) -> Input:
    """The form's field of the column ``key``."""
    return app.screen.query_one(f"#field-{key}", Input)


async def test_a_coordinator_types_in_a_new_staff_member(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Insert on the staff list opens the form; a bad day and an unknown site are told by
    field, the fields marked, nothing written; corrected, the person is created and listed."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await sign_in(pilot, "coord.paris")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StaffListScreen)
        await pilot.press("insert")
        await settle(pilot)
        assert isinstance(app.screen, RowFormScreen)
        assert field(app, "active_from").placeholder == "date JJ/MM/AAAA"
        await pilot.press(*"ines")  # typing goes to the first field at once
        assert field(app, "email").value == "ines"
        typed = {
            "email": "ines.ferreira@example.org",
            "given_name": "Inês",
            "family_name": "Ferreira",
            "site": "Marseile",
            "roles": "conseiller",
            "active_from": "31/02/2025",
        }
        for key, value in typed.items():
            field(app, key).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        problems = str(app.screen.query_one("#row-problems", Static).render())
        assert "colonne Date d'entrée\u00a0: «\u00a031/02/2025\u00a0»" in problems
        assert "colonne Site\u00a0: «\u00a0Marseile\u00a0»" in problems and "ligne" not in problems
        assert field(app, "site").has_class("-invalid")
        assert field(app, "active_from").has_class("-invalid")
        assert not field(app, "email").has_class("-invalid")
        with app.backend.database.reading() as session:
            assert session.scalar(select(Person.id).where(Person.family_name == "Ferreira")) is None
        field(app, "site").value = "PARIS"
        field(app, "active_from").value = "02/03/2025"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaffListScreen)
        assert notices.last == "Créé\u00a0: personnel."
        await pilot.press(*"ferreira")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StaffListScreen)
        assert [line.family_name for line in screen.lines] == ["Ferreira"]


async def test_only_an_administrator_types_in_a_site(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Insert on the dashboard: a site coordinator is not offered it; an administrator types
    in a site, which then exists; the same code again is refused as existing."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("insert")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "admin")
        await pilot.press("insert")
        await settle(pilot)
        assert isinstance(app.screen, RowFormScreen)
        site = {"code": "LYON", "name": "Cité des métiers de Lyon", "kind": "Cité des métiers"}
        for key, value in {**site, "region": "Auvergne-Rhône-Alpes"}.items():
            field(app, key).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        with app.backend.database.reading() as session:
            assert session.scalar(select(Site.name).where(Site.code == "LYON")) == site["name"]
        await pilot.press("insert")
        await settle(pilot)
        for key, value in {**site, "region": "Auvergne-Rhône-Alpes"}.items():
            field(app, key).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        problems = str(app.screen.query_one("#row-problems", Static).render())
        assert problems == (
            "colonne Code\u00a0: «\u00a0LYON\u00a0» existe déjà\u00a0: un import modifie ce "
            "qui existe"
        )
