"""Columns of a kind of file, and how a file's header row is matched onto them.

Header names match in French or English, whatever their case, accents and punctuation
(« Date d'entrée », « date d entree », « DATE_ENTREE »…).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from certify.exchange.cells import CellType, cell_text
from certify.exchange.messages import Text
from certify.exchange.naming import closest, normal_form
from certify.exchange.problems import Problem
from certify.exchange.tabular import Sheet, SourceRow

#: Rows looked at to find the header (titles and blank rows may come first).
HEADER_SEARCH = 10


class Blank(enum.Enum):
    """What a blank cell means."""

    #: No value (``None``): clears an optional value.
    NONE = "none"
    #: The empty value of the type (empty text, empty list).
    EMPTY = "empty"
    #: Nothing said: an existing value stays, a new row takes the default.
    KEEP = "keep"


@dataclass(frozen=True)
class Column:
    """One column of a kind of file."""

    #: Identifier used by the kind's code.
    key: str
    #: French header, written in exports.
    french: str
    #: English header.
    english: str
    #: How its cells are read and written.
    type: CellType
    #: Whether every row must fill it.
    required: bool = False
    #: Other accepted headers.
    aliases: tuple[str, ...] = ()
    #: What a blank cell means.
    blank: Blank = Blank.NONE
    #: Field of the kind's main entity the column fills (``None``: the kind's code uses it).
    field: str | None = None
    #: Entity its codes or e-mails name.
    ref: str | None = None
    #: Whether a name unknown to the database creates that entity's row (employers…).
    create: bool = False

    @cached_property
    def names(self) -> frozenset[str]:
        """Every accepted header, in normal form."""
        return frozenset(
            normal_form(name) for name in (self.french, self.english, self.key, *self.aliases)
        )


@dataclass(frozen=True)
class Header:
    """Where a kind's columns are in a file."""

    #: Line of the header row.
    line: int
    #: Column of each cell position (``None``: ignored).
    positions: list[Column | None]
    #: The header as written, by column key.
    texts: dict[str, str]


def letter(position: int) -> str:
    """The spreadsheet letter of a 0-based cell position (A, B, … AA)."""
    name, number = "", position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def _score(row: SourceRow, columns: Sequence[Column]) -> int:
    """How many cells of a row are headers of ``columns``."""
    names = set().union(*(c.names for c in columns))
    return sum(1 for c in row.cells if c is not None and normal_form(cell_text(c)) in names)


def header_position(sheet: Sheet, columns: Sequence[Column]) -> int:
    """Index in ``sheet.rows`` of the header: the row naming most columns among the first."""
    if sheet.header_first or not sheet.rows:
        return 0
    candidates = sheet.rows[:HEADER_SEARCH]
    scores = [_score(row, columns) for row in candidates]
    return scores.index(max(scores))


UNKNOWN_COLUMN = Text("colonne inconnue, ignorée", "unknown column, ignored")
CLOSE_COLUMN = Text("colonne inconnue", "unknown column")
DUPLICATE_COLUMN = Text(
    "colonne en double (déjà colonne {other})", "duplicate column (see {other})"
)
MISSING_COLUMN = Text("colonne obligatoire absente", "required column missing")
HEADLESS_DATA = Text(
    "colonne sans en-tête mais remplie (cellule d'en-tête fusionnée ?)",
    "column without a header but with data (merged header cell?)",
)


def match_header(
    row: SourceRow, data: Sequence[SourceRow], columns: Sequence[Column]
) -> tuple[Header, list[Problem], list[Problem]]:
    """Match a header row onto ``columns``: the header, its problems, and notes.

    A header close to a known one is a problem (a typo would lose a column); one unlike
    any is ignored with a note. A blank header over data is a problem.
    """
    by_name = {name: column for column in columns for name in column.names}
    positions: list[Column | None] = []
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    notes: list[Problem] = []
    seen: dict[str, int] = {}
    width = max([len(row.cells), *(len(r.cells) for r in data)])
    cells = [*row.cells, *[None] * (width - len(row.cells))]
    for position, cell in enumerate(cells):
        column = None
        if cell is None:
            if any(position < len(r.cells) and r.cells[position] is not None for r in data):
                problems.append(Problem(row.line, letter(position), None, HEADLESS_DATA))
        else:
            text = cell_text(cell)
            column = by_name.get(normal_form(text))
            if column is None:
                hint = closest(text, [c.french for c in columns] + [c.english for c in columns])
                (problems if hint else notes).append(
                    Problem(
                        row.line,
                        letter(position),
                        text,
                        CLOSE_COLUMN if hint else UNKNOWN_COLUMN,
                        hint,
                    )
                )
            elif column.key in seen:
                problems.append(
                    Problem(
                        row.line,
                        letter(position),
                        text,
                        DUPLICATE_COLUMN.format(other=letter(seen[column.key])),
                    )
                )
                column = None
            else:
                seen[column.key] = position
                texts[column.key] = text
        positions.append(column)
    for column in columns:
        if column.required and column.key not in texts:
            problems.append(Problem(row.line, None, column.french, MISSING_COLUMN))
    return Header(row.line, positions, texts), problems, notes
