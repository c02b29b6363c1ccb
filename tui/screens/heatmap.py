"""A site's competency heat map: its staff × the competencies, each cell coloured by level."""

from __future__ import annotations

from typing import ClassVar, cast

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.color import Gradient
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Select, Static

from certify.access.permissions import Action
from certify.rules.explanation import ProgrammeRef
from certify.views.heatmap import Heatmap, HeatmapColumn, HeatmapRow, Scale
from tui import wording
from tui.i18n import N_, _, ngettext
from tui.screens.base import Audience
from tui.screens.paged import PAGING, PagedScreen
from tui.widgets.selects import chosen
from tui.workers import deliver

#: From the lowest level to the highest: red, amber, green.
LEVEL_COLOURS = Gradient.from_colors("#c62828", "#f9a825", "#2e7d32")
#: A cell without a valid level.
NO_LEVEL = Style(dim=True)
#: Width of the name column.
NAME_WIDTH = 22


def level_style(level: int, scale: Scale) -> Style:
    """The colours of a cell at ``level``: its place on the scale, from red to green."""
    numbers = [ref.level for ref in scale.levels]
    place = numbers.index(level) / max(len(numbers) - 1, 1) if level in numbers else 0.0
    background = LEVEL_COLOURS.get_color(place)
    return Style(color=background.get_contrast_text(1.0).rich_color, bgcolor=background.rich_color)


def cell(level: int | None, width: int, scale: Scale) -> Text:
    """A cell: the level on its colour, or a dim dot."""
    if level is None:
        return Text("·".center(width), style=NO_LEVEL)
    return Text(str(level).center(width), style=level_style(level, scale))


def header(column: HeatmapColumn) -> Text:
    """A column's header: its code, and the programme's minimum level under it."""
    minimum = f"\n≥{column.min_level}" if column.min_level is not None else ""
    return Text(f"{column.code}{minimum}", justify="center")


def legend(scale: Scale, programme: bool) -> Text:
    """The levels on their colours, what a dot means and what the minimum marks mean."""
    text = Text(_("Levels:") + " ")
    for ref in scale.levels:
        label = wording.pick(ref.label_fr, ref.label_en)
        text.append(f" {ref.level} {label} ", style=level_style(ref.level, scale))
        text.append(" ")
    text.append("· ", style=NO_LEVEL)
    text.append(_("none or expired"))
    if programme:
        text.append(" · " + _("≥n: the programme's minimum"))
    else:
        text.append(" · " + _("proficient from {level}").format(level=scale.threshold))
    return text


