"""The accounts screen (ctrl+g, administrators only): every account with roles and scope;
a new account with its password typed twice, roles and scope; new roles; disabling — and
an administrator cannot lock themself out, on the screen as in the service."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, SelectionList

from certify.model import Person, Role, UserAccount
from certify.services.accounts import AuthenticationFailed, authenticate
from tests.tui.helpers import Notices, settle, sign_in
from tests.tui.test_modes import offered
from tui.app import CertifyApp
from tui.screens.account_form import AccountFormScreen, RolesDialog
from tui.screens.accounts import AccountsScreen
from tui.screens.dialogs import ConfirmDialog

pytestmark = pytest.mark.asyncio

#: The new account's password.
PASSWORD = "un-mot-de-passe-sûr"


def rows(app: CertifyApp) -> dict[str, list[str]]:
    """The accounts table as shown: user name → its cells."""
    table = app.screen.query_one("#accounts", DataTable)
    shown = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return {cells[0]: cells for cells in shown}


def without_account(app: CertifyApp) -> str:
    """The e-mail of a demo staff member who has no account."""
    with app.backend.database.reading() as session:
        email = session.scalar(
            select(Person.email)
            .where(Person.id.not_in(select(UserAccount.person_id)))
            .order_by(Person.id)
            .limit(1)
        )
    assert email is not None
    return email


def signs_in(app: CertifyApp, username: str, password: str) -> bool:
    """Whether ``username`` signs in with ``password`` now."""
    with app.backend.database.reading() as session:
        try:
            authenticate(session, username, password)
        except AuthenticationFailed:
            return False
    return True


async def open_accounts(pilot: Pilot[None], username: str = "admin") -> None:
    """Sign in, then ctrl+g."""
    await sign_in(pilot, username)
    await pilot.press("ctrl+g")
    await settle(pilot)


async def cursor_on(pilot: Pilot[None], username: str) -> None:
    """Put the table's cursor on ``username``'s row."""
    table = pilot.app.screen.query_one("#accounts", DataTable)
    table.move_cursor(row=table.get_row_index(username))
    table.focus()
    await pilot.pause()


async def fill(pilot: Pilot[None], values: dict[str, str]) -> None:
    """Type each value into the field of that id."""
    for name, value in values.items():
        pilot.app.screen.query_one(f"#{name}", Input).focus()
        await pilot.press(*value)


async def test_an_admin_lists_accounts_with_roles_and_scope(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Each demo account, its roles in French, a coordinator's scope, its state."""
    app = demo_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_accounts(pilot)
        assert isinstance(app.screen, AccountsScreen)
        shown = rows(app)
        assert {"admin", "coord.paris", "coord.reseau", "formateur", "conseiller"} <= set(shown)
        assert shown["admin"][3:] == ["administrateur·rice", "", "actif"]
        assert shown["coord.reseau"][3:] == ["coordinateur·rice", "tout le réseau", "actif"]
        assert shown["coord.paris"][4] == "site PARIS"
        assert shown["coord.idf"][4] == "région Île-de-France"
        status = str(app.screen.query_one("#accounts-status").render())
        assert status == f"{len(shown)} comptes"


async def test_a_new_coordinator_account(demo_app: Callable[..., CertifyApp]) -> None:
    """n, the fields, the coordinator role ticked, a site typed, ctrl+s: listed, signs in."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await open_accounts(pilot)
        email = without_account(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, AccountFormScreen)
        values = {"username": "coord.nimes", "person": email}
        await fill(pilot, {**values, "password": PASSWORD, "again": PASSWORD})
        app.screen.query_one("#roles", SelectionList).select(Role.COORDINATOR)
        await fill(pilot, {"scope": "site:paris"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountsScreen)
        assert notices.last == "Compte coord.nimes créé."
        assert rows(app)["coord.nimes"][2:] == [email, "coordinateur·rice", "site PARIS", "actif"]
        assert signs_in(app, "coord.nimes", PASSWORD)


@pytest.mark.parametrize(
    ("again", "person", "refusal"),
    [
        (PASSWORD + "!", None, "les deux mots de passe diffèrent"),
        (PASSWORD, "personne.inconnue@nulle-part.example", "inconnu"),
    ],
)
async def test_a_refused_account_keeps_the_form(
    demo_app: Callable[..., CertifyApp], again: str, person: str | None, refusal: str
) -> None:
    """Passwords that differ, or nobody by that e-mail: said, the form stays, no account."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await open_accounts(pilot)
        email = person or without_account(app)
        await pilot.press("n")
        await settle(pilot)
        values = {"username": "nouveau", "person": email, "password": PASSWORD, "again": again}
        await fill(pilot, values)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountFormScreen)
        assert refusal in notices.last
        assert app.screen.query_one("#username", Input).value == "nouveau"
        assert not signs_in(app, "nouveau", PASSWORD)


