"""Reading XLSX workbooks: every sheet looked at, the one holding data read.

A workbook is checked before openpyxl opens it: what it unzips to, and the cells its
merged ranges span (openpyxl fills each one). The sheet read is the active one when it
holds data (other sheets with data are named in a note), else the only sheet holding
data (said in a note); data on several sheets but none on the active one is refused.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from certify.exchange.cells import RawCell, clean
from certify.exchange.limits import (
    MAX_SHEET_CELLS,
    MAX_UNZIPPED_BYTES,
    Rows,
    SourceRow,
    number,
    refused,
)
from certify.exchange.messages import Text, quoted
from certify.exchange.problems import Problem

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: A merged range in a sheet's XML.
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([^\"']+)[\"']")

UNREADABLE = Text("classeur XLSX illisible ({error})", "unreadable XLSX workbook ({error})")
UNZIPS_TOO_BIG = Text(
    "classeur XLSX démesuré une fois décompressé (plus de {most} Mo)",
    "XLSX workbook too large once unzipped (over {most} MB)",
)
MERGES_TOO_BIG = Text(
    "classeur XLSX aux cellules fusionnées démesurées (plus de {most} cellules)",
    "XLSX workbook whose merged cells span too much (over {most} cells)",
)
SHEET_TOO_BIG = Text(
    "la feuille «\u00a0{sheet}\u00a0» s'étend sur {rows} lignes × {columns} colonnes "
    "(au plus {most} cellules)\u00a0: enregistrez-la en CSV",
    "sheet “{sheet}” spans {rows} rows × {columns} columns (at most {most} cells): save it as CSV",
)
OTHER_SHEETS = Text(
    "seule la feuille active « {sheet} » est lue ; ignorée(s), avec des données : {others}",
    "only the active sheet “{sheet}” is read; ignored, with data: {others}",
)
ONLY_SHEET = Text(
    "feuille «\u00a0{sheet}\u00a0» lue\u00a0: la seule qui contient des données (la feuille active "
    "«\u00a0{active}\u00a0» est vide)",
    "sheet “{sheet}” read: the only one holding data (the active sheet “{active}” is empty)",
)
SEVERAL_SHEETS = Text(
    "la feuille active « {active} » est vide et plusieurs feuilles contiennent des données "
    "({sheets})\u00a0: laissez les données à importer sur une seule feuille",
    "the active sheet “{active}” is empty and several sheets hold data ({sheets}): "
    "keep the data to import on one sheet",
)


@dataclass(frozen=True)
class SheetRows:
    """The non-blank rows of one sheet of a workbook."""

    #: The sheet's name.
    title: str
    #: Its non-blank rows.
    rows: list[SourceRow]


def check_archive(data: bytes) -> None:
    """Refuse a workbook that unzips, or whose merged cells spread, past the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
                raise refused(UNZIPS_TOO_BIG.format(most=MAX_UNZIPPED_BYTES // 2**20))
            merged = sum(
                _merged_cells(archive.read(member))
                for member in members
                if member.filename.lower().endswith(".xml")
            )
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, ValueError, OSError) as error:
        raise refused(UNREADABLE.format(error=error)) from None
    if merged > MAX_SHEET_CELLS:
        raise refused(MERGES_TOO_BIG.format(most=number(MAX_SHEET_CELLS)))


def _merged_cells(xml: bytes) -> int:
    """How many cells the merged ranges of a sheet's XML cover (a range without bounds: refused)."""
    from openpyxl.utils.cell import range_boundaries  # openpyxl: loaded by XLSX only

    total = 0
    for ref in _MERGE.findall(xml):
        bounds = range_boundaries(ref.decode("ascii"))
        if None in bounds:
            raise ValueError(f"merged range {ref.decode('ascii')}")
        first_column, first_row, last_column, last_row = (bound or 0 for bound in bounds)
        total += (last_column - first_column + 1) * (last_row - first_row + 1)
    return total


def xlsx_cell(value: Any) -> RawCell | None:
    """A cell of a workbook as a raw cell: dates stay dates, numbers become text."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal | bool):
        return str(value)
    return clean(str(value))


def merged_fills(sheet: Worksheet) -> dict[tuple[int, int], Any]:
    """Values of cells hidden under a vertical merge: the merged range's value."""
    fills = {}
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row + 1, merged.max_row + 1):
            fills[(row, merged.min_col)] = value
    return fills


def sheet_rows(sheet: Worksheet) -> SheetRows:
    """The non-blank rows of a sheet, each with its row number."""
    fills = merged_fills(sheet)
    rows = Rows()
    for number_, values in enumerate(sheet.iter_rows(min_row=1, min_col=1, values_only=True), 1):
        rows.add(
            number_,
            [
                xlsx_cell(fills.get((number_, column), value))
                for column, value in enumerate(values, start=1)
            ],
        )
    return SheetRows(sheet.title, rows.rows)


def open_workbook(data: bytes) -> list[Worksheet]:
    """The worksheets of a workbook, the active one first, once checked against the limits."""
    import openpyxl  # loaded by XLSX files only: 175 modules and PIL
    from openpyxl.worksheet.worksheet import Worksheet

    check_archive(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises errors of many kinds on broken parts
        raise refused(UNREADABLE.format(error=error)) from None
    sheets = list(workbook.worksheets)
    active = workbook.active
    if isinstance(active, Worksheet) and active in sheets:
        sheets.remove(active)
        sheets.insert(0, active)
    spanned = 0
    for sheet in sheets:
        spanned += sheet.max_row * sheet.max_column
        if spanned > MAX_SHEET_CELLS:
            raise refused(
                SHEET_TOO_BIG.format(
                    sheet=sheet.title,
                    rows=number(sheet.max_row),
                    columns=number(sheet.max_column),
                    most=number(MAX_SHEET_CELLS),
                )
            )
    return [sheet for sheet in sheets if isinstance(sheet, Worksheet)]


def sheet_names(sheets: list[SheetRows]) -> Text:
    """Sheets named in French guillemets or English quotation marks."""
    return Text(
        ", ".join(quoted(sheet.title) for sheet in sheets),
        ", ".join(quoted(sheet.title, "en") for sheet in sheets),
    )


def read_workbook(data: bytes) -> tuple[SheetRows, list[Problem]]:
    """The rows of the sheet to import, and a note saying which sheet it is when others exist."""
    sheets = [sheet_rows(sheet) for sheet in open_workbook(data)]
    if not sheets:
        raise refused(UNREADABLE.format(error="no worksheet"))
    active, others = sheets[0], [sheet for sheet in sheets[1:] if sheet.rows]
    if not others:
        return active, []
    if active.rows:
        note = OTHER_SHEETS.format(sheet=active.title, others=sheet_names(others))
        return active, [Problem(None, None, None, note)]
    if len(others) == 1:
        note = ONLY_SHEET.format(sheet=others[0].title, active=active.title)
        return others[0], [Problem(None, None, None, note)]
    raise refused(SEVERAL_SHEETS.format(active=active.title, sheets=sheet_names(others)))
