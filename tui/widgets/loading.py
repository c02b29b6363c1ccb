"""« Chargement… » over what loads in a worker, until its data arrives.

A screen mixing in :class:`WaitsForData` calls :meth:`WaitsForData.waiting` when it starts
reading and when the data arrives (or the read failed). Meanwhile its lists are covered with
a :class:`LoadingNote` and what it says about the data (counts, « nothing found ») is
hidden: an empty state shows only once the list is known to be empty.
"""

from __future__ import annotations

from typing import ClassVar, cast

from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Static

from tui import wording
from tui.i18n import _


class LoadingNote(Static):
    """What covers a list while it loads: « Chargement… », with the progress when known."""

    DEFAULT_CSS = """
    LoadingNote {
        width: 100%;
        height: 100%;
        content-align: center middle;
        color: $text-muted;
        background: $surface;
    }
    """

    def __init__(self, words: str = "") -> None:
        """Say ``words`` (« Chargement… » unless told)."""
        super().__init__(words or _("Loading…"))

    def progress(self, done: int, total: int) -> None:
        """Say how far the loading got: « Chargement… 3 sur 19 »."""
        self.update(
            _("Loading… {done} of {total}").format(
                done=wording.number(done), total=wording.number(total)
            )
        )


class WaitsForData:
    """Mixed into a screen whose data loads in a worker: « Chargement… » until it arrives."""

    #: What is covered with « Chargement… » while the data loads.
    COVERED: ClassVar[str] = "DataTable"
    #: What speaks of the data (counts, empty states): hidden until it arrives.
    SPEAKS_OF_DATA: ClassVar[str] = ".status, .heading"

    #: Whether the data asked for last has arrived.
    loaded: bool = False
    #: The notes covering the screen's lists now.
    _notes: tuple[LoadingNote, ...] = ()

    def waiting(self, waiting: bool) -> None:
        """Cover the lists and hide what speaks of their data, or show them again."""
        self.loaded = not waiting
        self._notes = ()
        screen = cast(DOMNode, self)
        for widget in screen.query(self.COVERED):
            # Covered, not set ``loading``: a loading widget loses the focus (to a filter,
            # where the next keys would go) and a list must keep it through its pages.
            widget.set_loading(waiting)
        for widget in screen.query(self.SPEAKS_OF_DATA):
            widget.styles.visibility = "hidden" if waiting else "visible"

    def loading_words(self) -> str:
        """What the notes say: « Chargement… » unless the screen knows more."""
        return _("Loading…")

    def get_loading_widget(self) -> Widget:
        """A list loading says so in words (not Textual's dots, which say nothing)."""
        note = LoadingNote(self.loading_words())
        self._notes = (*self._notes, note)
        return note

    def loading_progress(self, done: int, total: int) -> None:
        """Say how far the loading got, on every note."""
        for note in self._notes:
            note.progress(done, total)
