"""Find something by typing part of its name or code, then pick it from the hits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.failures import ReportsFailures
from tui.i18n import N_, _
from tui.workers import deliver

#: What a search returns: (label shown, value picked), best first.
Hits = list[tuple[str, Any]]
#: Fewest characters worth searching for.
MIN_CHARACTERS = 2


class Picker(ReportsFailures, Vertical):
    """A search field and its hits; picking one posts :class:`Picker.Picked`.

    ``search`` runs in a thread worker (it usually reads the database).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "hits", N_("Hits"), id="picker.hits", show=False),
    ]

    class Picked(Message):
        """A hit was chosen."""

        def __init__(self, picker: Picker, value: Any) -> None:
            """Carry the picker and the chosen value."""
            super().__init__()
            #: The picker the hit was chosen in.
            self.picker = picker
            #: The value of the chosen hit.
            self.value = value

        @property
        def control(self) -> Picker:
            """The picker (so ``@on(Picker.Picked, "#id")`` works)."""
            return self.picker

    def __init__(
        self, search: Callable[[str], Hits], placeholder: str, *, id: str | None = None
    ) -> None:
        """Search with ``search``; ``placeholder`` says what to type."""
        super().__init__(id=id, classes="picker")
        self._search = search
        self._placeholder = placeholder
        self._values: list[Any] = []

    def compose(self) -> ComposeResult:
        """The field, then the hits."""
        yield Input(placeholder=self._placeholder)
        yield OptionList(classes="-empty")

    @on(Input.Changed)
    def search_again(self, event: Input.Changed) -> None:
        """Search as the user types (from a few characters)."""
        event.stop()
        if len(event.value.strip()) >= MIN_CHARACTERS:
            self.find(event.value)
        else:
            self.show(event.value, [])

    @work(thread=True, exit_on_error=False, group="picker", exclusive=True)
    def find(self, text: str) -> None:
        """Run the search off the UI thread."""
        hits = self._search(text.strip())
        deliver(self.app, self.show, text, hits)

    def show(self, text: str, hits: Hits) -> None:
        """List the hits, unless the user has typed something else meanwhile."""
        if text != self.query_one(Input).value:
            return
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(label) for label, _value in hits)
        if not hits and len(text.strip()) >= MIN_CHARACTERS:
            options.add_option(Option(_("Nothing found"), disabled=True))
        options.set_class(not options.option_count, "-empty")
        self._values = [value for _label, value in hits]

    @on(Input.Submitted)
    def pick_first(self, event: Input.Submitted) -> None:
        """Enter in the field picks the first hit."""
        event.stop()
        if self._values:
            self.post_message(self.Picked(self, self._values[0]))

    def action_hits(self) -> None:
        """Down from the field goes into the hits."""
        if self._values:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def pick(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on a hit picks it."""
        event.stop()
        self.post_message(self.Picked(self, self._values[event.option_index]))

    def clear(self) -> None:
        """Empty the field and the hits, ready for the next search."""
        self.query_one(Input).value = ""
        self.show("", [])
        self.query_one(Input).focus()
