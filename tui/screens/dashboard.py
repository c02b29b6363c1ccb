"""The coordinator's home: sites × programmes counted per status, filtered, with totals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Select, Static

from certify.access.narrowing import DashboardFilters
from certify.access.permissions import Action, may_ever
from certify.rules.progress import ProgressStatus
from certify.views.dashboard import Dashboard, DashboardRow, FilterChoices, ProgrammeTotal
from tui import statuses, wording
from tui.i18n import N_, _, ngettext
from tui.saving import save
from tui.screens.base import Audience, CertifyScreen
from tui.screens.choices import ReadsFilterChoices
from tui.screens.row_form import RowFormScreen
from tui.screens.staff_list import StaffListScreen
from tui.widgets.columns import FittedTable, laid_out, spare_width, width
from tui.widgets.loading import WaitsForData
from tui.widgets.selects import chosen
from tui.workers import deliver

#: A line of the table: a programme's total over the view, or one site × programme.
Line = ProgrammeTotal | DashboardRow
#: Actions that need a highlighted line (greyed out without one).
ON_A_LINE = ("open", "heatmap")


class DashboardScreen(ReadsFilterChoices, WaitsForData, CertifyScreen[None]):
    """Where the staff of the coordinator's scope stand, per site and programme."""

    NAME = N_("Dashboard")
    AUDIENCE = Audience(action=Action.VIEW_PROGRESS)
    AUTO_FOCUS = "#dashboard-table"
    HELP = N_(
        "Sites × programmes of your scope (a site coordinator sees their sites only): how "
        "many staff are certified, in their renewal window, expired, eligible but not yet "
        "certified, or in progress. The programme totals stay at the top. Filter by region, "
        "site, programme and employer. Enter lists the staff of the highlighted site, s the "
        "staff of the whole view, c shows the site's competency heat map, e the certificates "
        "expiring soon, q the eligible staff to certify, r saves a PDF report and f9 saves "
        "this view as CSV. Insert types in a new site (administrators)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            N_("Staff"),
            id="dashboard.open",
            tooltip=N_("The staff of the highlighted site"),
        ),
        Binding(
            "s",
            "staff",
            N_("All staff"),
            id="dashboard.staff",
            tooltip=N_("The staff of the whole view, filters applied"),
        ),
        Binding(
            "c",
            "heatmap",
            N_("Heat map"),
            id="dashboard.heatmap",
            tooltip=N_("Competency heat map of the highlighted site"),
        ),
        Binding(
            "e",
            "expiring",
            N_("Expiring"),
            id="dashboard.expiring",
            tooltip=N_("Certificates of the view ending soon"),
        ),
        Binding(
            "q",
            "queue",
            N_("Eligible"),
            id="dashboard.queue",
            tooltip=N_("Staff of the view eligible but not yet certified"),
        ),
        Binding(
            "r",
            "report",
            N_("Report"),
            id="dashboard.report",
            tooltip=N_("Save a PDF report of the view"),
        ),
        Binding(
            "f9",
            "export",
            N_("Export CSV"),
            id="dashboard.export",
            tooltip=N_("Save this view as a CSV file for Excel"),
        ),
        Binding(
            "insert",
            "new_site",
            N_("New site"),
            id="dashboard.new-site",
            tooltip=N_("Type in a new site, checked as a sites import is (administrators)"),
            key_display="ins",
        ),
    ]
    KEYS_NEED: ClassVar[Mapping[str, Action]] = {"new_site": Action.IMPORT_REFERENCE_DATA}

    def __init__(self) -> None:
        """Nothing read yet: the counts load when the screen shows."""
        super().__init__()
        #: The dashboard shown (``None`` until the first one is read).
        self.board: Dashboard | None = None
        #: The lines of the table, in its order: programme totals, then sites.
        self.lines: list[Line] = []
        self._asked: DashboardFilters | None = None
        #: What the keys offered depend on (a line, a site's line, counts), when last shown.
        self._offered: tuple[bool, bool, bool] | None = None

    def compose(self) -> ComposeResult:
        """Filters, the counts, and what the highlighted line says."""
        yield Header()
        with Horizontal(id="filters"):
            yield Select[int]([], prompt=_("Region"), id="region-filter")
            yield Select[int]([], prompt=_("Site"), id="site-filter")
            yield Select[int]([], prompt=_("Programme"), id="programme-filter")
            yield Select[int]([], prompt=_("Employer"), id="employer-filter")
        yield FittedTable(
            id="dashboard-table", cursor_type="row", zebra_stripes=True, header_height=2
        )
        yield Static(id="dashboard-empty", classes="empty-state")
        yield Static(id="dashboard-status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        """Read what the filters offer (the counts load on resume)."""
        self.load_choices()

    def on_screen_resume(self) -> None:
        """Shown (again): count again, as certificates may have been issued meanwhile."""
        self.reload()

    def offer(self, choices: FilterChoices) -> None:
        """Fill the filters."""
        self.query_one("#region-filter", Select).set_options(
            (name, region_id) for region_id, name in choices.regions
        )
        self.offer_sites()
        self.query_one("#programme-filter", Select).set_options(
            (f"{p.code} — {wording.pick(p.title_fr, p.title_en)}", p.id) for p in choices.programmes
        )
        self.query_one("#employer-filter", Select).set_options(
            (e.name, e.id) for e in choices.employers
        )
        self.explain_empty()

    @on(Select.Changed, "#region-filter")
    def offer_sites(self) -> None:
        """Offer the sites of the region chosen (all without), keeping the site if it is one."""
        if self._choices is None:
            return
        select = self.query_one("#site-filter", Select)
        region, site = chosen(self.query_one("#region-filter", Select)), chosen(select)
        sites = [line for line in self._choices.sites if region in (None, line.region_id)]
        select.set_options((f"{line.site.code} — {line.site.name}", line.site.id) for line in sites)
        if site in {line.site.id for line in sites}:
            select.value = site

    def filters(self) -> DashboardFilters:
        """The filters chosen."""
        return DashboardFilters(
            region_id=chosen(self.query_one("#region-filter", Select)),
            site_id=chosen(self.query_one("#site-filter", Select)),
            programme_id=chosen(self.query_one("#programme-filter", Select)),
            employer_id=chosen(self.query_one("#employer-filter", Select)),
        )

    @on(Select.Changed)
    def filter_changed(self) -> None:
        """Count again when a filter really changed."""
        if self.filters() != self._asked:
            self.reload()

    def reload(self) -> None:
        """Read the counts of the filters chosen; the table shows it is loading meanwhile."""
        self._asked = self.filters()
        self.waiting(True)
        self.load(self._asked)

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def load(self, filters: DashboardFilters) -> None:
        """Count the view in the background (seconds on a large network)."""
        board = self.backend.dashboard(self.actor, filters)
        deliver(self.app, self.show, board)

    def worker_failed(self, error: BaseException) -> None:
        """The count failed (the user was told): stop showing it is loading."""
        self.waiting(False)

    def show(self, board: Dashboard) -> None:
        """Show a dashboard just counted."""
        self.board = board
        self.lines = [*board.totals, *board.rows]
        self.waiting(False)
        self.explain_empty()
        self.fill()

    def on_fitted_table_resized(self) -> None:
        """Site codes take the width there is."""
        self.fill()

    def fill(self) -> None:
        """Put the lines in the table, the programme totals first and kept in sight."""
        table = self.query_one(DataTable)
        if self.board is None or not laid_out(table):
            return
        programme_width = width(_("Programme"), (line.programme.code for line in self.lines))
        count_widths = [
            width(
                max(statuses.header(status).plain.split("\n"), key=len),
                (wording.number(line.counts.count(status)) for line in self.lines),
            )
            for status in ProgressStatus
        ]
        room = spare_width(table, [programme_width, *count_widths])
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column(_("Site"), width=room)
        table.add_column(_("Programme"), width=programme_width)
        for status, size in zip(ProgressStatus, count_widths, strict=True):
            table.add_column(statuses.header(status), width=size)
        table.fixed_rows = len(self.board.totals)
        for line in self.lines:
            table.add_row(
                self.site_cell(line),
                Text(line.programme.code, style=self.emphasis(line)),
                *(statuses.count_cell(s, line.counts.count(s)) for s in ProgressStatus),
            )
        table.cursor_coordinate = cursor
        self.describe()

    def explain_empty(self) -> None:
        """An empty view says why, and what to do next, in place of an empty table."""
        why = self.why_empty()
        note = self.query_one("#dashboard-empty", Static)
        note.update(why)
        note.display = bool(why)
        self.query_one(DataTable).display = not why

    def why_empty(self) -> str:
        """Why the view counts nobody (a new network, no staff yet, or the filters); "" when
        it counts someone or is not counted yet."""
        if self.board is None or self.lines:
            return ""
        if self.board.filters != DashboardFilters():
            return _("Nobody in this view: change the filters.")
        if self._choices is None:
            return ""
        if not self._choices.programmes:
            return _(
                "No certification programme yet: there is nothing to count.\n\n"
                "Next: import the référentiel (domains and competencies), the modules and "
                "the programmes, then the staff, with F8 (Imports) or “certify import” on "
                "the command line. The dashboard then counts who is certified, eligible or "
                "in progress."
            )
        return _(
            "Nobody works on the sites of your scope yet.\n\n"
            "Next: import the staff with F8 (Imports) or “certify import” on the command "
            "line; then trainers record sessions and assessments (F2)."
        )

    @staticmethod
    def emphasis(line: Line) -> str:
        """Totals stand out."""
        return "bold" if isinstance(line, ProgrammeTotal) else ""

    def site_cell(self, line: Line) -> Text:
        """The site's code and name, or « Total » on a total line."""
        site = line.site.site if isinstance(line, DashboardRow) else None
        label = f"{site.code} — {site.name}" if site else _("Total")
        return Text(label, style=self.emphasis(line), no_wrap=True, overflow="ellipsis")

    def highlighted(self) -> Line | None:
        """The line under the cursor."""
        row = self.query_one(DataTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        """Under the table: the highlighted line in full words."""
        line = self.highlighted()
        self.offer_keys(line)
        status = self.query_one("#dashboard-status", Static)
        if line is None:
            status.update("")  # the empty view says why above
            return
        where = (
            f"{line.site.site.code} — {line.site.site.name}"
            if isinstance(line, DashboardRow)
            else _("All sites of the view")
        )
        programme = line.programme
        title = wording.pick(programme.title_fr, programme.title_en)
        people = ngettext("{count} person", "{count} people", line.counts.total).format(
            count=wording.number(line.counts.total)
        )
        counts = ", ".join(
            statuses.counted(s, line.counts.count(s))
            for s in ProgressStatus
            if line.counts.count(s)
        )
        counted = _("{people}: {counts}").format(people=people, counts=counts) if counts else people
        status.update(f"{where} · {programme.code} — {title}\n{counted}")

    def offer_keys(self, line: Line | None) -> None:
        """Redraw the footer when the keys offered change (it is rebuilt whole each time)."""
        offered = (line is None, isinstance(line, DashboardRow), self.board is None)
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys on a line need one (the heat map, a site's line); export needs counts."""
        line = self.highlighted()
        if action in ON_A_LINE and line is None:
            return None
        if action == "heatmap" and not isinstance(line, DashboardRow):
            return None
        if action == "export" and self.board is None:
            return None
        if action == "new_site" and not may_ever(self.actor, Action.IMPORT_REFERENCE_DATA):
            return False
        return super().check_action(action, parameters)

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        """The staff of the highlighted site (of the whole view, on a total line)."""
        line = self.highlighted()
        filters = self.filters()
        if isinstance(line, DashboardRow):
            filters = replace(filters, site_id=line.site.site.id)
        self.app.push_screen(StaffListScreen(filters))

    def action_new_site(self) -> None:
        """Type in a new site; once created, count again."""

        def done(created: bool | None) -> None:
            """Count again when a site was created (its filters too)."""
            if created:
                self.reload()

        self.app.push_screen(RowFormScreen("sites"), done)

    def action_staff(self) -> None:
        """The staff of the whole view."""
        self.app.push_screen(StaffListScreen(self.filters()))

    def action_heatmap(self) -> None:
        """The competency heat map of the highlighted site, on its programme."""
        from tui.screens.heatmap import HeatmapScreen  # another screen's module: loaded on use

        if isinstance(line := self.highlighted(), DashboardRow):
            self.app.push_screen(HeatmapScreen(line.site.site.id, line.programme.id))

    def action_expiring(self) -> None:
        """The certificates of the view ending soon."""
        from tui.screens.watchlists import ExpiringScreen  # loaded on use

        self.app.push_screen(ExpiringScreen(self.filters()))

    def action_queue(self) -> None:
        """The staff of the view eligible but not yet certified."""
        from tui.screens.watchlists import EligibleQueueScreen  # loaded on use

        self.app.push_screen(EligibleQueueScreen(self.filters()))

    def action_report(self) -> None:
        """Choose and save a PDF report of the view."""
        from tui.screens.reports import ReportDialog  # loaded on use

        self.app.push_screen(ReportDialog(self.filters()))

    def action_export(self) -> None:
        """Save the view (counts and totals) as CSV, made in a worker."""
        actor, filters = self.actor, self.filters()
        filename = _("dashboard-{day}.csv").format(day=self.backend.today.isoformat())
        save(self, filename, "text/csv", lambda: self.backend.dashboard_csv(actor, filters))
