"""The certify terminal app: start-up, sign-in, modes by role, help and the command palette."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, cast

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen
from textual.types import CSSPathType

from certify.access.permissions import Actor
from certify.store.db import Database
from tui.backend import Backend
from tui.commands import (
    AdminCommands,
    CoordinationCommands,
    KeyCommands,
    NavigationCommands,
    PeopleCommands,
    SessionCommands,
)
from tui.failures import ReportsFailures
from tui.i18n import N_, _, use_language
from tui.modes import Mode, modes_for
from tui.screens.base import CertifyScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.sign_in import SignInScreen
from tui.screens.welcome import WelcomeScreen
from tui.workers import deliver


class CertifyApp(ReportsFailures, App[None]):
    """Coordinators' dashboard, trainers' sessions and assessments, staff's own progress."""

    TITLE = "certify"
    CSS_PATH: ClassVar[CSSPathType | None] = [
        "styles/app.tcss",
        "styles/forms.tcss",
        "styles/grid.tcss",
        "styles/imports.tcss",
        "styles/watchlists.tcss",
        "styles/person.tcss",
        "styles/dashboard.tcss",
        "styles/privacy.tcss",
    ]
    COMMANDS: ClassVar = {
        NavigationCommands,
        CoordinationCommands,
        SessionCommands,
        PeopleCommands,
        AdminCommands,
        KeyCommands,
    }
    MODES: ClassVar = {"welcome": WelcomeScreen, "sign_in": SignInScreen}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", N_("Help"), id="app.help", tooltip=N_("Keys and screens")),
        # Tab at once, in every form: a binding of the screen would act only once the key has
        # bubbled up from the field, after keys typed next (a password manager's
        # "name⇥password⏎", a browser's burst) had gone to the field the focus was leaving.
        Binding(
            "tab",
            "focus_next",
            N_("Next field"),
            id="app.next-field",
            show=False,
            priority=True,
        ),
        Binding(
            "shift+tab",
            "focus_previous",
            N_("Previous field"),
            id="app.previous-field",
            show=False,
            priority=True,
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            N_("Commands"),
            id="app.commands",
            tooltip=N_("Search every command and key"),
            show=False,
            priority=True,
        ),
        Binding(
            "f2",
            "open_mode('trainer')",
            N_("Training sessions"),
            id="app.mode-trainer",
            tooltip=N_("Your sessions, attendance and assessment grids"),
            show=False,
        ),
        Binding(
            "f3",
            "open_mode('staff')",
            N_("My assessments"),
            id="app.mode-staff",
            tooltip=N_("Your own assessments"),
            show=False,
        ),
        Binding(
            "f4",
            "open_mode('progress')",
            N_("My progress"),
            id="app.mode-progress",
            tooltip=N_("Where you stand in each programme, and your certificates"),
            show=False,
        ),
        Binding(
            "f7",
            "open_mode('dashboard')",
            N_("Dashboard"),
            id="app.mode-dashboard",
            tooltip=N_("Certified, expiring and eligible staff across your scope"),
            show=False,
        ),
        Binding(
            "f8",
            "open_mode('imports')",
            N_("Imports"),
            id="app.mode-imports",
            tooltip=N_("Import staff lists and past records from a file"),
            show=False,
        ),
        Binding(
            "f12",
            "audit_log",
            N_("Audit trail"),
            id="app.audit-log",
            tooltip=N_("Who did what, to whom and when, within your scope"),
            show=False,
        ),
        Binding(
            "f10",
            "privacy",
            N_("Privacy"),
            id="app.privacy",
            tooltip=N_("What certify stores about people, why, for how long, and their rights"),
            show=False,
        ),
        Binding(
            "ctrl+g",
            "open_mode('accounts')",
            N_("Accounts"),
            id="app.mode-accounts",
            tooltip=N_("Sign-in accounts, roles and scopes; the issuer's keys (administrators)"),
            show=False,
        ),
        Binding(
            "ctrl+o",
            "sign_out",
            N_("Sign out"),
            id="app.sign-out",
            tooltip=N_("Back to the sign-in screen"),
            show=False,
        ),
        Binding(
            "ctrl+q",
            "quit",
            N_("Quit"),
            id="app.quit",
            tooltip=N_("Leave certify"),
            show=False,
            priority=True,
        ),
    ]

    def __init__(self, backend: Backend) -> None:
        """Serve ``backend``; nobody is signed in yet."""
        super().__init__()
        #: The door to certify's services.
        self.backend = backend
        #: The signed-in user, if any.
        self.actor: Actor | None = None
        #: The modes of the signed-in user, the first opened first.
        self.signed_in_modes: list[Mode] = []
        #: User name the sign-in form starts with (the administrator just created).
        self.suggested_username = ""
        #: Screens mounted now, in every mode (they register themselves).
        self.open_screens: set[CertifyScreen[Any]] = set()
        #: Keys typed before the first screen is up (a browser sends them while the process
        #: starts), held for it; ``None`` once it has them.
        self.early_keys: list[events.Key | events.Paste] | None = []

    def on_mount(self) -> None:
        """Find out whether the network is new, then show the welcome or sign-in screen."""
        self.open_first_screen()

    @work(thread=True, exit_on_error=False, group="start")
    def open_first_screen(self) -> None:
        """Welcome an empty network; otherwise ask who is there."""
        first = "welcome" if self.backend.is_empty() else "sign_in"
        deliver(self, self.show_first_screen, first)

    async def show_first_screen(self, mode: str) -> None:
        """Open ``mode``; after its field has taken the focus, the keys typed so far."""
        await self.switch_mode(mode)
        self.call_later(self.release_early_keys)

    async def on_event(self, event: events.Event) -> None:
        """Hold the keys typed before the first screen is up, rather than lose them."""
        keys = (events.Key, events.Paste)
        if self.early_keys is not None and isinstance(event, keys) and not event.is_forwarded:
            self.early_keys.append(event)
            return
        await super().on_event(event)

    async def release_early_keys(self) -> None:
        """Handle the held keys in the order typed; later keys go straight on."""
        held, self.early_keys = self.early_keys or [], None
        for event in held:
            await super().on_event(event)

    def worker_failed(self, error: BaseException) -> None:
        """The first screen could not open (the database is unreachable): keys work again."""
        self.call_later(self.release_early_keys)

    def network_ready(self, username: str) -> None:
        """After the welcome: sign in, the form starting with ``username``."""
        self.suggested_username = username
        self.switch_mode("sign_in")
        self.remove_mode("welcome")

    def sign_in(self, actor: Actor) -> None:
        """Open the modes ``actor``'s roles give, the first of them in front.

        Everything loaded so far (mostly imports, some 180,000 objects) is set aside from
        the garbage collector first: a full collection over it froze the UI 90–180 ms.
        """
        gc.freeze()
        self.actor = actor
        self.title = f"certify · {actor.username}"
        self.signed_in_modes = modes_for(actor)
        for mode in self.signed_in_modes:
            self.add_mode(mode.name, mode.screen)
        self.switch_mode(self.signed_in_modes[0].name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer mode keys for the user's modes only, signing out once signed in, and the
        audit trail to those who may read it (admins and coordinators)."""
        if action == "open_mode":
            return any(mode.name == parameters[0] for mode in self.signed_in_modes)
        if action == "sign_out":
            return self.actor is not None
        if action == "audit_log":
            return self.actor is not None and self.actor.oversees
        return True

    def action_open_mode(self, name: str) -> None:
        """Go to a user's mode; from inside it, back to its first screen (asking if edits go)."""
        if name != self.current_mode:
            self.switch_mode(name)
            return
        first, *above = self.screen_stack
        unsaved = any(isinstance(s, CertifyScreen) and s.has_unsaved_changes() for s in above)
        self.confirm_loss(unsaved, first.pop_until_active)

    def open_in_mode(self, mode: str, screen: Callable[[], Screen[Any]]) -> None:
        """Open a screen (from the command palette) over the first screen of ``mode``."""
        self.switch_mode(mode)
        self.push_screen(screen())

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the language in use."""
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            placeholder = _("Search for a command, a key, a session or a person…")
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def action_help(self) -> None:
        """Show the keys and what each screen does."""
        from tui.screens.help import HelpScreen  # loaded on first use: not needed to start

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_audit_log(self) -> None:
        """The audit trail of the user's scope (admins and coordinators)."""
        from tui.screens.audit_log import AuditLogScreen  # loaded on first use

        if not isinstance(self.screen, AuditLogScreen):
            self.push_screen(AuditLogScreen())

    def action_privacy(self) -> None:
        """The privacy notice, signed in or not."""
        from tui.screens.privacy import PrivacyScreen  # loaded on first use

        if not isinstance(self.screen, PrivacyScreen):
            self.push_screen(PrivacyScreen())

    def unsaved_screens(self) -> bool:
        """Whether any open screen, in any mode, holds unsaved edits."""
        return any(screen.has_unsaved_changes() for screen in self.open_screens)

    def action_sign_out(self) -> None:
        """Sign out, after confirming if edits would be lost."""
        self.confirm_loss(self.unsaved_screens(), self.sign_out)

    async def action_quit(self) -> None:
        """Quit, after confirming if edits would be lost."""
        self.confirm_loss(self.unsaved_screens(), self.exit)

    def confirm_loss(self, unsaved: bool, then: Callable[[], object]) -> None:
        """Run ``then`` now, or (with ``unsaved`` edits) once the user agrees to lose them."""
        if not unsaved:
            then()
            return
        question = ConfirmDialog(
            _("Some changes are not saved. Leave anyway and lose them?"), _("Leave")
        )

        def answered(agreed: bool | None) -> None:
            """Run ``then`` if the user agreed."""
            if agreed:
                then()

        self.push_screen(question, answered)

    def sign_out(self) -> None:
        """Forget the user and their modes; back to an empty sign-in form."""
        self.switch_mode("sign_in")
        assert isinstance(self.screen, SignInScreen)
        self.screen.reset()
        for mode in self.signed_in_modes:
            self.remove_mode(mode.name)
        self.signed_in_modes = []
        self.actor = None
        self.backend.forget_key_passphrase()
        self.title = "certify"


def create_app(database_url: str, lang: str = "fr", today: date | None = None) -> CertifyApp:
    """The app on the database at ``database_url`` (already migrated), in ``lang``.

    ``today`` is the day the app works as of (tests fix it; default: the real today).
    """
    use_language(lang)
    return CertifyApp(Backend(Database(database_url), today or date.today()))
