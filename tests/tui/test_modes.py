"""Modes by role, the command palette, the help screen, and refusals in plain words."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, OptionList

from tests.tui.helpers import Notices, settle, sign_in
from tui.app import CertifyApp
from tui.i18n import _
from tui.screens.assess import AssessScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.help import SCREENS, HelpScreen
from tui.screens.history import HistoryScreen
from tui.screens.imports import ImportScreen
from tui.screens.my_assessments import MyAssessmentsScreen
from tui.screens.my_progress import MyProgressScreen
from tui.screens.person import PersonScreen
from tui.screens.session_form import SessionFormScreen
from tui.screens.sessions import SessionsScreen
from tui.screens.watchlists import ExpiringScreen

pytestmark = pytest.mark.asyncio


def offered(palette: CommandPalette) -> list[str]:
    """The commands the palette lists now."""
    hits = palette.query_one(OptionList)
    return [
        str(hits.get_option_at_index(i).prompt).split("\n")[0] for i in range(hits.option_count)
    ]


async def test_staff_get_their_own_history_and_no_trainer_mode(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """A counsellor lands on their progress, has their assessments on F3, and neither the
    trainer's nor the coordinator's keys and commands."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "conseiller")
        assert isinstance(app.screen, MyProgressScreen)
        assert [mode.name for mode in app.signed_in_modes] == ["progress", "staff"]
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MyAssessmentsScreen)
        assert screen.query_one(DataTable).row_count > 0
        for key in ("f2", "f7", "f8"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen
        await pilot.press("ctrl+p", *"session")
        await settle(pilot)
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert offered(palette) == []  # no session to open, no « New session »
        await pilot.press(*["backspace"] * 7, *"aide")
        await pilot.pause(0.3)
        assert offered(palette) == ["Aide (f1)"]


async def test_an_administrator_switches_modes(demo_app: Callable[..., CertifyApp]) -> None:
    """An administrator lands on the dashboard, runs sessions (the whole network), imports,
    and has their own progress and history too."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "admin")
        assert isinstance(app.screen, DashboardScreen)
        assert [mode.name for mode in app.signed_in_modes] == [
            "dashboard",
            "trainer",
            "progress",
            "staff",
            "imports",
            "accounts",
        ]
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, MyProgressScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SessionsScreen)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, MyAssessmentsScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SessionsScreen)
        assert app.screen.query_one(DataTable).row_count > 100


async def test_a_coordinator_finds_lists_and_people_in_the_palette(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """ctrl+p offers the coordinator's lists from any mode, and a person's page by name."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "coord.paris")
        await pilot.press("f2", "ctrl+p", *"échéance")
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert offered(palette)[0] == "Certificats arrivant à échéance"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExpiringScreen)
        assert app.current_mode == "dashboard"
        await pilot.press("ctrl+p", *"girard")
        await settle(pilot)
        await pilot.pause(0.3)
        assert "Fiche de Léa Girard" in offered(app.screen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)


async def test_assessing_yourself_is_refused_in_plain_words(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """A coordinator picks themselves: the service refuses and the words say why."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(100, 40), message_hook=notices) as pilot:
        await sign_in(pilot, "coord.paris")
        await pilot.press("f2", "a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        actor = app.actor
        assert actor is not None
        me = [
            hit
            for hit in app.backend.search_staff(actor, "", actor.site_id)
            if hit.id == actor.person_id
        ]
        assert len(me) == 1
        screen.query_one("#person Input", Input).value = me[0].email
        await settle(pilot)
        await pilot.press("enter")
        screen.query_one("#competency Input", Input).value = "ETH-01"
        await settle(pilot)
        await pilot.press("enter")
        await pilot.press("enter", "down", "down", "enter")  # level 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notices.last == (
            "Vous ne pouvez pas enregistrer une évaluation\u00a0: personne ne s'évalue soi-même."
        )


async def test_the_palette_finds_people_and_keys(demo_app: Callable[..., CertifyApp]) -> None:
    """Typing a name offers their history; typing a key's description runs it."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "formateur")
        await pilot.press("ctrl+p", *"Nathalie")
        await settle(pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape", "ctrl+p", *"Nouvelle")
        await settle(pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionFormScreen)


#: Screens whose help each demo account reads, and some it must not (by their names).
HELP_FOR = {
    "conseiller": (
        {"Ma progression", "Mes évaluations", "Confidentialité"},
        {"Tableau de bord", "Sessions de formation", "Comptes", "Bienvenue", "Connexion"},
    ),
    "formateur": (
        {"Sessions de formation", "Évaluer une personne", "Mes évaluations"},
        {"Tableau de bord", "Imports", "Comptes", "Piste d'audit"},
    ),
    "coord.paris": (
        {"Tableau de bord", "Imports", "Piste d'audit", "Sessions de formation"},
        {"Comptes", "Clés de l'émetteur", "Connexion"},
    ),
    "admin": ({"Comptes", "Clés de l'émetteur", "Tableau de bord"}, {"Bienvenue"}),
}


@pytest.mark.parametrize("username", list(HELP_FOR))
async def test_the_help_shows_each_user_their_screens_and_keys_only(
    demo_app: Callable[..., CertifyApp], username: str
) -> None:
    """F1 describes the screens the user's roles open, each with the keys they are offered
    there: a counsellor reads no « Révoquer » (not even over their own certificates), no
    dashboard, no mode key of another role; every screen and key listed is theirs."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, username)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        document = help_screen.document()
        titles = set(re.findall(r"^## (.+)$", document, re.M))
        shown, hidden = HELP_FOR[username]
        assert shown <= titles and not hidden & titles, titles
        for screen in SCREENS:
            listed = f"## {_(screen.NAME)}" in document
            assert listed == screen.AUDIENCE.includes(app.actor), screen.NAME
        mine = document.partition("## Ma progression\n")[2].partition("\n## ")[0]
        assert "Révoquer" not in mine and "Rééditer" not in mine
        if username == "conseiller":
            assert "Révoquer" not in document and "Tableau de bord" not in document
            everywhere = document.partition("## Partout")[2]
            assert "Sessions de formation" not in everywhere and "Se déconnecter" in everywhere
        if username == "coord.paris":
            person = document.partition("## Personne\n")[2].partition("\n## ")[0]
            assert "Révoquer" in person and "Rééditer" in person


async def test_the_help_before_signing_in_describes_signing_in(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Before anyone signs in, F1 describes the welcome, the sign-in and the privacy notice,
    and no key that needs an account."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        document = help_screen.document()
        titles = set(re.findall(r"^## (.+)$", document, re.M))
        assert {"Connexion", "Confidentialité", "Partout"} <= titles
        assert "Tableau de bord" not in titles and "Se déconnecter" not in document


async def test_signing_out_asks_about_unsaved_cells_in_another_mode(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """A grid left unsaved in the sessions mode is not lost silently from another mode."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "formateur")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f6", "2", "f3")
        await settle(pilot)
        assert isinstance(app.screen, MyAssessmentsScreen)
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert app.actor is None and not app.open_screens - {app.screen}
