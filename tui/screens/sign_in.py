"""Sign-in: user name and password; a failure never says whether the user exists."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Input, Label, Static

from tui import wording
from tui.i18n import N_, _
from tui.screens.base import SIGNED_OUT, CertifyScreen
from tui.workers import deliver


class SignInScreen(CertifyScreen[None]):
    """Who is there: the modes offered next depend on the account's roles."""

    NAME = N_("Sign in")
    AUDIENCE = SIGNED_OUT
    HELP = N_(
        "Type your user name and password. Trainers, coordinators and administrators then "
        "see their training sessions; everyone sees their own assessments."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "sign_in",
            N_("Sign in"),
            id="sign-in.submit",
            tooltip=N_("Sign in with this user name and password"),
        ),
        # A priority binding moves the focus before the next key is read, so a fast
        # typist's "name⏎password⏎" lands in the right fields.
        Binding(
            "enter",
            "next_field",
            N_("Next"),
            id="sign-in.next",
            tooltip=N_("From the user name to the password"),
            show=False,
            priority=True,
        ),
    ]

    def compose(self) -> ComposeResult:
        """A small centred form."""
        yield Header()
        with Vertical(id="sign-in", classes="box"):
            yield Static(_("Sign in to certify"), classes="box-title")
            yield Label(_("User name"))
            yield Input(
                self.certify.suggested_username, id="username", placeholder=_("e.g. formateur")
            )
            yield Label(_("Password"))
            yield Input(id="password", password=True)
            yield Button(_("Sign in"), id="submit", variant="primary")
            yield Static(wording.database(self.backend.database), id="database", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        """The cursor where typing starts: the password if the name is already there."""
        self.focus_form()
        self.prepare()

    @work(thread=True, exit_on_error=False, group="sign-in-prepare")
    def prepare(self) -> None:
        """While the user types: what makes every first attempt cost the same."""
        self.backend.prepare_sign_in()

    def focus_form(self) -> None:
        """Focus the password when the user name is filled, else the user name."""
        username = self.query_one("#username", Input)
        (self.query_one("#password", Input) if username.value else username).focus()

    def reset(self) -> None:
        """After signing out: an empty form for whoever comes next."""
        for field in self.query(Input):
            field.value = ""
        self.focus_form()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter moves on from the user name only; in the password it submits the form."""
        if action == "next_field":
            return self.focused is self.query_one("#username", Input)
        return super().check_action(action, parameters)

    def action_next_field(self) -> None:
        """From the user name to the password, now rather than after this key."""
        self.set_focus(self.query_one("#password", Input))

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#submit")
    def action_sign_in(self) -> None:
        """Check the user name and password in the background."""
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not username:
            self.query_one("#username", Input).focus()
            return
        self.query_one("#submit", Button).disabled = True
        self.check(username, password)

    @work(thread=True, exit_on_error=False, group="sign-in", exclusive=True)
    def check(self, username: str, password: str) -> None:
        """Authenticate, then open the user's modes."""
        actor = self.backend.sign_in(username, password)
        deliver(self.app, self.certify.sign_in, actor)
        deliver(self.app, self.ready)

    def ready(self) -> None:
        """The form can be used again."""
        self.query_one("#submit", Button).disabled = False

    def worker_failed(self, error: BaseException) -> None:
        """Wrong credentials: empty the password and let the user type it again."""
        self.ready()
        self.query_one("#password", Input).value = ""
        self.query_one("#password", Input).focus()
