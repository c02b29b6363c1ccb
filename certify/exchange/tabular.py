"""Reading CSV, XLSX and YAML files into rows of cells with their line numbers.

CSV: encoding detected (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252),
delimiter detected among ``;``, ``,`` and tab. XLSX: the active sheet, vertically merged
cells filled with their value, dates Excel stored as dates kept as dates. YAML: a list of
records (or one record); a record holding a list of records is flattened, each inner
record inheriting the values around it. Every text cell is stripped of stray spaces, except
a leading tab or carriage return: that is part of the value (a code or an e-mail refuses it).
A CSV cell's leading ``'`` that an export put before a would-be formula is removed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from certify.exchange.cells import RawCell
from certify.exchange.formulas import revived
from certify.exchange.messages import Text
from certify.exchange.problems import Problem, UnreadableFile

#: Delimiters a CSV file may use.
DELIMITERS = ";,\t"
#: How each delimiter is named in reports.
DELIMITER_NAMES = {
    ";": Text("« ; »", "“;”"),
    ",": Text("« , »", "“,”"),
    "\t": Text("tabulation", "tab"),
}
#: Lines looked at to find the delimiter.
SNIFFED_LINES = 20
#: Stray characters before a cell's text: spaces, zero-width spaces, BOMs; not a tab nor CR.
_LEADING = re.compile(r"^(?:(?![\t\r])[\s\u200b\ufeff])+")
#: Stray characters after a cell's text.
_TRAILING = re.compile(r"[\s\u200b\ufeff]+$")


@dataclass(frozen=True)
class SourceRow:
    """One non-blank row of a file."""

    #: Line (CSV, YAML) or row number (XLSX) in the file, from 1.
    line: int
    #: Cells, blank ones as ``None``.
    cells: list[RawCell | None]


@dataclass(frozen=True)
class Sheet:
    """The non-blank rows of a file, and how it was read."""

    #: Rows in file order (the header is among the first ones).
    rows: list[SourceRow]
    #: Whether the first row is surely the header (YAML keys); else it is searched for.
    header_first: bool
    #: How the file was read: format, encoding, delimiter.
    description: Text


def unreadable(reason: Text, line: int | None = None) -> UnreadableFile:
    """The error for a file that cannot be read."""
    return UnreadableFile(Problem(line, None, None, reason))


def read_table(path: Path) -> Sheet:
    """Read a CSV, XLSX or YAML file (chosen by its extension)."""
    readers = {
        ".csv": read_csv,
        ".txt": read_csv,
        ".tsv": read_csv,
        ".xlsx": read_xlsx,
        ".xlsm": read_xlsx,
        ".yaml": read_yaml,
        ".yml": read_yaml,
    }
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise unreadable(
            Text(
                f"format de fichier « {path.suffix} » non pris en charge (.csv, .xlsx, .yaml)",
                f"unsupported file format “{path.suffix}” (.csv, .xlsx, .yaml)",
            )
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise unreadable(
            Text(f"impossible de lire {path} ({error.strerror})", f"cannot read {path}")
        ) from None
    return reader(data)


def clean(text: str) -> str | None:
    """A text cell without stray spaces (``None`` when nothing is left)."""
    return _LEADING.sub("", _TRAILING.sub("", text)) or None


def csv_text(text: str) -> str | None:
    """A CSV cell cleaned, and read back as it was before an export made it inert."""
    cleaned = clean(text)
    return None if cleaned is None else revived(cleaned)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError:
            data = data[len(codecs.BOM_UTF8) :]
    for encoding, name in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return data.decode(encoding), name
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "ISO-8859-1"


def find_delimiter(text: str) -> str:
    """The delimiter csv.Sniffer finds, if the header line holds it; else the header's commonest.

    The header line is the first holding any delimiter (a title line above it has none,
    or only delimiters).
    """
    lines = [line for line in text.splitlines()[:SNIFFED_LINES] if line.strip()]
    header = next((line for line in lines if any(d in line for d in DELIMITERS)), "")
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed is not None and sniffed in header:
        return sniffed
    return max(DELIMITERS, key=header.count)


def read_csv(data: bytes) -> Sheet:
    """The rows of a CSV file, each with the line it starts on."""
    text, encoding = decode(data)
    delimiter = find_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    line = 1
    try:
        for record in reader:
            cells: list[RawCell | None] = [csv_text(cell) for cell in record]
            if any(cell is not None for cell in cells):
                rows.append(SourceRow(line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise unreadable(
            Text(f"CSV illisible ({error})", f"unreadable CSV ({error})"), line
        ) from None
    name = DELIMITER_NAMES[delimiter]
    return Sheet(
        rows,
        header_first=False,
        description=Text(
            f"CSV, encodage {encoding}, séparateur {name.fr}",
            f"CSV, {encoding}, delimiter {name.en}",
        ),
    )


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


def read_xlsx(data: bytes) -> Sheet:
    """The rows of the active sheet of a workbook, each with its row number."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise unreadable(
            Text(f"classeur XLSX illisible ({error})", f"unreadable XLSX workbook ({error})")
        ) from None
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    fills = merged_fills(sheet)
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=1, min_col=1, values_only=True), 1):
        cells = [
            xlsx_cell(fills.get((number, column), value))
            for column, value in enumerate(values, start=1)
        ]
        if any(cell is not None for cell in cells):
            rows.append(SourceRow(number, cells))
    return Sheet(
        rows,
        header_first=False,
        description=Text(f"XLSX, feuille « {sheet.title} »", f"XLSX, sheet “{sheet.title}”"),
    )


