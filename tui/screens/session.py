"""One session: attendance and the assessment grid, each saved in one transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from certify.access.permissions import Action
from certify.services.assessments import GridMark
from certify.services.training import SessionDetail
from tui import wording
from tui.backend import SessionView
from tui.i18n import N_, _, ngettext
from tui.screens.base import Audience, CertifyScreen
from tui.screens.history import HistoryScreen
from tui.screens.session_form import SessionFormScreen
from tui.widgets.attendance import AttendanceTable
from tui.widgets.grid import AssessmentGrid
from tui.workers import deliver

#: A tab's table: what one save writes and one refresh reloads.
Part = type[AttendanceTable] | type[AssessmentGrid]


class SessionScreen(CertifyScreen[None]):
    """A session's participants: hours present, and levels per competency."""

    NAME = N_("Session")
    AUDIENCE = Audience(action=Action.RECORD_ATTENDANCE)
    HELP = N_(
        "Attendance: the participants and their hours present; p marks everyone present, "
        "enter types one person's hours. Assessment grid: one row per participant, one "
        "column per competency of the module; arrows move, a digit sets the level and moves "
        "to the next cell, m the method, n the evidence. Unsaved cells show a *; ctrl+s "
        "saves the tab in one transaction. Levels already recorded show; a new level on them "
        "records a new assessment (corrections with a reason are made from the person's "
        "history, and show here on coming back). F2 goes back to the sessions."
    )
    KEYS_FROM = (AttendanceTable, AssessmentGrid)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            N_("Save"),
            id="session.save",
            tooltip=N_("Save this tab's changes in one transaction"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="session.back",
            tooltip=N_("Back to the sessions (asks first if changes are unsaved)"),
        ),
        Binding(
            "f5",
            "tab('attendance')",
            N_("Attendance"),
            id="session.attendance",
            tooltip=N_("Participants and hours present"),
            show=False,
        ),
        Binding(
            "f6",
            "tab('grid')",
            N_("Grid"),
            id="session.grid",
            tooltip=N_("The assessment grid"),
            show=False,
        ),
        Binding(
            "f1",
            "app.help",
            N_("Help"),
            id="session.help",
            tooltip=N_("Keys and screens"),
        ),
        Binding(
            "h",
            "history",
            N_("History"),
            id="session.history",
            tooltip=N_("This participant's assessments of this competency"),
        ),
        Binding(
            "e",
            "edit_session",
            N_("Edit"),
            id="session.edit",
            tooltip=N_("Change the module, site, dates or participants"),
        ),
    ]

    def __init__(self, session_id: int) -> None:
        """The screen of session ``session_id``."""
        super().__init__()
        #: The session shown.
        self.session_id = session_id
        self._detail: SessionDetail | None = None

    def compose(self) -> ComposeResult:
        """Heading, then the two tabs with a status line each."""
        yield Header()
        yield Static(id="session-heading", classes="heading")
        with TabbedContent(initial="attendance"):
            with TabPane(_("Attendance"), id="attendance"):
                yield AttendanceTable(id="attendance-table")
                yield Static(id="attendance-status", classes="status")
            with TabPane(_("Assessment grid"), id="grid"):
                yield AssessmentGrid(id="assessment-grid")
                yield Static(id="grid-status", classes="status")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Shown (again): read the session, as a save elsewhere (a correction) may change it."""
        self.load()

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def load(self, part: Part | None = None) -> None:
        """Read the session and its recorded levels (to refresh one tab, or both)."""
        view = self.backend.session(self.actor, self.session_id)
        deliver(self.app, self.show, view, part)

    def show(self, view: SessionView, part: Part | None = None) -> None:
        """Fill the heading and both tabs, unsaved edits kept (or only ``part``, just saved)."""
        detail = self._detail = view.detail
        summary = detail.summary
        trainers = ", ".join(name for _id, name in detail.trainers)
        self.query_one("#session-heading", Static).update(
            f"{summary.module_code} · "
            f"{wording.pick(summary.module_title_fr, summary.module_title_en)}\n"
            f"{summary.site_code} · {wording.period(summary.starts_on, summary.ends_on)} · "
            f"{wording.hours(detail.module_hours)} h · "
            + _("trainers: {names}").format(names=trainers)
        )
        if part in (None, AttendanceTable):
            self.query_one(AttendanceTable).load(detail, keep=part is None)
        if part in (None, AssessmentGrid):
            self.query_one(AssessmentGrid).load(view, keep=part is None)
        if part is not None:
            self.set_saving(part, False)
        self.update_status()

    @on(AttendanceTable.Edited)
    @on(AssessmentGrid.Edited)
    @on(AssessmentGrid.CellHighlighted)
    def update_status(self) -> None:
        """Say what the tabs hold and what is unsaved."""
        self.query_one("#attendance-status", Static).update(
            self.query_one(AttendanceTable).describe()
        )
        self.query_one("#grid-status", Static).update(self.query_one(AssessmentGrid).describe())

    @on(TabbedContent.TabActivated)
    def focus_tab(self, event: TabbedContent.TabActivated) -> None:
        """Put the keyboard in the tab's table."""
        table = AttendanceTable if event.pane.id == "attendance" else AssessmentGrid
        self.query_one(table).focus()
        self.refresh_bindings()

    def action_tab(self, tab: str) -> None:
        """Show a tab."""
        self.query_one(TabbedContent).active = tab

    def has_unsaved_changes(self) -> bool:
        """Whether attendance or the grid holds unsaved edits."""
        drafts = (self.query_one(AttendanceTable).draft, self.query_one(AssessmentGrid).draft)
        return any(draft is not None and draft.dirty for draft in drafts)

    def action_back(self) -> None:
        """Back to the list, asking first when edits would be lost."""
        self.certify.confirm_loss(self.has_unsaved_changes(), self.dismiss)

    def action_save(self) -> None:
        """Save the active tab's changes in one transaction."""
        if self._detail is None:
            return
        if self.query_one(TabbedContent).active == "attendance":
            draft = self.query_one(AttendanceTable).draft
            if draft is not None and draft.dirty:
                self.set_saving(AttendanceTable, True)
                self.save_attendance(draft.hours())
                return
        else:
            grid = self.query_one(AssessmentGrid).draft
            if grid is not None and grid.dirty:
                self.set_saving(AssessmentGrid, True)
                self.save_grid(grid.marks())
                return
        self.notify(_("Nothing to save."))

    def set_saving(self, part: Part | None, saving: bool) -> None:
        """Lock a tab's table (or both) while it is saved, so nothing typed meanwhile is lost."""
        for table in (self.query_one(AttendanceTable), self.query_one(AssessmentGrid)):
            if part in (None, type(table)):
                table.loading = saving

    @work(thread=True, exit_on_error=False, group="write")
    def save_attendance(self, hours: dict[int, Decimal]) -> None:
        """Record the hours in one transaction, then refresh the attendance."""
        count = self.backend.record_attendance(self.actor, self.session_id, hours)
        message = ngettext(
            "Attendance saved: {count} change.", "Attendance saved: {count} changes.", count
        )
        deliver(self.app, self.saved, message.format(count=count), AttendanceTable)

    @work(thread=True, exit_on_error=False, group="write")
    def save_grid(self, marks: list[GridMark]) -> None:
        """Record every changed cell in one transaction, then refresh the grid."""
        count = self.backend.record_grid(self.actor, self.session_id, marks)
        message = ngettext("{count} assessment saved.", "{count} assessments saved.", count)
        deliver(self.app, self.saved, message.format(count=count), AssessmentGrid)

    def saved(self, message: str, part: Part) -> None:
        """Say what was saved and show that tab as stored now."""
        self.notify(message)
        self.load(part)

    def worker_failed(self, error: BaseException) -> None:
        """A refused save: the tables are unlocked, their edits still there to fix."""
        self.set_saving(None, False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The history key works on the grid's tab only."""
        if action == "history":
            return self.query_one(TabbedContent).active == "grid"
        return super().check_action(action, parameters)

    def action_history(self) -> None:
        """The history of the participant under the grid's cursor, for that competency."""
        cell = self.query_one(AssessmentGrid).current_cell()
        if cell is None or self._detail is None:
            return
        person_id, competency_id = cell
        code = next(c.code for c in self._detail.competencies if c.id == competency_id)
        self.app.push_screen(HistoryScreen(person_id, code))

    def action_edit_session(self) -> None:
        """Change the session (after saving or dropping edits here)."""
        if self.has_unsaved_changes():
            self.notify(_("Save or undo your changes first."), severity="warning")
            return

        self.app.push_screen(SessionFormScreen(self.session_id))  # read again on resume
