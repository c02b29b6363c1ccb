"""Staff's home: their own assessments, per competency, with who assessed them and when."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from certify.rules.competencies import AssessmentStanding
from tui.backend import PersonHistory
from tui.i18n import N_, ngettext
from tui.screens.base import STAFF, CertifyScreen
from tui.widgets.history import HistoryView
from tui.workers import deliver


class MyAssessmentsScreen(CertifyScreen[None]):
    """The signed-in person's assessment history (read only)."""

    NAME = N_("My assessments")
    AUDIENCE = STAFF
    ONESELF = True
    HELP = N_(
        "Your own assessments, newest first: the level, how and by whom you were assessed, "
        "whether each still counts today, and any correction with its reason. Filter by "
        "competency with the list above. Enter shows everything about the highlighted one."
    )
    KEYS_FROM = (HistoryView,)

    def compose(self) -> ComposeResult:
        """Who, then the history."""
        yield Header()
        yield Static(id="person-card", classes="heading")
        yield HistoryView()
        yield Footer()

    def on_mount(self) -> None:
        """Load the history."""
        self.load()

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def load(self) -> None:
        """Read the signed-in person's own history."""
        assert self.actor.person_id is not None
        history = self.backend.history(self.actor, self.actor.person_id)
        deliver(self.app, self.show, history)

    def show(self, history: PersonHistory) -> None:
        """Show who and their history."""
        person = history.person
        count = len(
            [line for line in history.lines if line.state.standing is AssessmentStanding.COUNTS]
        )
        self.query_one("#person-card", Static).update(
            f"{person.name} · {person.email} · {person.site_code} · "
            + ngettext("{count} standing assessment", "{count} standing assessments", count).format(
                count=count
            )
        )
        self.query_one(HistoryView).show(history)
        self.query_one(HistoryView).query_one("DataTable").focus()
