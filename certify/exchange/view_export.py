"""The current view exported as CSV for French Excel, through the exports' own writer.

:func:`certify.exchange.writers.write_csv` does the format (UTF-8 with a BOM, ``;``,
dates DD/MM/YYYY, decimals with a comma, formulas made inert); this module only says, per
view, which columns it has, under which French header, and how a line fills them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from certify.exchange.cells import Cell
from certify.exchange.kinds.staff import KIND as STAFF
from certify.exchange.writers import write_csv
from certify.rules.explanation import PersonRef, ProgrammeRef
from certify.rules.progress import ProgressStatus
from certify.views.dashboard import Dashboard, DashboardRow, ProgrammeTotal, StatusCounts
from certify.views.heatmap import HeatmapColumn, HeatmapRow
from certify.views.labels import PROGRESS_STATUSES
from certify.views.staff_directory import StaffLine
from certify.views.watchlists import ExpiringLine, QueueLine

#: A line of a view.
T = TypeVar("T")
#: The lines a column reads (a column of any line naming a person fits every such view).
Line = TypeVar("Line", contravariant=True)


@dataclass(frozen=True)
class ViewColumn(Generic[Line]):
    """One column of an exported view."""

    #: French header.
    header: str
    #: The cell of a line.
    value: Callable[[Line], Cell]


def view_csv(columns: Sequence[ViewColumn[T]], rows: Iterable[T]) -> bytes:
    """The lines as a CSV file French Excel opens as it is."""
    return write_csv(
        [column.header for column in columns],
        [[column.value(row) for column in columns] for row in rows],
    )


def yes_no(value: bool) -> str:
    """« Oui » or « Non »."""
    return "Oui" if value else "Non"


class PersonLine(Protocol):
    """A line naming a person."""

    @property
    def person(self) -> PersonRef:
        """The person."""
        ...


class PersonProgrammeLine(PersonLine, Protocol):
    """A line naming a person and a programme."""

    @property
    def programme(self) -> ProgrammeRef:
        """The programme."""
        ...


#: Name, e-mail and site of a line's person.
PERSON_COLUMNS: tuple[ViewColumn[PersonLine], ...] = (
    ViewColumn("Nom", lambda line: line.person.name),
    ViewColumn("Adresse e-mail", lambda line: line.person.email),
    ViewColumn("Site", lambda line: line.person.site.code),
)
#: The person's columns, then the programme's code.
PERSON_PROGRAMME_COLUMNS: tuple[ViewColumn[PersonProgrammeLine], ...] = (
    *PERSON_COLUMNS,
    ViewColumn("Programme", lambda line: line.programme.code),
)


class CountedLine(Protocol):
    """A line of the dashboard: a programme and its staff counted per status."""

    @property
    def programme(self) -> ProgrammeRef:
        """The programme."""
        ...

    @property
    def counts(self) -> StatusCounts:
        """Its staff per status."""
        ...


#: The programme's code, one count per status, and their total.
COUNT_COLUMNS: tuple[ViewColumn[CountedLine], ...] = (
    ViewColumn("Programme", lambda line: line.programme.code),
    *(
        ViewColumn(PROGRESS_STATUSES[status].fr, lambda line, s=status: line.counts.count(s))
        for status in ProgressStatus
    ),
    ViewColumn("Total", lambda line: line.counts.total),
)

#: The dashboard: one line per site × programme.
DASHBOARD_COLUMNS: tuple[ViewColumn[DashboardRow], ...] = (
    ViewColumn("Région", lambda row: row.site.region_name),
    ViewColumn("Site", lambda row: row.site.site.code),
    ViewColumn("Nom du site", lambda row: row.site.site.name),
    *COUNT_COLUMNS,
)
#: The dashboard's programme totals, under the same headers: every site added up.
DASHBOARD_TOTAL_COLUMNS: tuple[ViewColumn[ProgrammeTotal], ...] = (
    ViewColumn("Région", lambda total: None),
    ViewColumn("Site", lambda total: "Ensemble"),
    ViewColumn("Nom du site", lambda total: "Tous les sites de la vue"),
    *COUNT_COLUMNS,
)


def dashboard_csv(board: Dashboard) -> bytes:
    """The dashboard as on screen: its site × programme lines, then the programme totals."""
    return write_csv(
        [column.header for column in DASHBOARD_COLUMNS],
        [
            *([column.value(row) for column in DASHBOARD_COLUMNS] for row in board.rows),
            *(
                [column.value(total) for column in DASHBOARD_TOTAL_COLUMNS]
                for total in board.totals
            ),
        ],
    )


#: The expiring list.
EXPIRING_COLUMNS: tuple[ViewColumn[ExpiringLine], ...] = (
    *PERSON_PROGRAMME_COLUMNS,
    ViewColumn("Numéro", lambda line: line.serial),
    ViewColumn("Valide jusqu'au", lambda line: line.valid_until),
    ViewColumn("Jours restants", lambda line: line.days_left),
    ViewColumn("Exigences manquantes", lambda line: line.missing),
    ViewColumn("Renouvelable", lambda line: yes_no(line.renewable)),
)

#: The issuing queue.
QUEUE_COLUMNS: tuple[ViewColumn[QueueLine], ...] = (
    *PERSON_PROGRAMME_COLUMNS,
    ViewColumn("Statut", lambda line: PROGRESS_STATUSES[line.status].fr),
    ViewColumn("Valide jusqu'au", lambda line: line.valid_until),
)


def _staff_cell(key: str, value: Callable[[StaffLine], object]) -> ViewColumn[StaffLine]:
    """A column of the staff import and export (``certify export staff``), under its header."""
    column = STAFF.column(key)
    return ViewColumn(
        column.french, lambda line: None if (v := value(line)) is None else column.type.format(v)
    )


#: The staff list's columns that ``certify import staff`` reads: those of ``certify export
#: staff``, in its order and wording, so the list exported (F9) imports back as it is.
STAFF_COLUMNS: tuple[ViewColumn[StaffLine], ...] = (
    _staff_cell("email", lambda line: line.person.email),
    _staff_cell("given_name", lambda line: line.given_name),
    _staff_cell("family_name", lambda line: line.family_name),
    _staff_cell("site", lambda line: line.person.site.code),
    _staff_cell("employer", lambda line: line.employer),
    _staff_cell("roles", lambda line: line.roles),
    _staff_cell("active_from", lambda line: line.active_from),
    _staff_cell("active_until", lambda line: line.active_until),
    _staff_cell("lang", lambda line: line.lang),
)


def staff_columns(programmes: Sequence[ProgrammeRef]) -> list[ViewColumn[StaffLine]]:
    """The staff list: the staff export's columns, then the status and valid-until on each
    programme (columns the import ignores)."""

    def status(programme_id: int) -> Callable[[StaffLine], Cell]:
        """The French status on one programme."""
        return lambda line: (
            PROGRESS_STATUSES[cell.status].fr if (cell := line.status_on(programme_id)) else None
        )

    def valid_until(programme_id: int) -> Callable[[StaffLine], Cell]:
        """The valid-until on one programme."""
        return lambda line: cell.valid_until if (cell := line.status_on(programme_id)) else None

    return [
        *STAFF_COLUMNS,
        *(
            column
            for programme in programmes
            for column in (
                ViewColumn(programme.code, status(programme.id)),
                ViewColumn(f"{programme.code} — valide jusqu'au", valid_until(programme.id)),
            )
        ),
    ]


def heatmap_columns(columns: Sequence[HeatmapColumn]) -> list[ViewColumn[HeatmapRow]]:
    """A heat map: who, then the valid level on each competency (empty: none)."""

    def level(position: int) -> Callable[[HeatmapRow], Cell]:
        """The level in one column."""
        return lambda row: row.levels[position]

    return [
        *PERSON_COLUMNS,
        *(ViewColumn(column.code, level(n)) for n, column in enumerate(columns)),
    ]
