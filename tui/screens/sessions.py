"""The trainer's home: their sessions, upcoming and past, filtered by module and site."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Select, Static

from certify.access.permissions import Action
from certify.services.training import SessionSummary
from tui import wording
from tui.backend import Choices
from tui.i18n import N_, _, ngettext
from tui.screens.assess import AssessScreen
from tui.screens.base import Audience, CertifyScreen
from tui.screens.history import HistoryScreen
from tui.screens.session import SessionScreen
from tui.screens.session_form import SessionFormScreen
from tui.widgets.columns import FittedTable, laid_out, spare_width, widths
from tui.widgets.selects import chosen
from tui.workers import deliver

#: Most sessions listed at once (newest first); filters reach the others.
SHOWN = 500
#: Filters of the list: upcoming (``None``: all), module id, site id.
Filters = tuple[bool | None, int | None, int | None]
#: The period filter: value → label (marked).
PERIODS: dict[str, str] = {
    "all": N_("All sessions"),
    "upcoming": N_("Upcoming"),
    "past": N_("Past"),
}


class SessionsScreen(CertifyScreen[None]):
    """Sessions the user trains (or, for coordinators, runs in their scope)."""

    NAME = N_("Training sessions")
    AUDIENCE = Audience(action=Action.MANAGE_SESSION)
    HELP = N_(
        "Your sessions, newest first (coordinators and administrators: every session in "
        "their scope). Filter by period, module and site. Enter opens a session: its "
        "attendance and its assessment grid. n creates a session, e edits the highlighted "
        "one, a records one assessment outside a session, h opens a person's history."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open"), id="sessions.open", tooltip=N_("Open the session")),
        Binding("n", "new", N_("New"), id="sessions.new", tooltip=N_("Create a session")),
        Binding(
            "e", "edit", N_("Edit"), id="sessions.edit", tooltip=N_("Edit the highlighted session")
        ),
        Binding(
            "a",
            "assess",
            N_("Assess"),
            id="sessions.assess",
            tooltip=N_("Record one assessment outside a session"),
        ),
        Binding(
            "h",
            "history",
            N_("History"),
            id="sessions.history",
            tooltip=N_("A person's assessments, and corrections"),
        ),
    ]

    def __init__(self) -> None:
        """Nothing loaded yet."""
        super().__init__()
        self._sessions: list[SessionSummary] = []
        self._found = 0
        self._shown_filters: Filters | None = None

    def compose(self) -> ComposeResult:
        """Filters, the list, and the highlighted session's full title."""
        yield Header()
        with Horizontal(id="filters"):
            yield Select(
                ((_(label), value) for value, label in PERIODS.items()),
                value="all",
                allow_blank=False,
                id="period",
            )
            yield Select[int]([], prompt=_("All modules"), id="module")
            yield Select[int]([], prompt=_("All sites"), id="site")
        yield FittedTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static(id="session-title", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        """The list takes the keyboard; load the filters' choices (the list loads on resume)."""
        self.query_one(DataTable).focus()
        self.load_choices()

    def on_screen_resume(self) -> None:
        """Back on the list: read it again (counts and dates may have changed)."""
        self.read(*self.filters())

    @work(thread=True, exit_on_error=False, group="choices")
    def load_choices(self) -> None:
        """Read the modules and sites to filter on."""
        choices = self.backend.choices(self.actor)
        deliver(self.app, self.offer, choices)

    def offer(self, choices: Choices) -> None:
        """Fill the module and site filters."""
        self.query_one("#module", Select).set_options((m.code, m.id) for m in choices.modules)
        self.query_one("#site", Select).set_options((s.code, s.id) for s in choices.sites)

    def filters(self) -> Filters:
        """The period (``None``: all; ``True``: upcoming), module and site chosen."""
        period = self.query_one("#period", Select).value
        return (
            {"all": None, "upcoming": True, "past": False}[str(period)],
            chosen(self.query_one("#module", Select)),
            chosen(self.query_one("#site", Select)),
        )

    @on(Select.Changed)
    def filter_changed(self) -> None:
        """Read the sessions again when a filter really changed."""
        if self.filters() != self._shown_filters:
            self.read(*self.filters())

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def read(self, upcoming: bool | None, module_id: int | None, site_id: int | None) -> None:
        """Read the sessions in the background."""
        self._shown_filters = (upcoming, module_id, site_id)
        sessions = self.backend.sessions(self.actor, upcoming, module_id, site_id)
        deliver(self.app, self.show, sessions)

    def show(self, sessions: list[SessionSummary]) -> None:
        """List the newest sessions (at most :data:`SHOWN`), keeping the cursor where it was."""
        self._found = len(sessions)
        self._sessions = sessions[:SHOWN]
        self.fill()

    def on_fitted_table_resized(self) -> None:
        """Titles take the width there is."""
        self.fill()

    def fill(self) -> None:
        """Put the sessions in the table, each title cut to the width left for it."""
        table = self.query_one(DataTable)
        if not laid_out(table):
            return
        labels = [_("Dates"), _("Module"), _("Site"), _("People")]
        rows = [
            [
                wording.period(line.starts_on, line.ends_on),
                line.module_code,
                line.site_code,
                str(line.participants),
            ]
            for line in self._sessions
        ]
        sizes = widths(labels, rows)
        room = spare_width(table, sizes)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        for label, size in zip(labels, sizes, strict=True):
            table.add_column(label, width=size)
        table.add_column(_("Title"), width=room)
        for row, line in zip(rows, self._sessions, strict=True):
            title = wording.pick(line.module_title_fr, line.module_title_en)
            table.add_row(*row, wording.one_line(title), key=str(line.id))
        table.cursor_coordinate = cursor
        self.describe()

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        """Under the list: the highlighted session's full title, and how many were found."""
        line = self.highlighted()
        title = (
            f"{line.module_code} · {wording.pick(line.module_title_fr, line.module_title_en)}"
            if line
            else _("No session here yet: n creates one.")
        )
        count = ngettext("{count} session", "{count} sessions", self._found).format(
            count=self._found
        )
        if self._found > len(self._sessions):
            count += " · " + _("the {shown} newest shown: filter to see others").format(
                shown=len(self._sessions)
            )
        self.query_one("#session-title", Static).update(f"{title}\n{count}")

    def highlighted(self) -> SessionSummary | None:
        """The session under the cursor."""
        row = self.query_one(DataTable).cursor_row
        return self._sessions[row] if 0 <= row < len(self._sessions) else None

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        """Open the highlighted session."""
        if (line := self.highlighted()) is not None:
            self.app.push_screen(SessionScreen(line.id))

    def action_new(self) -> None:
        """Create a session, then open it."""
        self.app.push_screen(SessionFormScreen(), self.opened)

    def action_edit(self) -> None:
        """Edit the highlighted session."""
        if (line := self.highlighted()) is not None:
            self.app.push_screen(SessionFormScreen(line.id))

    def opened(self, session_id: int | None) -> None:
        """Open a session just created."""
        if session_id is not None:
            self.app.push_screen(SessionScreen(session_id))

    def action_assess(self) -> None:
        """Record one assessment outside a session."""
        self.app.push_screen(AssessScreen())

    def action_history(self) -> None:
        """Find a person and read their history."""
        self.app.push_screen(HistoryScreen())
