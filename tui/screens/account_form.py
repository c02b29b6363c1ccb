"""A new account (login, password typed twice, roles, scope) and an account's new roles.

Both go through the services ``certify user add`` uses; whatever they refuse (a short
password, an unknown person or site, an administrator removing their own role) is said
in a notification and the form stays as typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Label, SelectionList, Static

from certify.access.permissions import Action
from certify.model import Role
from certify.services.account_admin import NewAccount, confirmed_password
from certify.services.accounts import AccountRow
from tui import admin
from tui.i18n import N_, _
from tui.screens.base import Audience, CertifyDialog, CertifyScreen
from tui.screens.dialogs import CANCEL
from tui.wording import ROLES
from tui.workers import deliver

#: The text fields of a new account: id → (label, placeholder), both marked.
FIELDS: dict[str, tuple[str, str]] = {
    "username": (N_("User name"), N_("e.g. coord.nimes")),
    "person": (N_("Staff member (e-mail, or name)"), N_("e.g. lea.girard@nimes.example")),
    "password": (N_("Password (8 characters or more)"), ""),
    "again": (N_("Password again"), ""),
}
#: Save binding of both forms.
SAVE = Binding("ctrl+s", "save", N_("Save"), id="account.save", tooltip=N_("Save the account"))


def role_fields(held: tuple[Role, ...] = (), scope: tuple[str, ...] = ()) -> Iterator[Widget]:
    """The roles to tick, and what a coordinator covers."""
    yield Label(_("Roles (space ticks)"))
    yield SelectionList[Role](*((_(ROLES[role]), role, role in held) for role in Role), id="roles")
    yield Label(_("Coordinator's scope"))
    yield Input(
        ", ".join(scope),
        placeholder=_("site:CODE, region:NAME or network (default), separated by commas"),
        id="scope",
    )


def chosen_roles(screen: Widget) -> tuple[frozenset[Role], tuple[str, ...]]:
    """The roles ticked and the scope items typed."""
    roles = frozenset(screen.query_one("#roles", SelectionList).selected)
    typed = screen.query_one("#scope", Input).value.split(",")
    return roles, tuple(item.strip() for item in typed if item.strip())


class AccountFormScreen(CertifyScreen[bool]):
    """A staff member's new sign-in account; dismissed with ``True`` once created."""

    NAME = N_("New account")
    AUDIENCE = Audience(action=Action.MANAGE_ACCOUNTS)
    AUTO_FOCUS = "#username"
    HELP = N_(
        "Opens a sign-in account for a staff member already in the network (import them "
        "first, F8). Type the password twice; tick their roles; a coordinator covers the "
        "sites (site:CODE), regions (region:NAME) or the whole network (network) typed "
        "in their scope. ctrl+s creates the account; Escape leaves without creating it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        SAVE,
        Binding("escape", "back", N_("Back"), id="account.back"),
    ]

    def compose(self) -> ComposeResult:
        """The text fields, the roles and scope, the button."""
        yield Header()
        with VerticalScroll(id="account-form", classes="form"):
            for name, (label, placeholder) in FIELDS.items():
                yield Label(_(label))
                yield Input(
                    id=name,
                    placeholder=_(placeholder) if placeholder else "",
                    password=name in ("password", "again"),
                )
            yield from role_fields()
            yield Button(_("Create"), id="create", variant="primary")
        yield Footer()

    def typed(self, name: str) -> str:
        """What the field ``name`` holds."""
        return self.query_one(f"#{name}", Input).value

    def has_unsaved_changes(self) -> bool:
        """Whether anything was typed or ticked."""
        return any(self.typed(name) for name in FIELDS) or bool(chosen_roles(self)[0])

    @on(Button.Pressed, "#create")
    def action_save(self) -> None:
        """Create the account in the background (the two passwords must match)."""
        roles, scope = chosen_roles(self)
        typed = {name: self.typed(name) for name in FIELDS}
        self.create(typed, roles, scope)

    @work(thread=True, exit_on_error=False, group="write")
    def create(self, typed: dict[str, str], roles: frozenset[Role], scope: tuple[str, ...]) -> None:
        """Open the account, then go back to the list."""
        password = confirmed_password(typed["password"], typed["again"])
        username = typed["username"].strip()
        new = NewAccount(username, typed["person"], password, roles, scope)
        admin.add_account(self.backend, self.actor, new)
        deliver(self.app, self.created, username)

    def created(self, username: str) -> None:
        """Say so and leave."""
        self.notify(_("Account {username} created.").format(username=username))
        self.dismiss(True)

    def action_back(self) -> None:
        """Leave, after confirming if what was typed would be lost."""
        self.certify.confirm_loss(self.has_unsaved_changes(), lambda: self.dismiss(False))


class RolesDialog(CertifyDialog[bool]):
    """An account's roles and scope, replaced on ctrl+s (``True`` once saved)."""

    BINDINGS: ClassVar[list[BindingType]] = [SAVE, CANCEL]

    def __init__(self, account: AccountRow) -> None:
        """Edit ``account``'s roles."""
        super().__init__()
        self.account = account

    def compose(self) -> ComposeResult:
        """Whose roles, the roles and scope, a hint."""
        with Vertical(classes="dialog"):
            yield Static(
                _("Roles of {username} ({name})").format(
                    username=self.account.username, name=self.account.name
                ),
                classes="box-title",
            )
            yield from role_fields(self.account.roles, self.account.scope)
            yield Static(_("ctrl+s: save · Escape: cancel"), classes="hint")

    def action_save(self) -> None:
        """Replace the roles in the background."""
        roles, scope = chosen_roles(self)
        self.save(roles, scope)

    @work(thread=True, exit_on_error=False, group="write")
    def save(self, roles: frozenset[Role], scope: tuple[str, ...]) -> None:
        """Save, then close."""
        admin.change_roles(self.backend, self.actor, self.account.username, roles, scope)
        deliver(self.app, self.dismiss, True)

    def action_cancel(self) -> None:
        """Escape: nothing changes."""
        self.dismiss(False)
