"""Correcting an assessment: the right level and why; the old one stays, superseded."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from certify.errors import CertifyError
from certify.views.assessment_history import HistoryLine
from certify.views.catalogue import CompetencyChoice
from tui import wording
from tui.failures import report
from tui.i18n import N_, _
from tui.screens.base import CertifyDialog
from tui.screens.dialogs import CANCEL
from tui.widgets.selects import chosen


class CorrectionDialog(CertifyDialog[tuple[int, str] | None]):
    """Dismissed with (new level, reason), or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        CANCEL,
        Binding(
            "ctrl+s",
            "correct",
            N_("Correct"),
            id="correction.save",
            tooltip=N_("Record the corrected level with its reason"),
        ),
    ]

    def __init__(self, line: HistoryLine, competency: CompetencyChoice | None) -> None:
        """Correct ``line``, on its competency's scale."""
        super().__init__()
        self._line, self._competency = line, competency

    def compose(self) -> ComposeResult:
        """What is corrected, the new level, the reason."""
        line = self._line
        levels = self._competency.levels if self._competency else ()
        with Vertical(classes="dialog"):
            yield Static(_("Correct an assessment"), classes="box-title")
            yield Static(
                _("{code}, {day}: {level} by {assessor}").format(
                    code=line.competency_code,
                    day=wording.day(line.assessed_on),
                    level=wording.level(line.level, levels),
                    assessor=line.assessor_name,
                )
            )
            yield Label(_("Corrected level"))
            yield Select[int](
                ((wording.level(level, levels), level) for level, _fr, _en in levels),
                prompt=_("Choose the level"),
                id="level",
            )
            yield Label(_("Reason (kept with the history)"))
            yield Input(id="reason", placeholder=_("e.g. level typed in the wrong row"))
            with Horizontal(classes="buttons"):
                yield Button(_("Correct"), id="correct", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without correcting."""
        self.dismiss(None)

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#correct")
    def action_correct(self) -> None:
        """Close with the level and reason (the service checks them again)."""
        level: int | None = chosen(self.query_one("#level", Select))
        reason = self.query_one("#reason", Input).value.strip()
        if level is None or not reason:
            report(self.app, CertifyError(_("Choose the corrected level and give a reason.")))
            return
        self.dismiss((level, reason))
