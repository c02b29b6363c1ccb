"""Writing rows as CSV for French Excel, XLSX or YAML — the same cells the importer reads.

CSV: UTF-8 with a BOM, ``;`` between cells, CRLF line ends, dates DD/MM/YYYY, decimals
with a comma, text that a spreadsheet would run as a formula quoted (:mod:`formulas`); every
CSV file certify writes goes through :func:`write_csv`. XLSX: dates as Excel dates shown
DD/MM/YYYY. YAML: values as YAML values, nested as the kind says (a framework's domains, a
session's participants).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from certify.exchange.cells import Cell
from certify.exchange.columns import letter as column_letter
from certify.exchange.formulas import inert
from certify.exchange.kind import Nest
from certify.exchange.messages import french_number

#: Formats exports are written in.
FORMATS = ("csv", "xlsx", "yaml")


def csv_cell(cell: Cell) -> str:
    """A cell as CSV text, a would-be formula made inert."""
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, Decimal):
        return french_number(cell)
    return inert(str(cell))


def write_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """A CSV file French Excel opens as it is, and runs no formula from."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(header: Sequence[str], rows: Sequence[Sequence[Cell]], title: str) -> bytes:
    """A workbook of one sheet: a bold header row, then the rows."""
    from openpyxl import Workbook  # loaded by the XLSX export only: 175 modules and PIL
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            elif cell.data_type == "f":  # text starting with "=" stays text, not a formula
                cell.data_type = "s"
    for position, title_text in enumerate(header, start=1):
        letter = column_letter(position - 1)
        sheet.column_dimensions[letter].width = max(12, min(40, len(title_text) + 4))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def yaml_value(cell: Cell) -> Any:
    """A cell as a YAML value (decimals as numbers)."""
    if isinstance(cell, Decimal):
        return int(cell) if cell == cell.to_integral_value() else float(cell)
    return cell


def nest(records: list[dict[str, Any]], levels: Sequence[tuple[str, set[str]]]) -> list[dict]:
    """Records sharing their outer values grouped, their inner values in a named list."""
    if not levels:
        return records
    (name, inner), deeper = levels[0], levels[1:]
    groups: dict[tuple[Any, ...], tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for record in records:
        outer = {k: v for k, v in record.items() if k not in inner}
        group = groups.setdefault(tuple(outer.items()), (outer, []))
        children = {k: v for k, v in record.items() if k in inner}
        if any(v is not None for v in children.values()):
            group[1].append(children)
    return [
        outer | ({name: nest(children, deeper)} if children else {})
        for outer, children in groups.values()
    ]


def write_yaml(
    header: Sequence[str], rows: Sequence[Sequence[Cell]], nesting: Sequence[tuple[str, set[str]]]
) -> bytes:
    """A YAML list of records keyed by the French headers, nested as given."""
    records = [dict(zip(header, (yaml_value(c) for c in row), strict=True)) for row in rows]
    document = nest(records, nesting)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100).encode()


def nesting_headers(nesting: Sequence[Nest], headers: dict[str, str]) -> list[tuple[str, set[str]]]:
    """The nesting levels with column keys replaced by headers."""
    return [(level.name, {headers[key] for key in level.columns}) for level in nesting]
