"""What a coordinator's view may be narrowed to, read once per screen in a worker."""

from __future__ import annotations

from textual import work

from certify.views.dashboard import FilterChoices
from tui.screens.base import AppParts
from tui.workers import deliver


class ReadsFilterChoices(AppParts):
    """Mixed into a screen of the coordinator's view: reads the filter choices it offers."""

    #: The regions, sites, programmes and employers of the actor's scope (until read: none).
    _choices: FilterChoices | None = None

    @work(thread=True, exit_on_error=False, group="choices")
    def load_choices(self) -> None:
        """Read the regions, sites, programmes and employers of the actor's scope."""
        choices = self.backend.filter_choices(self.actor)
        deliver(self.certify, self.keep_choices, choices)

    def keep_choices(self, choices: FilterChoices) -> None:
        """Keep the choices read, then offer them."""
        self._choices = choices
        self.offer(choices)

    def offer(self, choices: FilterChoices) -> None:
        """Put the choices in the screen's filters."""
        raise NotImplementedError
