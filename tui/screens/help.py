"""Help: what each screen does and its keys, the current screen first.

The screen shows at once, saying « Chargement… 3 sur 19 » while it writes its sections one
by one (rendering them all takes a second or more)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown

from tui.i18n import N_, _
from tui.screens.account_form import AccountFormScreen
from tui.screens.accounts import AccountsScreen
from tui.screens.assess import AssessScreen
from tui.screens.audit_log import AuditLogScreen
from tui.screens.base import EVERYONE, CertifyScreen, key_offered
from tui.screens.dashboard import DashboardScreen
from tui.screens.heatmap import HeatmapScreen
from tui.screens.history import HistoryScreen
from tui.screens.imports import ImportScreen
from tui.screens.keys import KeysScreen
from tui.screens.my_assessments import MyAssessmentsScreen
from tui.screens.my_progress import MyProgressScreen
from tui.screens.person import PersonScreen
from tui.screens.privacy import PrivacyScreen
from tui.screens.session import SessionScreen
from tui.screens.session_form import SessionFormScreen
from tui.screens.sessions import SessionsScreen
from tui.screens.sign_in import SignInScreen
from tui.screens.staff_list import StaffListScreen
from tui.screens.start_network import StartNetworkScreen
from tui.screens.watchlists import EligibleQueueScreen, ExpiringScreen, RemindersScreen
from tui.screens.welcome import WelcomeScreen
from tui.widgets.loading import WaitsForData

#: Every screen the help describes, in the order a newcomer meets them.
SCREENS: tuple[type[CertifyScreen[Any]], ...] = (
    WelcomeScreen,
    StartNetworkScreen,
    SignInScreen,
    SessionsScreen,
    SessionFormScreen,
    SessionScreen,
    AssessScreen,
    HistoryScreen,
    DashboardScreen,
    StaffListScreen,
    PersonScreen,
    HeatmapScreen,
    ExpiringScreen,
    RemindersScreen,
    EligibleQueueScreen,
    ImportScreen,
    AccountsScreen,
    AccountFormScreen,
    KeysScreen,
    AuditLogScreen,
    MyProgressScreen,
    MyAssessmentsScreen,
    PrivacyScreen,
)


class HelpScreen(WaitsForData, CertifyScreen[None]):
    """The keys of every screen and what each screen is for."""

    NAME = N_("Help")
    HELP = N_("This page. Every key is also in the command palette (ctrl+p).")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "app.pop_screen", N_("Close"), id="help.close"),
    ]
    COVERED = "#help"
    AUDIENCE = EVERYONE

    def __init__(self, shown_over: Screen[object]) -> None:
        """Help opened over ``shown_over`` (described first)."""
        super().__init__()
        self._first = type(shown_over)

    def compose(self) -> ComposeResult:
        """The help as one scrolling document, written once the screen shows."""
        yield Header()
        yield VerticalScroll(id="help")
        yield Footer()

    def on_mount(self) -> None:
        """Say the help is loading, then write it once that shows."""
        self.waiting(True)
        self.call_after_refresh(self.write)

    async def write(self) -> None:
        """Write the sections one by one, saying how many are written."""
        sections = self.sections()
        scroll = self.query_one("#help", VerticalScroll)
        for done, section in enumerate(sections, start=1):
            await scroll.mount(Markdown(section))
            self.loading_progress(done, len(sections))
        self.waiting(False)

    def document(self) -> str:
        """The whole help, as one Markdown text."""
        return "\n\n".join(self.sections())

    def sections(self) -> list[str]:
        """The screens of the user (the one the help was opened over first), then the keys
        that work anywhere; only what the user's roles let them open and do."""
        actor = self.certify.actor
        ordered = sorted(
            (screen for screen in SCREENS if screen.AUDIENCE.includes(actor)),
            key=lambda screen: screen is not self._first,
        )
        sections = [self.section(_(s.NAME), _(s.HELP or ""), self.keys_of(s)) for s in ordered]
        app_keys = [
            binding
            for binding in Binding.make_bindings(vars(type(self.app)).get("BINDINGS", []))
            if self.app.check_action(*parse(binding.action)[1:])
        ]
        everywhere = self.section(
            _("Everywhere"), _("Keys that work on every screen you may open."), app_keys
        )
        return [*sections, everywhere]

    def keys_of(self, screen: type[CertifyScreen[Any]]) -> list[Binding]:
        """The keys a screen and the widgets on it define (not Textual's own) that the user
        is offered there."""
        owners: Iterable[type[DOMNode]] = (screen, *screen.KEYS_FROM)
        actor = self.certify.actor
        return [
            binding
            for owner in owners
            for binding in Binding.make_bindings(vars(owner).get("BINDINGS", []))
            if key_offered(owner, parse(binding.action)[1], actor, oneself=screen.ONESELF)
        ]

    def section(self, title: str, text: str, bindings: Iterable[Binding]) -> str:
        """A titled paragraph and a list of keys (keys with one meaning on one line)."""
        rows: dict[str, list[str]] = {}
        for binding in bindings:
            if not binding.description:
                continue
            meaning = _(binding.description)
            if binding.tooltip:
                meaning += f" — {_(binding.tooltip)}"
            rows.setdefault(meaning, []).append(self.app.get_key_display(binding))
        keys = "\n".join(f"- `{' '.join(keys)}` {meaning}" for meaning, keys in rows.items())
        return f"## {title}\n\n{text}\n\n{keys}"
