"""The PDF reports of ``certify report``, saved from the dashboard for its filters."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from certify.access.narrowing import DashboardFilters
from certify.errors import CertifyError
from certify.rules.dates import add_months
from tui.i18n import N_, _, language
from tui.saving import Produce, save
from tui.screens.base import CertifyDialog
from tui.screens.dialogs import CANCEL
from tui.wording import parse_day
from tui.workers import deliver

#: Months the Qualiopi evidence covers by default, up to today (as ``certify report``).
QUALIOPI_MONTHS = 12
#: Dates as typed in the dialog.
DAY_FORMAT = "%d/%m/%Y"


class ReportDialog(CertifyDialog[None]):
    """Choose the progress report or the Qualiopi evidence (and its period), then save it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        CANCEL,
        Binding("ctrl+s", "save", N_("Save"), id="report.save", tooltip=N_("Save the PDF")),
    ]

    def __init__(self, filters: DashboardFilters) -> None:
        """A report on the dashboard's scope narrowed by ``filters``."""
        super().__init__()
        #: The dashboard's filters (site or region narrow the report).
        self.filters = filters

    def compose(self) -> ComposeResult:
        """Which report, its dates, and the buttons."""
        today = self.backend.today
        with Vertical(classes="dialog", id="report-dialog"):
            yield Static(_("PDF report"), classes="box-title")
            yield Static(_("Scope: …"), id="report-scope", classes="hint")
            with RadioSet(id="report-kind"):
                yield RadioButton(_("Certification progress"), value=True, id="progress")
                yield RadioButton(_("Qualiopi evidence (indicators 21 and 22)"), id="qualiopi")
            with Horizontal(id="report-dates"):
                yield Label(_("From"), classes="qualiopi-only")
                yield Input(
                    add_months(today, -QUALIOPI_MONTHS).strftime(DAY_FORMAT),
                    id="report-start",
                    classes="qualiopi-only",
                )
                yield Label(_("As of"), id="report-end-label")
                yield Input(today.strftime(DAY_FORMAT), id="report-end")
            yield Static(id="report-error", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Save"), id="save", variant="primary")

    def on_mount(self) -> None:
        """Only the progress report's day shows at first; name the scope."""
        self.kind_changed()
        self.query_one(RadioSet).focus()
        self.load_scope()

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def load_scope(self) -> None:
        """Read the name of the part of the network the report covers."""
        name = self.backend.report_scope_name(self.actor, self.filters)
        deliver(self.app, self.show_scope, name.in_(language()))

    def show_scope(self, name: str) -> None:
        """Say what the report covers."""
        self.query_one("#report-scope", Static).update(
            _("Scope: {scope} (every programme and employer)").format(scope=name)
        )

    def is_qualiopi(self) -> bool:
        """Whether the Qualiopi evidence is chosen."""
        return self.query_one("#qualiopi", RadioButton).value

    @on(RadioSet.Changed)
    def kind_changed(self) -> None:
        """The Qualiopi evidence covers a period; the progress report is as of a day."""
        qualiopi = self.is_qualiopi()
        for node in self.query(".qualiopi-only"):
            node.display = qualiopi
        self.query_one("#report-end-label", Label).update(_("To") if qualiopi else _("As of"))

    def typed_day(self, field: str) -> date:
        """The date typed in a field (day first, or ISO)."""
        return parse_day(self.query_one(f"#{field}", Input).value)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save_pressed(self) -> None:
        """Save as ctrl+s does, run by the app: "Save as" answers the app, not this dialog."""
        self.app.call_later(self.action_save)

    def action_save(self) -> None:
        """Check the dates, close, and save the report chosen for them."""
        error = self.query_one("#report-error", Static)
        try:
            end = self.typed_day("report-end")
            start = self.typed_day("report-start") if self.is_qualiopi() else end
        except CertifyError as wrong:
            error.update(wrong.in_(language()))
            return
        if start > end:
            error.update(_("The period starts after it ends."))
            return
        filename, produce = self.report(start, end)
        below = self.app.screen_stack[-2]
        self.dismiss()
        save(below, filename, "application/pdf", produce)

    def report(self, start: date, end: date) -> tuple[str, Produce]:
        """The file name and how to make the PDF chosen (rendered in a worker by ``save``)."""
        backend, actor, filters, lang = self.backend, self.actor, self.filters, language()
        if self.is_qualiopi():
            stem = _("qualiopi-evidence")
            return f"{stem}-{end.isoformat()}.pdf", lambda: backend.qualiopi_report(
                actor, filters, start, end, lang
            )
        stem = _("progress-report")
        return f"{stem}-{end.isoformat()}.pdf", lambda: backend.progress_report(
            actor, filters, end, lang
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss()