#: Key under which the YAML loader notes the line of each record.
LINE = object()


class LineLoader(yaml.SafeLoader):
    """A safe YAML loader that notes the line each mapping starts on."""


def _mapping_with_line(loader: LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping, with its line under :data:`LINE`."""
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _is_records(value: Any) -> bool:
    """Whether a YAML value is a list of records (nested rows), not a list of values."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def flatten(record: dict[Any, Any], inherited: dict[str, Any]) -> Iterator[tuple[int, dict]]:
    """The rows of a record: itself, or each of its nested records with its values around."""
    values = {
        str(key): value
        for key, value in record.items()
        if key is not LINE and not _is_records(value)
    }
    merged = {**inherited, **values}
    children = [c for k, v in record.items() if k is not LINE and _is_records(v) for c in v]
    if not children:
        yield record[LINE], merged
    for child in children:
        yield from flatten(child, merged)


def yaml_cell(value: Any) -> RawCell | None:
    """A YAML value as a raw cell."""
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return clean(value)
    return str(value)


def read_yaml(data: bytes) -> Sheet:
    """The rows of a YAML file: its keys as the header, then one row per (nested) record."""
    try:
        document = yaml.load(data.decode("utf-8-sig"), Loader=LineLoader)
    except UnicodeDecodeError:
        raise unreadable(Text("YAML non codé en UTF-8", "YAML not encoded in UTF-8")) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise unreadable(
            Text(f"YAML illisible ({error})", f"unreadable YAML ({error})"),
            mark.line + 1 if mark else None,
        ) from None
    records = document if isinstance(document, list) else [document] if document else []
    if not all(isinstance(record, dict) for record in records):
        raise unreadable(
            Text("le YAML doit être une liste d'enregistrements", "YAML must be a list of records")
        )
    flat = [row for record in records for row in flatten(record, {})]
    header = list(dict.fromkeys(key for _, values in flat for key in values))
    rows = [
        SourceRow(line, [yaml_cell(values.get(key)) for key in header]) for line, values in flat
    ]
    first = rows[0].line if rows else 1
    return Sheet(
        [SourceRow(first, list(header)), *rows],
        header_first=True,
        description=Text("YAML", "YAML"),
    )
