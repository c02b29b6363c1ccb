"""The certificate page: A4 landscape, the phrases of :class:`CertificateText` and a QR code.

Every block has a fixed place; text that would overflow its place is set smaller (the
holder's name, the dates), wrapped (the programme), or set in two columns (competencies).

One embedded face only, DejaVu Sans: each embedded font costs about 2 ms of subsetting
and compression per document, and batches render thousands. Strong text (titles, the
name, codes) is the same face outlined in its own colour, a stroke of ``EMPHASIS`` of the
font size, which reads as a semi-bold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from certificates.certificate_text import CertificateText, CompetencyLine
from certificates.fonts import REGULAR
from certificates.qr import draw_qr

#: Page size, in points.
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
#: Left and right margin of the text.
MARGIN = 60.0
#: Width available to the text.
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
#: Side of the QR code, quiet zone included (about 42 mm).
QR_SIZE = 118.0
#: Lowest point the competencies may reach: above the footer and the QR code's top.
COMPETENCIES_BOTTOM = 146.0
#: Bottom of the QR code's square (its quiet zone clears the frame).
QR_BOTTOM = 29.0
#: Font sizes tried for the competencies, largest first.
COMPETENCY_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)
#: Gap between two columns of competencies.
COLUMN_GAP = 24.0
#: Ink of titles and names.
NAVY = Color(0.09, 0.20, 0.36)
#: Ink of running text.
INK = Color(0.13, 0.13, 0.15)
#: Ink of labels.
GREY = Color(0.38, 0.40, 0.44)
#: Thin rules and the frame.
RULE = Color(0.78, 0.62, 0.30)
#: Outline of strong text, as a share of the font size.
EMPHASIS = 0.034
#: Line height of competencies, as a share of the font size.
LEADING = 1.3
#: Space after each competency, as a share of the font size.
ITEM_GAP = 0.35
#: PDF text render mode of strong text: fill, then stroke the outline.
FILL_THEN_STROKE = 2
#: Where a line of text is anchored.
Align = Literal["left", "centre", "right"]


@dataclass(frozen=True)
class _Item:
    """A competency laid out: its code and the wrapped lines of its label and level."""

    #: Competency code.
    code: str
    #: Label and level, wrapped to the column.
    lines: list[str]


def draw_certificate(canvas: Canvas, text: CertificateText, token: str) -> None:
    """Draw the whole certificate page, its QR code carrying ``token``."""
    _frame(canvas)
    _header(canvas, text)
    y = _centre_block(canvas, text)
    _competencies(canvas, text.competencies_heading, text.competencies, y - 26)
    _footer(canvas, text)
    draw_qr(canvas, token, PAGE_WIDTH - MARGIN - QR_SIZE + 4, QR_BOTTOM, QR_SIZE)


def _frame(canvas: Canvas) -> None:
    """A double rule around the page."""
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(1.4)
    canvas.rect(22, 22, PAGE_WIDTH - 44, PAGE_HEIGHT - 44)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.rect(27, 27, PAGE_WIDTH - 54, PAGE_HEIGHT - 54)


def _rule(canvas: Canvas, x1: float, x2: float, y: float, width: float) -> None:
    """A horizontal rule in the accent colour."""
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(width)
    canvas.line(x1, y, x2, y)


def _header(canvas: Canvas, text: CertificateText) -> None:
    """The network on the left, the site on the right, a rule below."""
    top = PAGE_HEIGHT - 62
    network_size = _fitting(text.network, 13, TEXT_WIDTH / 2, 9)
    _write(canvas, MARGIN, top, text.network, network_size, NAVY, strong=True)
    site_width = TEXT_WIDTH - stringWidth(text.network, REGULAR, network_size) - 24
    site_size = _fitting(text.site, 10.5, site_width, 7)
    _write(canvas, PAGE_WIDTH - MARGIN, top, text.site, site_size, GREY, align="right")
    _rule(canvas, MARGIN, PAGE_WIDTH - MARGIN, top - 12, 0.6)


def _centre_block(canvas: Canvas, text: CertificateText) -> float:
    """Title, holder and programme, centred; returns the baseline of the last line."""
    middle = PAGE_WIDTH / 2
    _write(canvas, middle, 462, text.title, 30, NAVY, align="centre", strong=True)
    _rule(canvas, middle - 40, middle + 40, 447, 1.2)
    _write(canvas, middle, 422, text.awarded_to, 12, GREY, align="centre")
    room = TEXT_WIDTH - 40
    name_size = _fitting(text.holder, 34, room, 12)
    _write(
        canvas, middle, 386, text.holder, name_size, INK, align="centre", strong=True, widest=room
    )
    _write(canvas, middle, 360, text.for_programme, 11, GREY, align="centre")
    programme = f"{text.programme} ({text.programme_code})"
    size = 16.0
    lines = simpleSplit(programme, REGULAR, size, TEXT_WIDTH - 80)
    if len(lines) > 2:
        size = 13.0
        lines = simpleSplit(programme, REGULAR, size, TEXT_WIDTH - 40)
    y = 338.0
    for line in lines[:3]:
        _write(canvas, middle, y, line, size, NAVY, align="centre", strong=True)
        y -= size * 1.25
    return y + size * 1.25


def _competencies(
    canvas: Canvas, heading: str, competencies: tuple[CompetencyLine, ...], top: float
) -> None:
    """The heading, then the competencies in one or two columns, set as large as they fit."""
    left = MARGIN + 10
    _write(canvas, left, top, heading, 10.5, NAVY, strong=True)
    _rule(canvas, left, PAGE_WIDTH - left, top - 6, 0.5)
    height = top - 22 - COMPETENCIES_BOTTOM
    width = TEXT_WIDTH - 20
    size, columns = _competency_layout(competencies, width, height)
    column_width = (width - COLUMN_GAP * (len(columns) - 1)) / len(columns)
    leading = size * LEADING
    for index, column in enumerate(columns):
        x = left + index * (column_width + COLUMN_GAP)
        indent = _code_width(column, size)
        y = top - 22
        for item in _wrapped(column, size, column_width):
            if y - leading * (len(item.lines) - 1) < COMPETENCIES_BOTTOM:
                break
            _write(canvas, x, y, item.code, size, NAVY, strong=True)
            for line in item.lines:
                _write(canvas, x + indent, y, line, size, INK)
                y -= leading
            y -= size * ITEM_GAP


def _competency_layout(
    competencies: tuple[CompetencyLine, ...], width: float, height: float
) -> tuple[float, list[tuple[CompetencyLine, ...]]]:
    """The largest font size and the split into columns that fit ``height``.

    Up to five competencies take one column, more take two; the smallest size is kept if
    nothing fits (the drawing then stops at the bottom limit).
    """
    count = 1 if len(competencies) <= 5 else 2
    half = (len(competencies) + 1) // 2
    columns = [competencies] if count == 1 else [competencies[:half], competencies[half:]]
    column_width = (width - COLUMN_GAP * (count - 1)) / count
    for size in COMPETENCY_SIZES:
        if all(
            _column_height(_wrapped(column, size, column_width), size) <= height
            for column in columns
        ):
            return size, columns
    return COMPETENCY_SIZES[-1], columns


def _wrapped(column: tuple[CompetencyLine, ...], size: float, width: float) -> list[_Item]:
    """Each competency's label wrapped to the column, its level never split."""
    room = width - _code_width(column, size)
    return [_Item(item.code, _label_lines(item, size, room)) for item in column]


