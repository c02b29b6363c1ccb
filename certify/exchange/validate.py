"""Checking a whole file before anything is written: every problem, by line and column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from certify.access.permissions import Actor
from certify.exchange.cells import CellError, CellErrors, cell_text
from certify.exchange.checking import Checking
from certify.exchange.columns import Blank, Header, header_position, match_header
from certify.exchange.entities import Key
from certify.exchange.kind import Kind
from certify.exchange.messages import Text
from certify.exchange.problems import Problem
from certify.exchange.resolve import Resolver
from certify.exchange.rows import MISSING_VALUE, Item, Reading, Row
from certify.exchange.store import Store
from certify.exchange.tabular import Sheet, SourceRow

#: Reports progress: the phase, then how many of how many are done.
Progress = Callable[[str, int, int], None]
#: Rows read between two progress reports.
PROGRESS_STEP = 2000

EMPTY_FILE = Text("aucune ligne de données", "no data rows")
SKIPPED_TOP = Text(
    "lignes avant l'en-tête (ligne {line}) ignorées", "rows above the header (line {line}) ignored"
)
SHORT_ROW = Text(
    "ligne incomplète\u00a0: {cells} cellule(s) sur {width} (fichier tronqué ou séparateurs "
    "manquants ?)\u00a0; une cellule vide s'écrit entre deux séparateurs",
    "short row: {cells} of {width} cells (file cut short or delimiters missing?); "
    "a blank cell is written between two delimiters",
)


@dataclass
class Validation:
    """A file once checked: its items, ready to plan, or every problem found."""

    #: Resolved items by entity name, then by natural key.
    items: dict[str, dict[Key, Item]]
    #: Every problem, by line; the file may be imported only when there is none.
    problems: list[Problem]
    #: Remarks that do not stop the import (columns ignored…).
    notes: list[Problem]
    #: Data rows read.
    rows: int


def is_short(source: SourceRow, header: Header) -> bool:
    """Whether a row stops before a column of the header (its cells there are not blank: absent)."""
    return any(column is not None for column in header.positions[len(source.cells) :])


def read_row(source: SourceRow, header: Header, reading: Reading) -> Row:
    """A data row's values by column key; each wrong cell is noted."""
    values, texts = {}, {}
    for position, column in enumerate(header.positions):
        if column is None:
            continue
        raw = source.cells[position] if position < len(source.cells) else None
        if raw is None:
            if column.required:
                reading.problem(source.line, column.key, None, MISSING_VALUE)
            elif column.blank is Blank.NONE:
                values[column.key] = None
            elif column.blank is Blank.EMPTY:
                values[column.key] = column.type.empty
            continue
        text = texts[column.key] = cell_text(raw)
        try:
            values[column.key] = column.type.parse(raw)
        except CellError as error:
            reading.problem(
                source.line, column.key, error.value or text, error.reason, error.suggestion
            )
        except CellErrors as errors:
            for error in errors.errors:
                reading.problem(
                    source.line, column.key, error.value, error.reason, error.suggestion
                )
    return Row(source.line, values, texts, reading)


def validate(
    sheet: Sheet,
    kind: Kind,
    store: Store,
    actor: Actor,
    today: date,
    progress: Progress | None = None,
) -> Validation:
    """Check a whole file of ``kind`` against the database as of ``today``; nothing is written."""
    position = header_position(sheet, kind.columns)
    data = sheet.rows[position + 1 :]
    if not data:
        return Validation({}, [], [*sheet.notes, Problem(None, None, None, EMPTY_FILE)], 0)
    header, problems, notes = match_header(sheet.rows[position], data, kind.columns)
    if position:
        notes.insert(0, Problem(None, None, None, SKIPPED_TOP.format(line=header.line)))
    notes[:0] = sheet.notes
    reading = Reading(kind, header.texts)
    reading.problems.extend(problems)
    width = max(i + 1 for i, column in enumerate(header.positions) if column) if header.texts else 0
    items: list[Item] = []
    for done, source in enumerate(data, start=1):
        if is_short(source, header):
            reason = SHORT_ROW.format(cells=len(source.cells), width=width)
            reading.problems.append(Problem(source.line, None, None, reason))
            continue
        row = read_row(source, header, reading)
        items.extend(item for item in kind.items(row, store) if item is not None)
        if progress is not None and (done % PROGRESS_STEP == 0 or done == len(data)):
            progress("validation", done, len(data))
    resolved = Resolver(kind, store, reading).run(items)
    kind.check(Checking(store, resolved, actor, reading, today))
    rank: dict[str | None, int] = {text: index for index, text in enumerate(header.texts.values())}
    problems = sorted(reading.problems, key=lambda p: (p.order, rank.get(p.column, len(rank))))
    return Validation(resolved, problems, notes, len(data))
