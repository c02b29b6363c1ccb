"""Hostile import files: junk, huge cells, deep nesting, aliases, mixed encodings, cut files.

Shared by tests/test_hostile_files.py (files drawn by hypothesis) and bench/bench_hostile.py
(files drawn at random, and big ones). Each builder turns a few choices into a file's bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook

from certify.exchange.kind import Kind

#: Cell texts that broke, or could break, a reader or a cell type.
HOSTILE_CELLS = [
    "9" * 5000,
    "-" + "9" * 40,
    "2147483648",
    "1e999",
    "NaN",
    "10000,001",
    "2024-02-30",
    "30/02/2024",
    "0001-01-01",
    "9999-12-31",
    "1/1/1",
    "1 1 1",
    "x" * 40_000,
    " " * 32_000 + "x",
    "'" * 3000 + "=1+1",
    '=HYPERLINK("http://x")',
    '"',
    '"a"b',
    "\x00",
    "\ufeff\u200b",
    "é" * 100,
    "Lefèvre",
    "a;b,c\td",
    "[" * 100,
    "&a",
    "*a",
    "PARIS",
    "alice.durand.1@example.org",
    "",
]
#: YAML texts a safe but naive loader chokes on.
HOSTILE_YAML = [
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}] \n" for n in range(9)),
    "- a: " + "[" * 5000 + "]" * 5000 + "\n",
    "[" * 5000,
    "{" * 3000,
    "- " * 3000 + "x\n",
    "- a: !!python/object/apply:os.system [echo]\n",
    "- a: !!bool maybe\n",
    "- a: !!int nine\n",
    "- a: !!timestamp never\n",
    "- a: !!float x\n",
    "- a: !!binary '!!!'\n",
    "-\u00a0? [a, b]\n  : 1\n",
    "- a: 1\n---\n- b: 2\n",
    "- Code: &c M1\n  Titre: *c\n",
    "- <<: {a: 1}\n  b: 2\n",
    "- a: 2024-02-30\n- a: 0001-01-01\n- a: " + "9" * 5000 + "\n",
    "just a string",
    "42",
    "- [1, 2]\n",
    "\t- a: 1\n",
]
#: Encodings a CSV file is written in; "mixed" writes its header in UTF-8, the rest not.
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "mixed"]
#: Excel's dates, and a few it can hold but no one means.
XLSX_VALUES: list[object] = [
    datetime(1900, 1, 1),
    date(1, 1, 1),
    datetime(9999, 12, 31),
    1e308,
    -1e308,
    float("inf"),
    2**63,
    True,
]


def headers(kind: Kind, english: bool = False) -> list[str]:
    """The kind's column headers as a file would have them."""
    return [column.english if english else column.french for column in kind.columns]


def csv_bytes(
    rows: Sequence[Sequence[str]], *, encoding: str, delimiter: str, cut: int | None
) -> bytes:
    """A CSV file of ``rows``; ``cut``: only its first bytes (a file cut short)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    if encoding == "mixed":
        header, _, rest = text.partition("\r\n")
        data = (header + "é\r\n").encode() + rest.encode("cp1252", errors="replace")
    else:
        data = text.encode(encoding, errors="replace")
    return data if cut is None else data[:cut]


def xlsx_bytes(sheets: Sequence[Sequence[Sequence[object]]], active: int = 0) -> bytes:
    """A workbook of these sheets (rows of cells); ``active`` the sheet shown on opening."""
    book = Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    for number, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Feuille {number + 1}")
        for row in rows:
            sheet.append([_xlsx_safe(cell) for cell in row])
    if sheets:
        book.active = min(active, len(sheets) - 1)
    else:
        book.create_sheet("Vide")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_safe(cell: object) -> object:
    """A value openpyxl will write: text without control characters, cut at Excel's limit."""
    if not isinstance(cell, str):
        return cell
    return "".join(c for c in cell if c >= " " or c in "\t\n")[:32_767]


def yaml_bytes(keys: Sequence[str], records: Sequence[Sequence[str]], raw: str = "") -> bytes:
    """A YAML list of records (each value quoted as written), then ``raw`` YAML appended."""
    lines = []
    for record in records:
        pairs = [f"{key!r}: {value!r}" for key, value in zip(keys, record, strict=False)]
        if pairs:
            lines.append("- " + "\n  ".join(pairs))
    return ("\n".join(lines) + "\n" + raw).encode("utf-8")
