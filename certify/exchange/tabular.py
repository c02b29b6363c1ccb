"""Reading CSV, XLSX and YAML files into rows of cells with their line numbers.

CSV: encoding detected (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 —
but a file mixing UTF-8 and another encoding is refused), delimiter detected among ``;``,
``,`` and tab; a quote left open (a file cut short) is refused. XLSX: see
:mod:`certify.exchange.workbooks`. YAML: see :mod:`certify.exchange.yaml_files`. Every text
cell is stripped of stray spaces, except a leading tab or carriage return: that is part of
the value (a code or an e-mail refuses it). A CSV cell's leading ``'`` that an export put
before a would-be formula is removed. Every file is held to :mod:`certify.exchange.limits`.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from certify.exchange.cells import clean
from certify.exchange.formulas import revived
from certify.exchange.limits import (
    MAX_CELL,
    MAX_FILE_BYTES,
    TOO_LONG_CELL,
    Rows,
    SourceRow,
    number,
    refused,
)
from certify.exchange.messages import Text
from certify.exchange.problems import Problem
from certify.exchange.workbooks import read_workbook
from certify.exchange.yaml_files import read_records

__all__ = ["Sheet", "SourceRow", "read_table"]

#: Delimiters a CSV file may use.
DELIMITERS = ";,\t"
#: How each delimiter is named in reports.
DELIMITER_NAMES = {
    ";": Text("«\u00a0;\u00a0»", "“;”"),
    ",": Text("«\u00a0,\u00a0»", "“,”"),
    "\t": Text("tabulation", "tab"),
}
#: Lines looked at to find the delimiter.
SNIFFED_LINES = 20
#: Characters looked at to find the delimiter, at most.
SNIFFED_CHARS = 20_000
#: A valid UTF-8 sequence of two bytes or more (a Windows-1252 file hardly ever holds one).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)

MIXED = Text(
    "encodages mélangés\u00a0: la ligne {utf8} est en UTF-8, la ligne {other} non\u00a0; "
    "enregistrez le fichier en UTF-8",
    "mixed encodings: line {utf8} is UTF-8, line {other} is not; save the file as UTF-8",
)
NOT_UTF16 = Text(
    "texte UTF-16 illisible\u00a0: le fichier est-il tronqué\u00a0?",
    "unreadable UTF-16 text: was the file cut short?",
)
UNCLOSED_QUOTE = Text(
    "guillemet ouvert jamais fermé\u00a0: le fichier est-il tronqué\u00a0?",
    "a quote is opened and never closed: was the file cut short?",
)
STRAY_QUOTE = Text(
    "guillemet mal placé\u00a0: une cellule entre guillemets se termine au séparateur",
    "misplaced quote: a quoted cell ends at the delimiter",
)
TOO_BIG = Text(
    "fichier trop volumineux (plus de {most} Mo)\u00a0: découpez-le",
    "file too large (over {most} MB): split it",
)


@dataclass(frozen=True)
class Sheet:
    """The non-blank rows of a file, and how it was read."""

    #: Rows in file order (the header is among the first ones).
    rows: list[SourceRow]
    #: Whether the first row is surely the header (YAML keys); else it is searched for.
    header_first: bool
    #: How the file was read: format, encoding, delimiter.
    description: Text
    #: Remarks on how it was read (which sheet of a workbook…).
    notes: list[Problem] = field(default_factory=list)


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
        raise refused(
            Text(
                f"format de fichier « {path.suffix} » non pris en charge (.csv, .xlsx, .yaml)",
                f"unsupported file format “{path.suffix}” (.csv, .xlsx, .yaml)",
            )
        )
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size  # 0 for a pipe: read up to the limit
            data = file.read(min(size, MAX_FILE_BYTES) + 1 if size else MAX_FILE_BYTES + 1)
    except OSError as error:
        raise refused(
            Text(f"impossible de lire {path} ({error.strerror})", f"cannot read {path}")
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise refused(TOO_BIG.format(most=MAX_FILE_BYTES // 2**20))
    return reader(data)


def csv_text(text: str) -> str | None:
    """A CSV cell cleaned, and read back as it was before an export made it inert."""
    cleaned = clean(text)
    return None if cleaned is None else revived(cleaned)


def line_of(data: bytes, offset: int) -> int:
    """The line of a byte of a file, from 1."""
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding; a mix of encodings is refused.

    A file that is not valid UTF-8 is read as Windows-1252 only if it holds no valid UTF-8
    sequence of several bytes (nor a UTF-8 BOM): else part of it would turn to mojibake.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise refused(NOT_UTF16) from None
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    try:
        return body.decode("utf-8"), "UTF-8 (BOM)" if bom else "UTF-8"
    except UnicodeDecodeError as error:
        other = line_of(body, error.start)
    utf8 = _UTF8_SEQUENCE.search(body)
    if bom or utf8:
        raise refused(
            MIXED.format(utf8=line_of(body, utf8.start()) if utf8 else 1, other=other), other
        )
    try:
        return body.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return body.decode("latin-1"), "ISO-8859-1"


def find_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most fields, quotes respected
    (ties: ``;`` first, as French Excel writes); in time linear in the line.

    The header line is the first holding any delimiter (a title line above it has none,
    or only delimiters). ``csv.Sniffer`` is not used: its regular expressions take
    minutes on some hostile lines.
    """
    lines = text[:SNIFFED_CHARS].splitlines()[:SNIFFED_LINES]
    header = next((line for line in lines if any(d in line for d in DELIMITERS)), "")
    return max(DELIMITERS, key=lambda delimiter: _field_count(header, delimiter))


def _field_count(line: str, delimiter: str) -> int:
    """How many fields ``delimiter`` splits ``line`` into (0 if it cannot be read so)."""
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return 0


def csv_error(error: csv.Error) -> Text:
    """Why the csv module could not read on, in words a user acts on."""
    message = str(error)
    if "end of data" in message:
        return UNCLOSED_QUOTE
    if "expected after" in message:
        return STRAY_QUOTE
    if "field limit" in message:
        return TOO_LONG_CELL.format(most=number(MAX_CELL))
    return Text(f"CSV illisible ({message})", f"unreadable CSV ({message})")


def read_csv(data: bytes) -> Sheet:
    """The rows of a CSV file, each with the line it starts on."""
    text, encoding = decode(data)
    delimiter = find_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = Rows()
    line = 1
    try:
        for record in reader:
            rows.add(line, [csv_text(cell) for cell in record])
            line = reader.line_num + 1
    except csv.Error as error:
        raise refused(csv_error(error), line) from None
    name = DELIMITER_NAMES[delimiter]
    return Sheet(
        rows.rows,
        header_first=False,
        description=Text(
            f"CSV, encodage {encoding}, séparateur {name.fr}",
            f"CSV, {encoding}, delimiter {name.en}",
        ),
    )


def read_xlsx(data: bytes) -> Sheet:
    """The rows of the sheet of a workbook that holds the data, each with its row number."""
    sheet, notes = read_workbook(data)
    return Sheet(
        sheet.rows,
        header_first=False,
        description=Text(
            f"XLSX, feuille «\u00a0{sheet.title}\u00a0»", f"XLSX, sheet “{sheet.title}”"
        ),
        notes=notes,
    )


def read_yaml(data: bytes) -> Sheet:
    """The rows of a YAML file: its keys as the header, then one row per (nested) record."""
    _, rows = read_records(data)
    return Sheet(rows.rows, header_first=True, description=Text("YAML", "YAML"))
