"""Starting an empty network: the first site and the administrator's account."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Static

from certify.services.account_admin import confirmed_password
from certify.services.bootstrap import FirstAdmin
from tui.i18n import N_, _
from tui.screens.base import SIGNED_OUT, CertifyScreen
from tui.workers import deliver

#: The form's fields: FirstAdmin attribute → (label, placeholder), both marked.
FIELDS: dict[str, tuple[str, str]] = {
    "site_name": (N_("Site name"), N_("e.g. Cité des métiers de Nîmes et du Gard")),
    "site_code": (N_("Site code"), N_("e.g. NIMES")),
    "region": (N_("Region"), N_("e.g. Occitanie")),
    "country": (N_("Country (two letters)"), N_("e.g. FR")),
    "given_name": (N_("Your given name"), ""),
    "family_name": (N_("Your family name"), ""),
    "email": (N_("Your work e-mail"), ""),
    "username": (N_("Your user name"), N_("e.g. admin")),
    "password": (N_("Your password (8 characters or more)"), ""),
    "again": (N_("Password again"), ""),
}
#: Fields holding a password.
PASSWORDS = frozenset({"password", "again"})
#: What a field holds before anything is typed.
PREFILLED = {"country": "FR"}


class StartNetworkScreen(CertifyScreen[None]):
    """The first site of a new network and its administrator."""

    NAME = N_("Start a network")
    AUDIENCE = SIGNED_OUT
    HELP = N_(
        "Creates the first Cité des métiers of the network, you as a staff member of it, "
        "and your administrator account (the password typed twice). You then sign in with "
        "that account. Escape goes back, asking first when something was typed."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "create",
            N_("Create"),
            id="start.create",
            tooltip=N_("Create the site and the administrator account"),
        ),
        Binding("escape", "back", N_("Back"), id="start.back"),
    ]

    def compose(self) -> ComposeResult:
        """One labelled input per field."""
        yield Header()
        with VerticalScroll(id="start-network", classes="form"):
            yield Static(_("Your network's first site, and you as its administrator"))
            for name, (label, placeholder) in FIELDS.items():
                yield Label(_(label))
                yield Input(
                    id=name,
                    placeholder=_(placeholder) if placeholder else "",
                    password=name in PASSWORDS,
                    value=PREFILLED.get(name, ""),
                )
            yield Button(_("Create"), id="create", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        """Typing goes to the first field at once, the form seen from its top."""
        self.query_one("#site_name", Input).focus(scroll_visible=False)

    def typed(self) -> dict[str, str]:
        """What each field holds."""
        return {name: self.query_one(f"#{name}", Input).value for name in FIELDS}

    def has_unsaved_changes(self) -> bool:
        """Whether anything was typed (the country offered is not)."""
        return any(value != PREFILLED.get(name, "") for name, value in self.typed().items())

    def action_back(self) -> None:
        """Back to the welcome, after confirming if what was typed would be lost."""
        self.certify.confirm_loss(self.has_unsaved_changes(), self.app.pop_screen)

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        """Create everything in the background."""
        self.query_one("#create", Button).disabled = True
        self.create(self.typed())

    @work(thread=True, exit_on_error=False, group="start-network")
    def create(self, values: dict[str, str]) -> None:
        """Start the network (the password typed twice alike), then sign in as its
        administrator."""
        again = values.pop("again")
        confirmed_password(values["password"], again)
        admin = self.backend.start_network(FirstAdmin(**values))
        deliver(self.app, self.certify.network_ready, admin.username)

    def worker_failed(self, error: BaseException) -> None:
        """Something was refused: the form stays as typed."""
        self.query_one("#create", Button).disabled = False
