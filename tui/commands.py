"""The command palette: one provider per domain, and every key of the current screen.

Providers that read the database do it in a thread worker of the app (never on the UI
thread); a failure is reported by the app's worker handler and gives no hits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.worker import WorkerFailed

from certify.access.narrowing import DashboardFilters, Presence
from certify.services.training import StaffHit
from certify.views.staff_directory import StaffQuery
from tui import wording
from tui.i18n import _
from tui.screens.assess import AssessScreen
from tui.screens.history import HistoryScreen
from tui.screens.session import SessionScreen
from tui.screens.session_form import SessionFormScreen
from tui.screens.sessions import SessionsScreen

if TYPE_CHECKING:
    from tui.app import CertifyApp

#: People the palette offers a page of, at most.
FOUND = 10
#: A palette entry: its text, its help line, and what it does.
Command = tuple[str, str, Callable[[], Any]]


class CertifyProvider(Provider):
    """A provider with the certify app at hand, matching a list of commands."""

    @property
    def certify(self) -> CertifyApp:
        """The running certify app."""
        return cast("CertifyApp", self.app)

    def has_mode(self, name: str) -> bool:
        """Whether the signed-in user has the mode ``name``."""
        return any(mode.name == name for mode in self.certify.signed_in_modes)

    def runs_sessions(self) -> bool:
        """Whether the signed-in user has the training-sessions mode."""
        return self.has_mode("trainer")

    def coordinates(self) -> bool:
        """Whether the signed-in user has the coordinator's dashboard."""
        return self.has_mode("dashboard")

    async def in_thread(self, read: Callable[[], Any]) -> Any:
        """Run ``read`` in a thread worker of the app; ``None`` if it failed (reported)."""
        worker = self.app.run_worker(read, thread=True, group="palette", exit_on_error=False)
        try:
            return await worker.wait()
        except WorkerFailed:
            return None

    def commands(self) -> list[Command]:
        """The commands offered before anything is typed, and matched after."""
        return []

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for text, help_text, command in self.commands():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        """The commands matching what is typed."""
        matcher = self.matcher(query)
        for text, help_text, command in self.commands():
            if (score := matcher.match(text)) > 0:
                yield Hit(score, matcher.highlight(text), command, text, help_text)


class KeyCommands(CertifyProvider):
    """Every key binding active on the current screen (its widgets' and the app's too)."""

    def commands(self) -> list[Command]:
        """Enabled bindings with an id and a description, with their key."""
        found = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.id and binding.description and active.enabled:
                text = f"{binding.description} ({self.app.get_key_display(binding)})"
                run = partial(self.app.run_action, binding.action, active.node)
                found.append((text, binding.tooltip, run))
        return found


class NavigationCommands(CertifyProvider):
    """The trainer's screens, from wherever the user is."""

    def commands(self) -> list[Command]:
        """New session, single assessment and person history (keys on the sessions list)."""
        if not self.runs_sessions() or isinstance(self.screen, SessionsScreen):
            return []
        open_screen = partial(self.certify.open_in_mode, "trainer")
        return [
            (_("New session"), _("Create a session"), partial(open_screen, SessionFormScreen)),
            (
                _("Assess one person"),
                _("Record one assessment outside a session"),
                partial(open_screen, AssessScreen),
            ),
            (
                _("Person history"),
                _("A person's assessments, and corrections"),
                partial(open_screen, HistoryScreen),
            ),
        ]


class CoordinationCommands(CertifyProvider):
    """The coordinator's lists and report, over the dashboard, for the whole scope."""

    def commands(self) -> list[Command]:
        """Staff list, expiring certificates, issuing queue, reminders and PDF report."""
        if not self.coordinates():
            return []
        # Loaded on first use, like the help: not needed to start the app.
        from tui.screens.reports import ReportDialog
        from tui.screens.staff_list import StaffListScreen
        from tui.screens.watchlists import EligibleQueueScreen, ExpiringScreen, RemindersScreen

        everything = DashboardFilters()
        open_screen = partial(self.certify.open_in_mode, "dashboard")
        return [
            (
                _("Staff list"),
                _("Everyone in your scope, with their status per programme"),
                partial(open_screen, partial(StaffListScreen, everything)),
            ),
            (
                _("Expiring certificates"),
                _("Certificates ending in the next 30, 90 or 180 days"),
                partial(open_screen, partial(ExpiringScreen, everything)),
            ),
            (
                _("Eligible, not yet certified"),
                _("The issuing queue: issue certificates in a batch"),
                partial(open_screen, partial(EligibleQueueScreen, everything)),
            ),
            (
                _("Expiry reminders"),
                _("The reminders e-mailed before certificates expire: due, and sent"),
                partial(open_screen, RemindersScreen),
            ),
            (
                _("PDF report"),
                _("Progress report or Qualiopi evidence for your scope"),
                partial(open_screen, partial(ReportDialog, everything)),
            ),
        ]