async def test_the_admin_cannot_disable_themself(demo_app: Callable[..., CertifyApp]) -> None:
    """d on one's own account, confirmed: refused in words, still active."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await open_accounts(pilot)
        await cursor_on(pilot, "admin")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#yes")
        await settle(pilot)
        assert "vous ne pouvez pas désactiver votre propre compte" in notices.last
        assert rows(app)["admin"][5] == "actif"
        assert signs_in(app, "admin", "certify-demo")


async def test_the_admin_cannot_remove_their_own_admin_role(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """r on one's own account, administrator unticked, ctrl+s: refused, the role stays."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await open_accounts(pilot)
        await cursor_on(pilot, "admin")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RolesDialog)
        roles = app.screen.query_one("#roles", SelectionList)
        assert roles.selected == [Role.ADMIN]
        roles.deselect(Role.ADMIN)
        roles.select(Role.TRAINER)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "vous ne pouvez pas retirer votre propre rôle d'administrateur" in notices.last
        await pilot.press("escape")
        await settle(pilot)
        assert rows(app)["admin"][3] == "administrateur·rice"


async def test_disable_then_enable_another_account(demo_app: Callable[..., CertifyApp]) -> None:
    """d on formateur, confirmed: disabled, cannot sign in; d again: active again."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await open_accounts(pilot)
        await cursor_on(pilot, "formateur")
        await pilot.press("d")
        await settle(pilot)
        await pilot.click("#yes")
        await settle(pilot)
        assert notices.last == "Compte formateur désactivé."
        assert rows(app)["formateur"][5] == "désactivé"
        assert not signs_in(app, "formateur", "certify-demo")
        await pilot.press("d")
        await settle(pilot)
        assert rows(app)["formateur"][5] == "actif"
        assert signs_in(app, "formateur", "certify-demo")


async def test_new_roles_for_another_account(demo_app: Callable[..., CertifyApp]) -> None:
    """Enter on conseiller, coordinator ticked with a region: listed with that scope."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_accounts(pilot)
        await cursor_on(pilot, "conseiller")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RolesDialog)
        app.screen.query_one("#roles", SelectionList).select(Role.COORDINATOR)
        await fill(pilot, {"scope": "region:Île-de-France"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountsScreen)
        assert rows(app)["conseiller"][3:5] == [
            "conseiller·ère, coordinateur·rice",
            "région Île-de-France",
        ]


@pytest.mark.parametrize("username", ["coord.reseau", "formateur"])
async def test_others_never_reach_the_accounts(
    demo_app: Callable[..., CertifyApp], username: str
) -> None:
    """Neither ctrl+g nor the command palette opens the accounts for a non-administrator."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, username)
        first = type(app.screen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert type(app.screen) is first
        await pilot.press("ctrl+p", *"compte")
        await settle(pilot)
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        assert not [hit for hit in offered(app.screen) if "Compte" in hit or "clés" in hit]


async def test_the_palette_offers_accounts_and_keys_to_an_admin(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """ctrl+p « compte »: the accounts screen, opened by enter."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "admin")
        await pilot.press("ctrl+p", *"comptes")
        await settle(pilot)
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        assert offered(app.screen)[0] == "Comptes"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountsScreen)
