"""A session's participants and their hours present, edited before one save."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from certify.services.attendance import check_hours
from certify.services.training import SessionDetail
from tui import wording
from tui.drafts import AttendanceDraft
from tui.i18n import N_, _, ngettext
from tui.screens.dialogs import TextDialog
from tui.widgets.columns import width


class AttendanceTable(DataTable[str | Text]):
    """One row per participant; :attr:`draft` holds the hours not saved yet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "p",
            "all_present",
            N_("All present"),
            id="attendance.all-present",
            tooltip=N_("Everyone present for the whole module"),
        ),
        Binding(
            "enter",
            "edit",
            N_("Hours"),
            id="attendance.edit",
            tooltip=N_("Type this participant's hours present"),
        ),
        Binding(
            "delete,backspace",
            "undo",
            N_("Undo row"),
            id="attendance.undo",
            tooltip=N_("Forget this row's unsaved change"),
            show=False,
        ),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"attendance-table--unsaved"}

    class Edited(Message):
        """Hours changed (the screen updates what it says about attendance)."""

    def __init__(self, *, id: str | None = None) -> None:
        """An empty table, filled by :meth:`load`."""
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        #: Hours recorded and typed (``None`` before :meth:`load`).
        self.draft: AttendanceDraft | None = None
        self._detail: SessionDetail | None = None

    def load(self, detail: SessionDetail, *, keep: bool = False) -> None:
        """Show the participants with their recorded hours; unsaved hours kept if ``keep``."""
        self._detail = detail
        previous = self.draft
        self.draft = AttendanceDraft({p.person_id: p.hours_present for p in detail.participants})
        if keep and previous is not None:
            self.draft.carry(previous, self.draft.saved)
        people = detail.participants
        cursor, scroll = self.cursor_coordinate, self.scroll_offset
        self.clear(columns=True)
        self.add_column(
            _("Participant"), width=width(_("Participant"), (p.name for p in people)), key="name"
        )
        self.add_column(
            _("E-mail"), width=width(_("E-mail"), (p.email for p in people)), key="email"
        )
        hours = [self._hours_cell(p.person_id) for p in people]
        self.add_column(
            _("Hours present"),
            width=width(_("Hours present"), (f"{text.plain} *" for text in hours)),
            key="hours",
        )
        for participant, present in zip(people, hours, strict=True):
            self.add_row(
                participant.name, participant.email, present, key=str(participant.person_id)
            )
        self.cursor_coordinate = cursor
        self.call_after_refresh(self.scroll_to, scroll.x, scroll.y, animate=False)

    def _hours_cell(self, person_id: int) -> Text:
        """Hours out of the module's, with * and a colour when unsaved."""
        assert self.draft is not None and self._detail is not None
        value = self.draft.current(person_id) or Decimal(0)
        text = f"{wording.hours(value)} / {wording.hours(self._detail.module_hours)} h"
        if not self.draft.is_pending(person_id):
            return Text(text)
        return Text(
            f"{text} *",
            style=self.get_component_rich_style("attendance-table--unsaved", partial=True),
        )

    def _redraw(self) -> None:
        """Show every row's hours and tell the screen."""
        assert self.draft is not None
        for person_id in self.draft.saved:
            self.update_cell(str(person_id), "hours", self._hours_cell(person_id))
        self.post_message(self.Edited())

    def current_person(self) -> int | None:
        """The participant under the cursor."""
        if self.draft is None or not self.row_count:
            return None
        row_key, _column = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(str(row_key.value))

    def action_all_present(self) -> None:
        """Everyone present for the module's full length."""
        if self.draft is not None and self._detail is not None:
            self.draft.all_present(self._detail.module_hours)
            self._redraw()

    def action_undo(self) -> None:
        """Forget the unsaved hours of the participant under the cursor."""
        if (person_id := self.current_person()) is not None and self.draft is not None:
            self.draft.revert(person_id)
            self._redraw()

    def action_edit(self) -> None:
        """Type the hours present of the participant under the cursor."""
        if (person_id := self.current_person()) is None or self._detail is None:
            return
        assert self.draft is not None
        draft, module_hours = self.draft, self._detail.module_hours
        name = next(p.name for p in self._detail.participants if p.person_id == person_id)

        def check(text: str) -> None:
            """Refuse what is not hours, or hours outside the module's, naming the person."""
            check_hours(name, wording.parse_hours(text), module_hours)

        def keep(text: str | None) -> None:
            """Store the hours typed (checked by the dialog)."""
            if text is not None:
                draft.set(person_id, wording.parse_hours(text))
                self._redraw()

        current = wording.hours(draft.current(person_id) or Decimal(0))
        title = f"{_('Hours present')} · {name}"
        self.app.push_screen(TextDialog(title, current, check=check), keep)

    def describe(self) -> str:
        """What the status line says: how many are present and what is unsaved."""
        if self.draft is None or self._detail is None:
            return ""
        if not self.draft.saved:
            return _("No participant yet: e adds them to the session.")
        present = sum(1 for p in self.draft.saved if (self.draft.current(p) or 0) > 0)
        text = ngettext(
            "{present} of {count} participant present",
            "{present} of {count} participants present",
            len(self.draft.saved),
        ).format(present=present, count=len(self.draft.saved))
        if pending := len(self.draft.pending):
            text += " · " + ngettext("{count} unsaved row", "{count} unsaved rows", pending).format(
                count=pending
            )
        return text
