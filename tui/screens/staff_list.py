"""The staff of a coordinator's view: searched as you type, filtered by status, paged in SQL."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from certify.access.narrowing import DashboardFilters, Presence
from certify.access.permissions import Action
from certify.rules.explanation import ProgrammeRef
from certify.rules.progress import ProgressStatus
from certify.store.paging import Page
from certify.views.certificate_lines import CertificateLine
from certify.views.dashboard import FilterChoices
from certify.views.staff_directory import StaffLine, StaffOrder, StaffQuery, StatusCell
from tui import statuses, wording
from tui.i18n import N_, _, ngettext
from tui.screens.base import Audience
from tui.screens.choices import ReadsFilterChoices
from tui.screens.paged import PAGING, PagedScreen
from tui.screens.row_form import RowFormScreen
from tui.widgets.certificates import status as certificate_status
from tui.widgets.columns import FittedTable, laid_out, spare_width, widths
from tui.widgets.selects import chosen

#: The orders offered: value → label (marked).
ORDERS: dict[StaffOrder, str] = {
    StaffOrder.NAME: N_("By name"),
    StaffOrder.SITE: N_("By site"),
    StaffOrder.EMAIL: N_("By e-mail"),
}
#: Whom the list holds: value → label (marked).
PRESENCES: dict[Presence, str] = {
    Presence.CURRENT: N_("Current"),
    Presence.DEPARTED: N_("Departed"),
    Presence.ALL: N_("Everyone"),
}


class StaffListScreen(ReadsFilterChoices, PagedScreen[Page[StaffLine]]):
    """One page of the staff of the view at a time, with where each stands per programme."""

    NAME = N_("Staff")
    AUDIENCE = Audience(action=Action.VIEW_PROGRESS)
    AUTO_FOCUS = "#staff-table"
    HELP = N_(
        "The staff of the view chosen on the dashboard (a site coordinator sees their sites "
        "only), with where each person stands on each programme. Type to search a name or an "
        "e-mail, accents and case ignored: the list narrows as you type. Show the current staff, "
        "those who have left (marked, with their certificates) or both; filter by status on "
        "a programme, sort by name, site or e-mail; pagedown and pageup move between pages. "
        "Enter opens the person's progress, certificates and history; Insert types in a new "
        "staff member; f9 saves the whole list, every page, as CSV."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            N_("Open"),
            id="staff.open",
            tooltip=N_("The highlighted person's progress, certificates and history"),
        ),
        Binding(
            "slash",
            "search",
            N_("Search"),
            id="staff.search",
            tooltip=N_("Search a name or an e-mail (typing on the list does it too)"),
        ),
        *PAGING,
        Binding(
            "insert",
            "new_person",
            N_("Add"),
            id="staff.new",
            tooltip=N_("Type in a new staff member, checked as a staff import is"),
            key_display="ins",
        ),
    ]

    def __init__(self, filters: DashboardFilters) -> None:
        """The staff of the actor's view narrowed by ``filters``."""
        super().__init__()
        #: The dashboard's filters the list was opened on.
        self.filters = filters
        #: What the list shows: search, status, order; the page is set when reading.
        self.staff_query = StaffQuery(
            site_id=filters.site_id,
            region_id=filters.region_id,
            programme_id=filters.programme_id,
            employer_id=filters.employer_id,
        )
        #: The lines of the page shown.
        self.lines: tuple[StaffLine, ...] = ()
        #: Whether the list is being read again for a search or filter just changed.
        self.searching = False
        #: Whether Enter was pressed in the search while it was being read.
        self.enter_pending = False

    def compose(self) -> ComposeResult:
        """Search and filters, what the list covers, the page, the highlighted person."""
        yield Header()
        with Horizontal(id="filters"):
            yield Input(
                placeholder=_("Search a name or an e-mail…"), select_on_focus=False, id="search"
            )
            yield Select[Presence](
                ((_(label), presence) for presence, label in PRESENCES.items()),
                value=Presence.CURRENT,
                allow_blank=False,
                id="presence-filter",
            )
            yield Select[ProgressStatus](
                ((statuses.name(status), status) for status in ProgressStatus),
                prompt=_("Status"),
                id="status-filter",
            )
            yield Select[int]([], prompt=_("Programme"), id="programme-filter")
            yield Select[StaffOrder](
                ((_(label), order) for order, label in ORDERS.items()),
                value=StaffOrder.NAME,
                allow_blank=False,
                id="order",
            )
        yield Static(id="staff-scope", classes="heading")
        yield FittedTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="staff-person", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        """Read the first page, and the names of what the view is narrowed to."""
        super().on_mount()
        self.load_choices()

    def offer(self, choices: FilterChoices) -> None:
        """Offer the programmes; name what the view covers."""
        select = self.query_one("#programme-filter", Select)
        select.set_options(
            (f"{p.code} — {wording.pick(p.title_fr, p.title_en)}", p.id) for p in choices.programmes
        )
        if self.staff_query.programme_id is not None:
            select.value = self.staff_query.programme_id
        self.heading()

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def narrowed(self) -> None:
        """Read the first page again when the search, a filter or the order changed."""
        query = replace(
            self.staff_query,
            text=self.query_one("#search", Input).value,
            presence=chosen(self.query_one("#presence-filter", Select)) or Presence.CURRENT,
            status=chosen(self.query_one("#status-filter", Select)),
            programme_id=chosen(self.query_one("#programme-filter", Select))
            if self._choices is not None
            else self.staff_query.programme_id,
            order=chosen(self.query_one("#order", Select)) or StaffOrder.NAME,
        )
        if query != self.staff_query:
            self.staff_query = query
            self.searching = True
            self.restart()

    def fetch(self, offset: int, limit: int) -> Page[StaffLine]:
        """In a worker: the page of ``limit`` people after ``offset``."""
        return self.backend.staff_page(
            self.actor, replace(self.staff_query, offset=offset, limit=limit)
        )

    def show(self, result: Page[StaffLine]) -> None:
        """Show a page just read, the cursor on its first line."""
        self.counted(result)
        self.lines = result.items
        self.fill()
        self.query_one(DataTable).move_cursor(row=0)
        self.heading()
        self.searching = False
        if self.enter_pending:
            self.enter_pending = False
            self.to_the_list()

    def on_fitted_table_resized(self) -> None:
        """Names take the width there is."""
        self.fill()

    def programmes(self) -> list[ProgrammeRef]:
        """The programmes with a column: the one chosen, else every one of the page (those
        the departed hold a certificate of too)."""
        shown = {cell.programme for line in self.lines for cell in line.statuses}
        shown |= {c.programme for line in self.lines if line.left_on for c in line.certificates}
        programme_id = self.staff_query.programme_id
        return sorted((p for p in shown if programme_id in (None, p.id)), key=lambda p: p.code)

    def fill(self) -> None:
        """Put the page in the table: name, site, then one status per programme."""
        table = self.query_one(DataTable)
        if not laid_out(table):
            return
        programmes = self.programmes()
        labels = [_("Site"), *(p.code for p in programmes)]
        rows = [
            [
                Text(line.person.site.code),
                *(self.cell_word(line, p.id) for p in programmes),
            ]
            for line in self.lines
        ]
        sizes = widths(labels, [[text.plain for text in row] for row in rows])
        table.clear(columns=True)
        table.add_column(_("Name"), width=spare_width(table, sizes))
        for label, size in zip(labels, sizes, strict=True):
            table.add_column(label, width=size)
        for line, row in zip(self.lines, rows, strict=True):
            table.add_row(name_cell(line), *row, key=str(line.person.id))
        self.describe()

    @staticmethod
    def cell_word(line: StaffLine, programme_id: int) -> Text:
        """A person's status on a programme, in its colour; for someone who has left, their
        latest certificate of it."""
        if line.left_on is not None:
            held = latest_certificate(line, programme_id)
            return certificate_status(held) if held else Text("")
        cell = line.status_on(programme_id)
        return statuses.status_cell(cell.status) if cell else Text("")

    def heading(self) -> None:
        """Above the list: what the view covers, how many people, which page."""
        people = ngettext("{count} person", "{count} people", self.total).format(
            count=wording.number(self.total)
        )
        parts = [*self.scope_names(), people]
        if position := self.position():
            parts.append(position)
        self.query_one("#staff-scope", Static).update(" · ".join(parts))

    def scope_names(self) -> list[str]:
        """The region, site and employer the view is narrowed to, by name."""
        choices, filters = self._choices, self.filters
        if choices is None:
            return []
        names = [name for region_id, name in choices.regions if region_id == filters.region_id]
        names += [
            f"{line.site.code} — {line.site.name}"
            for line in choices.sites
            if line.site.id == filters.site_id
        ]
        names += [e.name for e in choices.employers if e.id == filters.employer_id]
        return names or [_("All your scope")]

    def highlighted(self) -> StaffLine | None:
        """The person under the cursor."""
        row = self.query_one(DataTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def person_at_cursor(self) -> int | None:
        """The id of the highlighted person."""
        line = self.highlighted()
        return line.person.id if line else None

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        """Under the list: the highlighted person, and where they stand on each programme."""
        line = self.highlighted()
        status = self.query_one("#staff-person", Static)
        if line is None:
            status.update(_("Nobody found: change the search or the filters."))
            return
        person = line.person
        who = [person.name, person.email, f"{person.site.code} — {person.site.name}"]
        if line.employer:
            who.append(line.employer)
        if line.roles:
            who.append(wording.roles(frozenset(line.roles)))
        if line.left_on is not None:
            who.append(wording.departure(line.left_on))
            standing = held(line.certificates)
        else:
            standing = " · ".join(f"{cell.programme.code} {detail(cell)}" for cell in line.statuses)
        status.update(f"{' · '.join(who)}\n{standing}")

    def action_open(self) -> None:
        """The highlighted person's progress, certificates and history."""
        self.open_person()

    def action_new_person(self) -> None:
        """Type in a new staff member; once created, read the list again."""

        def done(created: bool | None) -> None:
            """Read the list again when someone was created."""
            if created:
                self.read()

        self.app.push_screen(RowFormScreen("staff"), done)

    def action_search(self) -> None:
        """Go to the search field."""
        self.query_one("#search", Input).focus()

    @on(Input.Submitted, "#search")
    def to_the_list(self) -> None:
        """Enter in the search: the person found if only one is, else on to the list (once
        the search typed is read)."""
        if self.searching:
            self.enter_pending = True
        elif self.total == 1 and self.lines:
            self.open_person()
        else:
            self.query_one(DataTable).focus()

    def on_key(self, event: events.Key) -> None:
        """Typing on the list searches: the letters go to the search field; down from the
        search field goes to the list."""
        search, table = self.query_one("#search", Input), self.query_one(DataTable)
        if event.is_printable and event.character not in (None, "/") and self.focused is table:
            search.focus()
            search.insert_text_at_cursor(event.character)
            event.stop()
        elif event.key == "down" and self.focused is search:
            table.focus()
            event.stop()

    def csv_filename(self) -> str:
        """« personnel-2026-11-21.csv »."""
        return _("staff-{day}.csv").format(day=self.backend.today.isoformat())

    def csv(self) -> bytes:
        """In a worker: the whole list (every page) as CSV."""
        return self.backend.staff_csv(self.actor, self.staff_query)


def name_cell(line: StaffLine) -> Text:
    """The person's name; someone who has left is marked, with the day."""
    name = wording.one_line(line.person.name)
    if line.left_on is not None:
        name.append(f" — {wording.departure(line.left_on)}", style="italic")
    return name


def latest_certificate(line: StaffLine, programme_id: int) -> CertificateLine | None:
    """The person's newest certificate of a programme, if any."""
    return next((c for c in line.certificates if c.programme.id == programme_id), None)


def held(certificates: tuple[CertificateLine, ...]) -> str:
    """A departed person's certificates: « CERT-ACC CDM-2025-000004 valide jusqu'au … »."""
    if not certificates:
        return _("No certificate.")
    return " · ".join(
        f"{c.programme.code} {c.serial} {certificate_status(c).plain} "
        + _("until {day}").format(day=wording.day(c.valid_until))
        for c in certificates
    )


def detail(cell: StatusCell) -> str:
    """Where a person stands on a programme, with the date or what is missing."""
    text = _(statuses.WORDS[cell.status])
    if cell.valid_until is not None and cell.status in (
        ProgressStatus.CERTIFIED,
        ProgressStatus.IN_WINDOW,
    ):
        text += " " + _("until {day}").format(day=wording.day(cell.valid_until))
    if cell.missing:
        text += " " + ngettext(
            "({count} requirement missing)", "({count} requirements missing)", cell.missing
        ).format(count=cell.missing)
    return text