class HeatmapScreen(PagedScreen[Heatmap]):
    """Who of a site holds which competency at which level, on one screen."""

    NAME = N_("Competency heat map")
    AUDIENCE = Audience(action=Action.VIEW_PROGRESS)
    HELP = N_(
        "The staff of a site (rows) and the competencies (columns, by code): each cell is "
        "the person's valid level, coloured from red (lowest) to green (highest); a dim dot "
        "means no valid level. Choose a programme to see only its competencies, with its "
        "minimum level under each code. The label of the competency under the cursor is "
        "shown below. Arrows move (sideways too), pagedown/pageup change page, enter opens "
        "the person; f9 saves the whole map as CSV."
    )

    BINDINGS: ClassVar[list[BindingType]] = PAGING

    def __init__(self, site_id: int, programme_id: int | None = None) -> None:
        """The heat map of ``site_id``, on the competencies of ``programme_id`` if given."""
        super().__init__()
        #: The site shown.
        self.site_id = site_id
        #: The programme whose competencies are shown (``None``: every competency).
        self.programme_id: int | None = programme_id
        self._map: Heatmap | None = None

    def compose(self) -> ComposeResult:
        """The programme, the site, the legend, the map and the cell under the cursor."""
        yield Header()
        with Horizontal(id="filters"):
            yield Select[int]([], prompt=_("All competencies"), id="programme")
        yield Static(id="heat-site", classes="heading")
        yield Static(id="heat-legend")
        yield DataTable(
            id="heatmap",
            cursor_type="cell",
            fixed_columns=1,
            cursor_background_priority="css",
        )
        yield Static(id="heat-status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        """Read the programmes to choose from, and the first page."""
        super().on_mount()
        self.load_programmes()

    @work(thread=True, exit_on_error=False, group="choices")
    def load_programmes(self) -> None:
        """Read the programmes."""
        deliver(self.app, self.offer, self.backend.programmes())

    def offer(self, programmes: list[ProgrammeRef]) -> None:
        """Fill the programme select, on the programme asked for."""
        select = self.query_one("#programme", Select)
        with self.prevent(Select.Changed):
            select.set_options((programme.code, programme.id) for programme in programmes)
            if self.programme_id is not None:
                select.value = self.programme_id

    @on(Select.Changed, "#programme")
    def programme_changed(self, event: Select.Changed) -> None:
        """Show the competencies of the programme chosen (all, without one)."""
        programme_id = chosen(cast("Select[int]", event.select))  # Changed.select is untyped
        if programme_id != self.programme_id:
            self.programme_id = programme_id
            self.restart()

    def fetch(self, offset: int, limit: int) -> Heatmap:
        """One page of the map."""
        return self.backend.heatmap(self.actor, self.site_id, self.programme_id, offset, limit)

    def show(self, result: Heatmap) -> None:
        """Show a page of the map."""
        self._map = result
        self.counted(result.rows)
        site = result.site
        staff = ngettext("{count} person", "{count} people", result.rows.total).format(
            count=wording.number(result.rows.total)
        )
        self.query_one("#heat-site", Static).update(f"{site.code} · {site.name} · {staff}")
        self.query_one("#heat-legend", Static).update(
            legend(result.scale, result.programme is not None)
        )
        self.fill(result)

    def fill(self, heatmap: Heatmap) -> None:
        """Put the page in the table: names, then one coloured cell per competency."""
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.header_height = 2 if heatmap.programme is not None else 1
        table.add_column(_("Person"), width=NAME_WIDTH)
        sizes = [max(len(column.code), 3) for column in heatmap.columns]
        for column, size in zip(heatmap.columns, sizes, strict=True):
            table.add_column(header(column), width=size)
        for row in heatmap.rows.items:
            table.add_row(
                wording.one_line(row.person.name),
                *(
                    cell(level, size, heatmap.scale)
                    for level, size in zip(row.levels, sizes, strict=True)
                ),
            )
        table.cursor_coordinate = cursor
        self.describe()

    @on(DataTable.CellHighlighted)
    def describe(self) -> None:
        """Under the map: the competency under the cursor, and the person's level on it."""
        if (heatmap := self._map) is None:
            return
        table = self.query_one(DataTable)
        row, column = table.cursor_row, table.cursor_column - 1
        competency = heatmap.columns[column] if 0 <= column < len(heatmap.columns) else None
        line = heatmap.rows.items[row] if 0 <= row < len(heatmap.rows.items) else None
        if competency is not None:
            label = wording.pick(competency.label_fr, competency.label_en)
            about = f"{competency.code} — {label}"
        elif line is not None:
            about = _("→ moves across the competencies; the label of each is shown here")
        else:
            about = _("Nobody works at this site.")
        details = [self.person_level(line, column, heatmap)] if line else []
        if competency is not None and competency.min_level is not None:
            details.append(_("minimum {level}").format(level=competency.min_level))
        if where := self.position():
            details.append(where)
        self.query_one("#heat-status", Static).update(f"{about}\n" + " · ".join(details))

    def person_level(self, line: HeatmapRow, column: int, heatmap: Heatmap) -> str:
        """« Nathalie André : 2 — Acquis » (just the name on the name column)."""
        if not 0 <= column < len(line.levels):
            return line.person.name
        level = line.levels[column]
        levels = [(ref.level, ref.label_fr, ref.label_en) for ref in heatmap.scale.levels]
        return _("{name}: {level}").format(
            name=line.person.name,
            level=_("no valid level") if level is None else wording.level(level, levels),
        )

    def person_at_cursor(self) -> int | None:
        """The person on the highlighted row."""
        row = self.query_one(DataTable).cursor_row
        items = self._map.rows.items if self._map else ()
        return items[row].person.id if 0 <= row < len(items) else None

    def csv_filename(self) -> str:
        """« carte-competences-PARIS-2026-11-21.csv »."""
        site = self._map.site.code if self._map else str(self.site_id)
        return _("heatmap-{site}-{day}.csv").format(site=site, day=self.backend.today.isoformat())

    def csv(self) -> bytes:
        """The whole map (every page)."""
        return self.backend.heatmap_csv(self.actor, self.site_id, self.programme_id)
