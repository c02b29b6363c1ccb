"""An assessment's evidence: one line (a pasted text's lines joined), and the Charter's reminder.

Evidence is stored on one line, so that the grid, the history, the CSV files and the PDFs
read it whole: the lines of a multi-line paste are kept, joined by `` / ``.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tui.i18n import _
from tui.screens.dialogs import TextDialog

#: What joins the lines of a pasted text on one line.
LINE_BREAK = " / "


def one_line(text: str) -> str:
    """The non-blank lines of ``text``, stripped, joined by `` / ``."""
    return LINE_BREAK.join(line.strip() for line in text.splitlines() if line.strip())


def charter_reminder() -> str:
    """Why evidence names nobody of the public (the Charter of the Cités des métiers)."""
    return _(
        "Describe what the staff member did, never who was received: no name, contact or "
        "detail that identifies a member of the public (Charter of the Cités des métiers: "
        "the public's anonymity)."
    )


class EvidenceInput(Input):
    """An evidence field: a multi-line paste keeps every line, joined on one line."""

    def _on_paste(self, event: events.Paste) -> None:
        """Insert every line of the text pasted (Input keeps only the first)."""
        event.prevent_default()
        event.stop()
        if text := one_line(event.text):
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)


class EvidenceDialog(TextDialog):
    """A grid cell's evidence: the lines pasted kept, and the Charter's reminder."""

    def __init__(self, title: str, value: str) -> None:
        """Write the evidence titled ``title``, starting from ``value``."""
        super().__init__(title, value, _("What you observed"), note=charter_reminder())

    def field(self) -> Input:
        """The evidence field."""
        return EvidenceInput(self._value, placeholder=self._placeholder)
