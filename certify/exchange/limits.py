"""How big an import file may be: its bytes, rows, columns, cells and nesting.

Every reader (CSV, XLSX, YAML) collects its rows through :class:`Rows`, which refuses a
file past a limit at the line where it goes past, so that a hostile or broken file costs
bounded time and memory and is told in one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from certify.exchange.cells import RawCell, cell_text
from certify.exchange.messages import Text
from certify.exchange.problems import Problem, UnreadableFile

#: Largest file read, in bytes.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Most non-blank rows, the header included.
MAX_ROWS = 200_000
#: Most cells in a row.
MAX_COLUMNS = 500
#: Longest cell, in characters (Excel's own limit).
MAX_CELL = 32_767
#: Most cells a workbook's sheets may span (rows × columns, blank ones included).
MAX_SHEET_CELLS = 2_000_000
#: Most bytes a workbook may hold once unzipped.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
#: Deepest nesting of lists and records in a YAML file.
MAX_DEPTH = 32

TOO_MANY_ROWS = Text(
    "plus de {most} lignes\u00a0: découpez le fichier", "over {most} rows: split the file"
)
TOO_WIDE = Text(
    "plus de {most} colonnes\u00a0: le fichier est-il bien un tableau\u00a0?",
    "over {most} columns: is this really a table?",
)
TOO_LONG_CELL = Text(
    "cellule de plus de {most} caractères\u00a0: le fichier est-il bien un tableau\u00a0?",
    "cell over {most} characters long: is this really a table?",
)


def number(value: int) -> Text:
    """A count grouped by thousands: 200 000 in French (narrow no-break space), 200,000."""
    grouped = f"{value:,}"
    return Text(grouped.replace(",", "\u202f"), grouped)


def refused(reason: Text, line: int | None = None) -> UnreadableFile:
    """The error for a file that cannot be read (at ``line``, when known)."""
    return UnreadableFile(Problem(line, None, None, reason))


@dataclass(frozen=True)
class SourceRow:
    """One non-blank row of a file."""

    #: Line (CSV, YAML) or row number (XLSX) in the file, from 1.
    line: int
    #: Cells, blank ones as ``None``.
    cells: list[RawCell | None]


class Rows:
    """The non-blank rows of a file, as long as it keeps within the limits."""

    def __init__(self) -> None:
        """No row yet."""
        #: Rows kept, in file order.
        self.rows: list[SourceRow] = []

    def add(self, line: int, cells: list[RawCell | None]) -> None:
        """Keep a row unless blank; refuse the file past a limit."""
        if len(cells) > MAX_COLUMNS:
            raise refused(TOO_WIDE.format(most=number(MAX_COLUMNS)), line)
        if any(cell is not None and len(cell_text(cell)) > MAX_CELL for cell in cells):
            raise refused(TOO_LONG_CELL.format(most=number(MAX_CELL)), line)
        if all(cell is None for cell in cells):
            return
        if len(self.rows) == MAX_ROWS:
            raise refused(TOO_MANY_ROWS.format(most=number(MAX_ROWS)), line)
        self.rows.append(SourceRow(line, cells))
