"""The frame of every coordinator report: A4 pages, DejaVu Sans, styles, a footer, metadata.

Reports are built with reportlab's platypus from flowables; like certificates they are
deterministic (``invariant`` mode, dated by the day they describe, never the clock).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from certificates.fonts import BOLD, REGULAR, register_fonts
from certificates.pdf_metadata import PdfMetadata, apply_metadata

#: Ink of titles and table headers.
NAVY = HexColor("#17335C")
#: Ink of secondary text.
GREY = HexColor("#5F6670")
#: Rules and alternate table rows.
LIGHT = HexColor("#EEF1F5")
#: Background of a table row heading a group of rows (a region).
GROUP = HexColor("#D5DDE8")
#: Margins of report pages.
MARGIN = 14 * mm

#: The base of every report style: lines break at spaces only, never inside a word (no
#: hyphenation, no splitting of a word too long for its line, nor at its hyphens).
TEXT = ParagraphStyle(
    "text", fontName=REGULAR, splitLongWords=0, embeddedHyphenation=0, hyphenationLang=""
)
#: Paragraph styles of reports.
TITLE = ParagraphStyle("title", parent=TEXT, fontName=BOLD, fontSize=18, leading=22, textColor=NAVY)
SUBTITLE = ParagraphStyle("subtitle", parent=TEXT, fontSize=10.5, leading=14, textColor=GREY)
HEADING = ParagraphStyle(
    "heading",
    parent=TEXT,
    fontName=BOLD,
    fontSize=13,
    leading=16,
    textColor=NAVY,
    spaceBefore=10,
    spaceAfter=4,
    keepWithNext=1,
)
SUBHEADING = ParagraphStyle(
    "subheading",
    parent=TEXT,
    fontName=BOLD,
    fontSize=10.5,
    leading=13,
    textColor=NAVY,
    spaceBefore=10,
    keepWithNext=1,
)
BODY = ParagraphStyle("body", parent=TEXT, fontSize=9, leading=11.5)
NOTE = ParagraphStyle("note", parent=TEXT, fontSize=8, leading=10, textColor=GREY)
CONTACT = ParagraphStyle("contact", parent=NOTE, spaceAfter=3, keepWithNext=1)
CELL = ParagraphStyle("cell", parent=TEXT, fontSize=8, leading=9.5)
NUMBER_CELL = ParagraphStyle("number", parent=CELL, alignment=TA_RIGHT)
GROUP_CELL = ParagraphStyle("group", parent=CELL, fontName=BOLD, textColor=NAVY)
HEADER_CELL = ParagraphStyle("header", parent=CELL, fontName=BOLD, textColor=white)
NUMBER_HEADER = ParagraphStyle("number_header", parent=HEADER_CELL, alignment=TA_RIGHT)


@dataclass(frozen=True)
class ReportPages:
    """The page size and running footer of a report."""

    #: ``True`` for A4 landscape, else portrait.
    landscape: bool
    #: Text at the bottom left of every page.
    footer: str


def build_report(story: Sequence[Flowable], metadata: PdfMetadata, pages: ReportPages) -> bytes:
    """The PDF of ``story``, with ``metadata`` and a footer with page numbers."""
    register_fonts()
    buffer = io.BytesIO()
    size = landscape(A4) if pages.landscape else A4
    document = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        invariant=1,
        lang=metadata.lang,
    )

    def decorate(canvas: Canvas, _document: SimpleDocTemplate) -> None:
        """Metadata and the footer of each page."""
        apply_metadata(canvas, metadata)
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, MARGIN, pages.footer)
        canvas.drawRightString(size[0] - MARGIN, MARGIN, str(canvas.getPageNumber()))

    document.build(list(story), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def data_table(
    rows: Sequence[Sequence[object]], widths: Sequence[float], numeric_from: int | None = 1
) -> Table:
    """A table with a navy header row, striped rows, numbers right-aligned from a column on.

    Text cells wrap within their column; numbers are printed as they are. The header is
    never left alone at the bottom of a page.
    """
    first, *others = rows
    numbers_from = len(first) if numeric_from is None else numeric_from
    header = [
        _cell(value, HEADER_CELL if column < numbers_from else NUMBER_HEADER)
        for column, value in enumerate(first)
    ]
    cells = [header, *([_cell(value, CELL) for value in row] for row in others)]
    table = Table(cells, colWidths=list(widths), repeatRows=1)
    if numeric_from is not None:
        table.setStyle(TableStyle([("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT")]))
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("FONT", (0, 0), (-1, 0), BOLD, 8),
                ("TEXTCOLOR", (0, 0), (-1, 0), white),
                ("BACKGROUND", (0, 0), (-1, 0), NAVY),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, LIGHT]),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, NAVY),
                ("NOSPLIT", (0, 0), (-1, min(1, len(rows) - 1))),
            ]
        )
    )
    return table


def total_row_style(table: Table) -> None:
    """Set the last row of ``table`` in bold, as a total."""
    table.setStyle(TableStyle([("FONT", (0, -1), (-1, -1), BOLD, 8)]))


def group_row(table: Table, row: int) -> None:
    """Make ``row`` of ``table`` a group's heading: one cell across, kept with the next row."""
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, row), (-1, row)),
                ("BACKGROUND", (0, row), (-1, row), GROUP),
                ("TOPPADDING", (0, row), (-1, row), 4),
                ("NOSPLIT", (0, row), (-1, row + 1)),
            ]
        )
    )


def keep_last_rows(table: Table, rows: int) -> None:
    """Never leave the last ``rows`` rows of ``table`` apart (a total with its last line)."""
    table.setStyle(TableStyle([("NOSPLIT", (0, -rows), (-1, -1))]))


def figure(number: str, share: str) -> Paragraph:
    """A right-aligned number followed by its share in grey (``73 37,4 %``), escaped here."""
    register_fonts()
    note = f' <font color="{GREY.hexval()}" size="7">{escape(share)}</font>'
    return Paragraph(escape(number) + (note if share else ""), NUMBER_CELL)


def _cell(value: object, style: ParagraphStyle) -> object:
    """A text cell as a wrapping paragraph; anything else as it is."""
    return paragraph(value, style) if isinstance(value, str) else value


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """``text`` (plain, escaped here) as a paragraph; the fonts are registered first."""
    register_fonts()
    return Paragraph(escape(text), style)
