"""The welcome of an empty database: load the demo network, or start an empty one.

In a browser (``certify serve``) neither is offered: the demo's accounts share a known
password, and whoever started the network would be its administrator, so a network is set
up on the server only (``certify`` in a terminal, or ``certify demo``), never over the network.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, LoadingIndicator, Static

from certify.demo.certification import DEMO_PASSWORD
from tui import wording
from tui.i18n import N_, _, language
from tui.screens.base import SIGNED_OUT, CertifyScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.start_network import StartNetworkScreen
from tui.workers import deliver


class WelcomeScreen(CertifyScreen[None]):
    """First run: the database holds no network yet."""

    NAME = N_("Welcome")
    AUDIENCE = SIGNED_OUT
    HELP = N_(
        "Shown when the database is empty. Load the demo network to try certify with "
        "realistic data, or start your own network with its first site and administrator."
    )
    #: Shown in a browser instead of both choices.
    SET_UP_ON_SERVER = N_(
        "A network is set up on the server only, so that nobody who reaches this page "
        "becomes its administrator or opens demo accounts with their published password: "
        "run “certify” there in a terminal (start empty) or “certify demo”, then "
        "“certify serve”."
    )
    #: Actions a browser is not offered: they would hand the network to whoever connects.
    SERVER_ONLY = frozenset({"load_demo", "start_network"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "d",
            "load_demo",
            N_("Demo network"),
            id="welcome.demo",
            tooltip=N_("Fill the database with the demo network"),
        ),
        Binding(
            "s",
            "start_network",
            N_("Start empty"),
            id="welcome.start",
            tooltip=N_("Create the first site and the administrator's account"),
        ),
    ]

    def compose(self) -> ComposeResult:
        """Two choices and what each gives."""
        yield Header()
        with Vertical(id="welcome", classes="box"):
            yield Static(_("Welcome to certify"), classes="box-title")
            yield Static(
                _("This database holds no network yet: {database}").format(
                    database=wording.database(self.backend.database)
                ),
                classes="hint",
            )
            if self.app.is_web:
                yield Static(_(self.SET_UP_ON_SERVER), id="set-up-on-server", classes="hint")
            else:
                yield Button(_("Load the demo network"), id="demo", variant="primary")
                yield Static(
                    _(
                        "About 200 staff, 3 years of sessions and assessments. Accounts: "
                        "formateur (trainer), conseiller (counsellor), coord.paris, admin… "
                        "password {password}"
                    ).format(password=DEMO_PASSWORD),
                    classes="hint",
                )
                yield Button(_("Start an empty network"), id="start")
                yield Static(
                    _("Your first site and your administrator account; add the rest later."),
                    classes="hint",
                )
            yield LoadingIndicator(id="loading")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Neither choice in a browser: whoever connects would own the network."""
        if action in self.SERVER_ONLY and self.app.is_web:
            return False
        return super().check_action(action, parameters)

    def action_load_demo(self) -> None:
        """The key d: ask first (a key is easily pressed), then load the demo network."""
        if self.app.is_web:
            return
        question = _(
            "Fill {database} with the demo network (about 200 staff, 3 years of records, "
            "accounts with a published password)?"
        ).format(database=wording.database(self.backend.database))
        self.app.push_screen(
            ConfirmDialog(question, _("Load the demo")),
            lambda yes: self.start_demo() if yes else None,
        )

    @on(Button.Pressed, "#demo")
    def start_demo(self) -> None:
        """Generate the demo network in the background (a few seconds)."""
        if self.app.is_web:
            return
        self.set_busy(True)
        self.notify(_("Loading the demo network: this takes a little while…"))
        self.load_demo()

    @work(thread=True, exit_on_error=False, group="demo")
    def load_demo(self) -> None:
        """Fill the database with the demo network, then go to sign-in (saying what the
        demo set up besides, such as the demo issuer's passphrase)."""
        for line in self.backend.load_demo():
            deliver(self.app, partial(self.app.notify, line.in_(language()), timeout=15))
        deliver(self.app, self.certify.network_ready, "formateur")

    @on(Button.Pressed, "#start")
    def action_start_network(self) -> None:
        """Open the form of the first site and administrator."""
        if self.app.is_web:
            return
        self.app.push_screen(StartNetworkScreen())

    def set_busy(self, busy: bool) -> None:
        """Show the loading indicator and lock the buttons, or the reverse."""
        self.query_one("#loading").display = busy
        for button in self.query(Button):
            button.disabled = busy

    def worker_failed(self, error: BaseException) -> None:
        """The demo could not load: the choices are open again."""
        self.set_busy(False)