def _label_lines(item: CompetencyLine, size: float, width: float) -> list[str]:
    """The label's lines, « — level » at the end of the last one or on a line of its own."""
    lines = simpleSplit(item.label, REGULAR, size, width) or [""]
    level = f"— {item.level}"
    if stringWidth(f"{lines[-1]} {level}", REGULAR, size) <= width:
        return [*lines[:-1], f"{lines[-1]} {level}"]
    return [*lines, level]


def _code_width(competencies: tuple[CompetencyLine, ...], size: float) -> float:
    """Width of the code column: the longest code and a space of one em."""
    return max((stringWidth(item.code, REGULAR, size) for item in competencies), default=0) + size


def _column_height(items: list[_Item], size: float) -> float:
    """The height a column of wrapped competencies takes."""
    lines = sum(len(item.lines) for item in items)
    return size * (lines * LEADING + len(items) * ITEM_GAP)


def _footer(canvas: Canvas, text: CertificateText) -> None:
    """Dates and coordinator on the left; verification code and serial beside the QR code."""
    left_width = TEXT_WIDTH - QR_SIZE - 190
    _write(canvas, MARGIN, 110, text.dates, _fitting(text.dates, 11.5, left_width, 7), INK)
    if text.coordinator:
        size = _fitting(text.coordinator, 10.5, left_width, 7)
        _write(canvas, MARGIN, 92, text.coordinator, size, GREY)
    _write(canvas, MARGIN, 52, text.how_to_verify, 8, GREY)
    right = PAGE_WIDTH - MARGIN - QR_SIZE - 8
    _write(canvas, right, 118, text.code_label, 8.5, GREY, align="right")
    _write(canvas, right, 99, text.code, 15, NAVY, align="right", strong=True)
    _write(canvas, right, 80, text.serial, 9.5, GREY, align="right")


def _write(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    colour: Color,
    *,
    align: Align = "left",
    strong: bool = False,
    widest: float | None = None,
) -> None:
    """One line of ``text`` at baseline ``y``, its left, centre or right end on ``x``,
    narrowed to ``widest`` points when wider (its letters condensed, the line whole).

    Drawn within its own graphics state, so that a strong line's outline and render mode
    (which outlive the text object in PDF) end with it.
    """
    width = stringWidth(text, REGULAR, size)
    scale = 100.0
    if widest is not None and width > widest:
        width, scale = widest, 100 * widest / width
    start = {"left": x, "centre": x - width / 2, "right": x - width}[align]
    canvas.saveState()
    line = canvas.beginText(start, y)
    line.setFont(REGULAR, size)
    if scale < 100:
        line.setHorizScale(scale)
    line.setFillColor(colour)
    if strong:
        line.setTextRenderMode(FILL_THEN_STROKE)
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(size * EMPHASIS)
    line.textOut(text)
    canvas.drawText(line)
    canvas.restoreState()


def _fitting(text: str, size: float, width: float, smallest: float) -> float:
    """``size``, or the size at which ``text`` fits ``width`` (not below ``smallest``)."""
    natural = stringWidth(text, REGULAR, size)
    if natural <= width:
        return size
    return max(smallest, size * width / natural)
