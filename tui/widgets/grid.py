"""The assessment grid: participants down, competencies across, typed from the keyboard.

Arrows move; a digit sets the level and moves on to the next cell (a row's end: the next
participant's first); ``m`` changes the method; ``n`` writes the evidence; delete forgets
the cell's change. Unsaved cells are marked with ``*`` and a colour.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from certify.model import AssessmentMethod
from certify.services.training import CompetencyColumn
from tui import wording
from tui.backend import SessionView
from tui.drafts import Cell, GridDraft, Mark
from tui.i18n import N_, _, ngettext
from tui.widgets.columns import width
from tui.widgets.evidence import EvidenceDialog

#: Footer group of the digit keys.
LEVEL_KEYS = Binding.Group(N_("Level"), compact=True)


class AssessmentGrid(DataTable[str | Text]):
    """A session's grid of levels; :attr:`draft` holds what is not saved yet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                str(n),
                f"level({n})",
                N_("Level"),
                id=f"grid.level-{n}",
                tooltip=N_("Give this level to the cell, then go to the next one"),
                group=LEVEL_KEYS,
            )
            for n in range(10)
        ),
        Binding(
            "m",
            "method",
            N_("Method"),
            id="grid.method",
            tooltip=N_("Next method (observation, simulation, interview, quiz)"),
        ),
        Binding(
            "n",
            "note",
            N_("Note"),
            id="grid.note",
            tooltip=N_("Write the evidence or a note for this cell"),
        ),
        Binding(
            "delete,backspace",
            "undo",
            N_("Undo cell"),
            id="grid.undo",
            tooltip=N_("Forget this cell's unsaved change"),
            show=False,
        ),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "assessment-grid--unsaved",
        "assessment-grid--empty",
    }

    class Edited(Message):
        """A cell changed (the screen updates what it says about the grid)."""

    def __init__(self, *, id: str | None = None) -> None:
        """An empty grid, filled by :meth:`load`."""
        super().__init__(id=id, cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        #: Levels recorded and typed (``None`` before :meth:`load`).
        self.draft: GridDraft | None = None
        self._view: SessionView | None = None

    def load(self, view: SessionView, *, keep: bool = False) -> None:
        """Show a session's participants, competencies and levels (unsaved cells if ``keep``)."""
        self._view = view
        detail = view.detail
        previous = self.draft
        self.draft = GridDraft(view.levels, [level for level, _fr, _en in detail.levels])
        if keep and previous is not None:
            cells = {(p.person_id, c.id) for p in detail.participants for c in detail.competencies}
            self.draft.carry(previous, cells)
            self.draft.method = previous.method
        cursor, scroll = self.cursor_coordinate, self.scroll_offset
        self.clear(columns=True)
        names = [p.name for p in detail.participants]
        self.add_column(_("Participant"), width=width(_("Participant"), names, most=24), key="name")
        widest_cell = [
            f"{level} {wording.method_short(method)}✎*"
            for level in self.draft.levels
            for method in AssessmentMethod
        ]
        for competency in detail.competencies:
            self.add_column(
                competency.code, width=width(competency.code, widest_cell), key=str(competency.id)
            )
        for participant in detail.participants:
            self.add_row(
                participant.name,
                *(self._cell_text(participant.person_id, c.id) for c in detail.competencies),
                key=str(participant.person_id),
            )
        self.cursor_coordinate = cursor
        self.call_after_refresh(self.scroll_to, scroll.x, scroll.y, animate=False)
        self.refresh_bindings()

    def validate_cursor_coordinate(self, value: Coordinate) -> Coordinate:
        """Keep the cursor on the competencies (the first column holds the names)."""
        value = super().validate_cursor_coordinate(value)
        return value if value.column > 0 or len(self.columns) < 2 else Coordinate(value.row, 1)

    def _cell_text(self, person_id: int, competency_id: int) -> Text:
        """A cell: level, method, ✎ if it has evidence, * if unsaved; · when empty."""
        assert self.draft is not None
        cell = (person_id, competency_id)
        mark = self.draft.current(cell)
        if mark is None:
            return Text(
                "·", style=self.get_component_rich_style("assessment-grid--empty", partial=True)
            )
        text = f"{mark.level} {wording.method_short(mark.method)}{'✎' if mark.evidence else ''}"
        if not self.draft.is_pending(cell):
            return Text(text)
        style = self.get_component_rich_style("assessment-grid--unsaved", partial=True)
        return Text(f"{text}*", style=style)

    def current_cell(self) -> Cell | None:
        """(person id, competency id) under the cursor."""
        if self.draft is None or not self.row_count or not self.ordered_columns:
            return None
        row_key, column_key = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(str(row_key.value)), int(str(column_key.value))

    def _redraw(self, cell: Cell) -> None:
        """Show a cell's new state and tell the screen."""
        person_id, competency_id = cell
        self.update_cell(str(person_id), str(competency_id), self._cell_text(*cell))
        self.post_message(self.Edited())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Digits are keys only for the levels of the scale."""
        if action == "level":
            return self.draft is not None and parameters[0] in self.draft.levels
        return True

    def on_key(self, event: events.Key) -> None:
        """A digit outside the scale says why it sets nothing."""
        digit = event.character
        if self.draft is None or digit is None or not digit.isdecimal() or len(digit) != 1:
            return
        levels = self.draft.levels
        if levels and int(digit) not in levels:
            event.stop()
            event.prevent_default()
            self.notify(
                _("{digit} is not a level of this scale: type {lowest} to {highest}.").format(
                    digit=digit, lowest=min(levels), highest=max(levels)
                ),
                severity="warning",
            )

    def action_level(self, level: int) -> None:
        """Give the cell under the cursor this level, then go to the next cell."""
        if (cell := self.current_cell()) is not None and self.draft is not None:
            self.draft.set_level(cell, level)
            self._redraw(cell)
            self.move_to_next_cell()

    def move_to_next_cell(self) -> None:
        """Next competency on the row; after a row's last, the next participant's first."""
        row, column = self.cursor_coordinate
        if column + 1 < len(self.columns):
            self.cursor_coordinate = Coordinate(row, column + 1)
        elif row + 1 < self.row_count:
            self.cursor_coordinate = Coordinate(row + 1, 1)

    def action_method(self) -> None:
        """Next method, for this cell and the cells that get a level after it."""
        if (cell := self.current_cell()) is None or self.draft is None:
            return
        self.draft.set_method(cell, wording.next_method(self.draft.method))
        self._redraw(cell)

    def action_undo(self) -> None:
        """Forget the unsaved change of the cell under the cursor."""
        if (cell := self.current_cell()) is not None and self.draft is not None:
            self.draft.revert(cell)
            self._redraw(cell)

    def action_note(self) -> None:
        """Write the evidence of the cell under the cursor (once it has a level)."""
        if (cell := self.current_cell()) is None or self.draft is None:
            return
        mark = self.draft.current(cell)
        if mark is None:
            self.notify(_("Give the cell a level first, then a note."), severity="warning")
            return
        draft = self.draft

        def keep(text: str | None) -> None:
            """Store the evidence typed, if any."""
            if text is not None:
                draft.set_evidence(cell, text)
                self._redraw(cell)

        person, competency = self._names(cell)
        title = " · ".join((_("Evidence or note"), person, competency.code))
        self.app.push_screen(EvidenceDialog(title, mark.evidence), keep)

    def _names(self, cell: Cell) -> tuple[str, CompetencyColumn]:
        """The participant's name and the competency of a cell."""
        assert self._view is not None
        detail = self._view.detail
        person = next(p.name for p in detail.participants if p.person_id == cell[0])
        return person, next(c for c in detail.competencies if c.id == cell[1])

    def describe(self) -> str:
        """What the status line says: the cell under the cursor and what is unsaved."""
        if self.draft is None or self._view is None:
            return ""
        detail = self._view.detail
        if not detail.participants:
            return _("No participant yet: e adds them to the session.")
        if not detail.competencies:
            return _("This module covers no competency: there is nothing to assess.")
        cell = self.current_cell()
        if cell is None:
            return ""
        person, competency = self._names(cell)
        mark: Mark | None = self.draft.current(cell)
        label = wording.pick(competency.label_fr, competency.label_en)
        parts = [
            f"{person} · {competency.code} {label}",
            f"{wording.level(mark.level, detail.levels)} ({wording.method(mark.method)})"
            if mark
            else _("no level yet"),
        ]
        if mark and mark.evidence:
            parts.append(_("evidence: {text}").format(text=mark.evidence))
        pending = len(self.draft.pending)
        summary = _("Method for new levels: {method}").format(
            method=wording.method(self.draft.method)
        )
        if pending:
            summary += " · " + ngettext(
                "{count} unsaved cell", "{count} unsaved cells", pending
            ).format(count=pending)
        return " · ".join(parts) + "\n" + summary