class AdminCommands(CertifyProvider):
    """The administrator's accounts and issuer keys."""

    def commands(self) -> list[Command]:
        """Accounts (ctrl+g) and the issuer's keys, over the accounts screen."""
        if not self.has_mode("accounts"):
            return []
        from tui.screens.keys import KeysScreen  # loaded on first use

        return [
            (
                _("Accounts"),
                _("Sign-in accounts, roles and scopes"),
                partial(self.certify.switch_mode, "accounts"),
            ),
            (
                _("Issuer keys"),
                _("The keys certificates are signed with: their state, or create them"),
                partial(self.certify.open_in_mode, "accounts", KeysScreen),
            ),
        ]


class SessionCommands(CertifyProvider):
    """The user's sessions, to open one by module, site or date."""

    async def startup(self) -> None:
        """Read the sessions once, when the palette opens."""
        self._sessions: list[Command] = []
        app, actor = self.certify, self.certify.actor
        if not self.runs_sessions() or actor is None:
            return
        sessions = await self.in_thread(partial(app.backend.sessions, actor, None)) or []
        for line in sessions:
            text = _("Open session {module} · {site} · {dates}").format(
                module=line.module_code,
                site=line.site_code,
                dates=wording.period(line.starts_on, line.ends_on),
            )
            title = wording.pick(line.module_title_fr, line.module_title_en)
            screen = partial(SessionScreen, line.id)
            self._sessions.append((text, title, partial(app.open_in_mode, "trainer", screen)))

    def commands(self) -> list[Command]:
        """Every session read at start-up."""
        return self._sessions


class PeopleCommands(CertifyProvider):
    """People found by name or e-mail: their page (those who have left too, marked), their
    history, or assess them."""

    def trainer_screens(self, hit: StaffHit) -> list[tuple[str, Callable[[], Any]]]:
        """(label, screen) of what a trainer may open for ``hit``, active today."""
        return [
            (_("History of {name}"), partial(HistoryScreen, hit.id)),
            (_("Assess {name}"), partial(AssessScreen, hit)),
        ]

    async def search(self, query: str) -> Hits:
        """Staff whose name or e-mail contains what is typed (from 2 characters)."""
        app, actor, text = self.certify, self.certify.actor, query.strip()
        if actor is None or len(text) < 2:
            return
        matcher = self.matcher(query)
        if self.coordinates():
            from tui.screens.person import PersonScreen  # loaded on first use
            from tui.screens.staff_list import held

            wanted = StaffQuery(text=text, presence=Presence.ALL, limit=FOUND)
            page = await self.in_thread(partial(app.backend.staff_page, actor, wanted))
            for line in page.items if page else ():
                label = _("Page of {name}").format(name=line.person.name)
                about = [line.person.email, line.person.site.code]
                if line.left_on is not None:
                    label += f" — {wording.departure(line.left_on)}"
                    about.append(held(line.certificates))
                screen = partial(PersonScreen, line.person.id)
                yield self.hit(matcher, label, "dashboard", screen, " · ".join(about))
        if not self.runs_sessions():
            return
        hits = await self.in_thread(partial(app.backend.search_staff, actor, text)) or []
        for hit in hits:
            for words, screen in self.trainer_screens(hit):
                label = words.format(name=hit.name)
                yield self.hit(matcher, label, "trainer", screen, f"{hit.email} · {hit.site_code}")

    def hit(
        self, matcher: Matcher, label: str, mode: str, screen: Callable[[], Any], about: str
    ) -> Hit:
        """A person found: ``label`` opens ``screen`` in ``mode``."""
        return Hit(
            max(matcher.match(label), 0.5),
            matcher.highlight(label),
            partial(self.certify.open_in_mode, mode, screen),
            label,
            about,
        )
