"""A person's assessments, each with how it stands today; enter shows one in full."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Select, Static

from certify.rules.competencies import AssessmentStanding, AssessmentState
from certify.views.assessment_history import HistoryLine
from tui import wording
from tui.backend import PersonHistory
from tui.i18n import N_, _
from tui.screens.base import CertifyDialog
from tui.screens.dialogs import CANCEL
from tui.widgets.columns import NARROWEST, spare_width, widths
from tui.widgets.selects import chosen


def state_words(state: AssessmentState, *, dated: bool = True) -> str:
    """How an assessment stands: « expirée le 26/05/2026 »…; undated, one word (narrow tables)."""
    match state.standing:
        case AssessmentStanding.COUNTS:
            return _("standing")
        case AssessmentStanding.CORRECTED:
            return _("corrected")
        case AssessmentStanding.OVERTAKEN if dated and state.replaced_on is not None:
            return _("replaced by the assessment of {day}").format(
                day=wording.day(state.replaced_on)
            )
        case AssessmentStanding.OVERTAKEN:
            return _("superseded")
        case AssessmentStanding.EXPIRED if dated and state.expires_on is not None:
            return _("expired on {day}").format(day=wording.day(state.expires_on))
        case AssessmentStanding.EXPIRED:
            return _("lapsed")
        case AssessmentStanding.LATER:
            return _("upcoming")


def line_state(line: HistoryLine, *, dated: bool = True) -> str:
    """The line's standing in words; dated, a correction is marked so."""
    words = state_words(line.state, dated=dated)
    if dated and line.correction_reason:
        return _("{state} (correction)").format(state=words)
    return words


class HistoryView(Vertical):
    """History lines, newest first, each with how it stands today; corrected ones stay."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "detail",
            N_("Detail"),
            id="history.detail",
            tooltip=N_(
                "Everything about the highlighted assessment: evidence, correction, who, when"
            ),
        ),
    ]

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
        yield Static(id="line-detail", classes="status", markup=False)

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
        table = self.query_one(DataTable)
        for dated in (True, False):  # dated states where they leave the names room
            rows = [
                [
                    wording.day(line.assessed_on),
                    line.competency_code,
                    str(line.level),
                    wording.method(line.method),
                    line_state(line, dated=dated),
                ]
                for line in self._lines
            ]
            sizes = widths(labels, rows)
            if spare_width(table, sizes) > NARROWEST:
                break
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

    def current(self) -> HistoryLine | None:
        """The line under the cursor."""
        table = self.query_one(DataTable)
        if not self._lines or table.cursor_row >= len(self._lines):
            return None
        return self._lines[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        """Sum up the current line, its standing, and say that enter shows all of it."""
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
            parts.append(_("evidence: {text}").format(text=" ".join(line.evidence.split())))
        if line.correction_reason:
            parts.append(_("correction: {reason}").format(reason=line.correction_reason))
        state = _("State: {state}").format(state=line_state(line))
        hint = _("Enter: the whole detail (evidence, correction, who, when)")
        self.query_one("#line-detail", Static).update(f"{' · '.join(parts)}\n{state} · {hint}")

    @on(DataTable.RowSelected)
    def action_detail(self) -> None:
        """Show everything about the current line in a dialog."""
        line = self.current()
        if line is not None and self.history is not None:
            self.app.push_screen(AssessmentDialog(line, self.history))


class AssessmentDialog(CertifyDialog[None]):
    """One assessment in full, wrapped: standing, who and when, correction and reason, evidence."""

    BINDINGS: ClassVar[list[BindingType]] = [CANCEL]

    def __init__(self, line: HistoryLine, history: PersonHistory) -> None:
        """Show ``line``, naming the lines it corrects or that corrected it from ``history``."""
        super().__init__()
        self._line, self._history = line, history

    def compose(self) -> ComposeResult:
        """Title, then one wrapped paragraph per fact, scrolling if long."""
        line = self._line
        choice = self._history.competencies.get(line.competency_code)
        title = f"{line.competency_code} " + (
            wording.pick(choice.label_fr, choice.label_en) if choice else ""
        )
        with VerticalScroll(classes="dialog", id="assessment-detail"):
            yield Static(title, classes="box-title", markup=False)
            for fact in self.facts():
                yield Static(fact, markup=False)
            yield Static(_("Escape: close"), classes="hint")

    def facts(self) -> list[str]:
        """Level, standing, who and when, what it corrects or what corrected it, evidence."""
        line = self._line
        choice = self._history.competencies.get(line.competency_code)
        levels = choice.levels if choice else ()
        facts = [
            _("Level: {level}").format(level=wording.level(line.level, levels)),
            _("State: {state}").format(state=state_words(line.state)),
        ]
        if line.state.standing is AssessmentStanding.COUNTS and line.state.expires_on is not None:
            facts.append(_("Expires on {day}").format(day=wording.day(line.state.expires_on)))
        facts.append(
            _("Assessed on {day} by {assessor} ({method}), recorded on {recorded}").format(
                day=wording.day(line.assessed_on),
                assessor=line.assessor_name,
                method=wording.method(line.method),
                recorded=wording.day(line.recorded_at.date()),
            )
        )
        by_id = {other.id: other for other in self._history.lines}
        if (corrected := by_id.get(line.supersedes_id or 0)) is not None:
            facts.append(
                _("Corrects the assessment of {day}: {level} by {assessor}").format(
                    day=wording.day(corrected.assessed_on),
                    level=wording.level(corrected.level, levels),
                    assessor=corrected.assessor_name,
                )
            )
        if line.correction_reason:
            facts.append(
                _("Reason for the correction: {reason}").format(reason=line.correction_reason)
            )
        if (correction := by_id.get(line.superseded_by or 0)) is not None:
            facts.append(
                _("Corrected on {day} by {assessor}: {level}").format(
                    day=wording.day(correction.recorded_at.date()),
                    assessor=correction.assessor_name,
                    level=wording.level(correction.level, levels),
                )
            )
            facts.append(
                _("Reason for the correction: {reason}").format(
                    reason=correction.correction_reason or ""
                )
            )
        facts.append(
            _("Evidence: {text}").format(text=line.evidence)
            if line.evidence
            else _("No evidence recorded.")
        )
        return facts

    def action_cancel(self) -> None:
        """Close."""
        self.dismiss(None)
