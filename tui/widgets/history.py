"""A person's assessments: filter by competency, one line each, details of the current one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Select, Static

from certify.views.assessment_history import HistoryLine
from tui import wording
from tui.backend import PersonHistory
from tui.i18n import _
from tui.widgets.columns import spare_width, widths
from tui.widgets.selects import chosen


class HistoryView(Vertical):
    """History lines, newest first; corrected ones stay, marked as superseded."""

    def __init__(self, *, id: str | None = None) -> None:
        """Empty until :meth:`show` is given a history."""
        super().__init__(id=id, classes="history")
        #: The history shown (``None`` before the first).
        self.history: PersonHistory | None = None
        self._lines: list[HistoryLine] = []

    def compose(self) -> ComposeResult:
        """Competency filter, table, details."""
        yield Select[str]([], prompt=_("All competencies"), id="competency")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static(id="line-detail", classes="status")

    def show(self, history: PersonHistory, competency_code: str | None = None) -> None:
        """Show ``history``, filtered on ``competency_code`` (default: the filter in use)."""
        self.history = history
        codes = sorted({line.competency_code for line in history.lines})
        choices = history.competencies
        select = self.query_one(Select)
        competency_code = competency_code or chosen(select)
        select.set_options(
            (f"{code} — {wording.pick(choices[code].label_fr, choices[code].label_en)}", code)
            if code in choices
            else (code, code)
            for code in codes
        )
        if competency_code in codes:
            select.value = competency_code
        self.fill()

    @on(Select.Changed, "#competency")
    def fill(self) -> None:
        """List the lines of the chosen competency (all when none is chosen)."""
        if self.history is None:
            return
        code = chosen(self.query_one(Select))
        self._lines = [line for line in self.history.lines if code in (None, line.competency_code)]
        labels = [_("Date"), _("Competency"), _("Level"), _("Method"), _("State")]
        rows = [
            [
                wording.day(line.assessed_on),
                line.competency_code,
                str(line.level),
                wording.method(line.method),
                self.state(line),
            ]
            for line in self._lines
        ]
        table = self.query_one(DataTable)
        sizes = widths(labels, rows)
        table.clear(columns=True)
        for label, size in zip(labels, sizes, strict=True):
            table.add_column(label, width=size)
        table.add_column(_("Assessed by"), width=spare_width(table, sizes))
        for row, line in zip(rows, self._lines, strict=True):
            table.add_row(*row, wording.one_line(line.assessor_name), key=str(line.id))
        if not self._lines:
            self.query_one("#line-detail", Static).update(_("No assessment yet."))

    def on_resize(self) -> None:
        """Names take the width there is."""
        self.fill()

    @staticmethod
    def state(line: HistoryLine) -> str:
        """Standing, corrected (superseded), or a correction of an earlier one."""
        if line.superseded_by is not None:
            return _("superseded")
        return _("correction") if line.correction_reason else _("standing")

    def current(self) -> HistoryLine | None:
        """The line under the cursor."""
        table = self.query_one(DataTable)
        if not self._lines or table.cursor_row >= len(self._lines):
            return None
        return self._lines[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        """Show the current line's competency, level, evidence and any correction reason."""
        line = self.current()
        if line is None or self.history is None:
            return
        choice = self.history.competencies.get(line.competency_code)
        parts = [
            f"{line.competency_code} "
            + (wording.pick(choice.label_fr, choice.label_en) if choice else ""),
            wording.level(line.level, choice.levels if choice else ()),
            _("recorded {day}").format(day=wording.day(line.recorded_at.date())),
        ]
        if line.evidence:
            parts.append(_("evidence: {text}").format(text=line.evidence))
        if line.correction_reason:
            parts.append(_("correction: {reason}").format(reason=line.correction_reason))
        self.query_one("#line-detail", Static).update(" · ".join(parts))
