"""What the watchlists and the heat map share: a list of people read a page at a time in SQL.

pageup/pagedown move between pages (the table only ever holds one page), enter opens the
person of the highlighted line, f9 saves the whole list (every page) as CSV. While a page
loads the table says « Chargement… » (which lines, once the list's length is known).
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from certify.store.paging import Page
from tui import wording
from tui.i18n import N_, _
from tui.saving import save
from tui.screens.base import CertifyScreen
from tui.widgets.loading import WaitsForData
from tui.workers import deliver

#: What a page read returns (a page of lines, or a heat map holding one).
T = TypeVar("T")


#: The keys of every paged list, after its own (paging keys are named under the list).
PAGING: list[BindingType] = [
    Binding(
        "pagedown",
        "page(1)",
        N_("Next page"),
        id="paged.next",
        tooltip=N_("The next page of the list"),
        priority=True,
    ),
    Binding(
        "pageup",
        "page(-1)",
        N_("Previous page"),
        id="paged.previous",
        tooltip=N_("The previous page of the list"),
        priority=True,
    ),
    Binding(
        "f9",
        "export",
        N_("Export CSV"),
        id="paged.export",
        tooltip=N_("Save the whole list, every page, as a CSV file for Excel"),
    ),
    Binding("escape", "app.pop_screen", N_("Back"), id="paged.back"),
]


class PagedScreen(WaitsForData, CertifyScreen[None], Generic[T]):
    """A list of people paged in SQL, opened person by person, exported whole."""

    #: Lines per page.
    PAGE: ClassVar[int] = 50

    def __init__(self) -> None:
        """Nothing read yet: the first page comes on mount."""
        super().__init__()
        #: Lines skipped before the page shown.
        self.first_line = 0
        #: Lines in the whole list (all pages).
        self.total = 0
        #: Which paging keys the footer offers (set when a page is counted).
        self._paging: tuple[bool, bool, bool] | None = None

    def on_mount(self) -> None:
        """The table takes the keyboard; read the first page."""
        self.query_one(DataTable).focus()
        self.read()

    def read(self) -> None:
        """Read the page at :attr:`first_line` in the background, saying it is loading."""
        self.waiting(True)
        self.read_page()

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def read_page(self) -> None:
        """In a worker: read the page at :attr:`first_line`."""
        result = self.fetch(self.first_line, self.PAGE)
        deliver(self.app, self.arrived, result)

    def arrived(self, result: T) -> None:
        """The page read: no longer loading, show it."""
        self.waiting(False)
        self.show(result)

    def worker_failed(self, error: BaseException) -> None:
        """The read failed (the user was told): stop saying it is loading."""
        self.waiting(False)

    def loading_words(self) -> str:
        """« Chargement… », or which lines load once the list's length is known."""
        if self.total <= self.PAGE:
            return super().loading_words()
        last = min(self.first_line + self.PAGE, self.total)
        return _("Loading lines {first}–{last} of {total}…").format(
            first=wording.number(self.first_line + 1),
            last=wording.number(last),
            total=wording.number(self.total),
        )

    def fetch(self, offset: int, limit: int) -> T:
        """In a worker: the page of ``limit`` lines after ``offset`` (from the backend)."""
        raise NotImplementedError

    def show(self, result: T) -> None:
        """Show a page just read."""
        raise NotImplementedError

    def counted(self, page: Page[Any]) -> None:
        """Remember the size of the whole list, from a page of it; offer the paging keys
        (the footer is redrawn only when they change: it is rebuilt whole each time)."""
        self.total = page.total
        paging = (
            self.total > self.PAGE,
            self.first_line > 0,
            self.first_line + self.PAGE < self.total,
        )
        if paging != self._paging:
            self._paging = paging
            self.refresh_bindings()

    def restart(self) -> None:
        """Read again from the first page (after a filter changed)."""
        self.first_line = 0
        self.read()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Paging keys for a list of several pages, dimmed where there is no page to go to."""
        if action == "page":
            step = parameters[0]
            assert isinstance(step, int)
            if self.total <= self.PAGE:
                return False
            return True if 0 <= self.first_line + step * self.PAGE < self.total else None
        return super().check_action(action, parameters)

    def action_page(self, step: int) -> None:
        """Go ``step`` pages on (back when negative)."""
        offset = self.first_line + step * self.PAGE
        if 0 <= offset < self.total:
            self.first_line = offset
            self.read()

    def position(self) -> str:
        """Where the page stands in the list: « lines 51–100 of 137 · page 2/3 »."""
        if self.total <= self.PAGE:
            return ""
        last = min(self.first_line + self.PAGE, self.total)
        return _("lines {first}–{last} of {total} · page {page}/{pages} (pgdn, pgup)").format(
            first=wording.number(self.first_line + 1),
            last=wording.number(last),
            total=wording.number(self.total),
            page=wording.number(self.first_line // self.PAGE + 1),
            pages=wording.number((self.total + self.PAGE - 1) // self.PAGE),
        )

    def action_export(self) -> None:
        """Save the whole list as CSV (made in a worker)."""
        save(self, self.csv_filename(), "text/csv", self.csv)

    def csv_filename(self) -> str:
        """The file name offered for the CSV export."""
        raise NotImplementedError

    def csv(self) -> bytes:
        """In a worker: the whole list as CSV (from the backend)."""
        raise NotImplementedError

    def person_at_cursor(self) -> int | None:
        """The id of the person on the highlighted line."""
        raise NotImplementedError

    @on(DataTable.RowSelected)
    @on(DataTable.CellSelected)
    def open_person(self) -> None:
        """Enter: the highlighted person's progress, certificates and history."""
        from tui.screens.person import PersonScreen  # another screen's module: loaded on use

        if (person_id := self.person_at_cursor()) is not None:
            self.app.push_screen(PersonScreen(person_id))
