"""QR codes drawn straight into a PDF page: segno encodes, the dark modules make one path.

reportlab's own ``QrCodeWidget`` encodes twice and draws a rectangle per module (about
50 ms a certificate); here segno encodes once with a fixed mask (the mask search is most
of an encoding's time, and any mask decodes), and each run of dark modules in a row is one
rectangle of a single filled path, in module units under one transformation.
"""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.pdfgen.canvas import Canvas

#: Error correction level: M restores about 15 % of a damaged code.
ERROR_LEVEL = "m"
#: The fixed mask pattern (decoders read all eight).
MASK = 0
#: Light modules around the symbol that a reader needs (ISO/IEC 18004).
QUIET_ZONE = 4


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw ``text`` as a QR code filling the square of side ``size`` (quiet zone included)."""
    matrix = qr_matrix(text)
    width = len(matrix)
    module = size / (width + 2 * QUIET_ZONE)
    origin_x = x + QUIET_ZONE * module
    origin_y = y + QUIET_ZONE * module
    rectangles = [
        f"{start} {width - 1 - row} {stop - start} 1 re"
        for row, line in enumerate(matrix)
        for start, stop in _dark_runs(line)
    ]
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(
        f"{module:.5f} 0 0 {module:.5f} {origin_x:.3f} {origin_y:.3f} cm\n"
        + "\n".join(rectangles)
        + "\nf"
    )
    canvas.restoreState()


@lru_cache(maxsize=8)
def qr_matrix(text: str) -> tuple[bytes, ...]:
    """The modules of ``text``'s QR code, row by row (1 dark), kept for the next page: a
    certificate's French and English pages carry the same token."""
    code = segno.make_qr(text, error=ERROR_LEVEL, mode="byte", mask=MASK, boost_error=False)
    return tuple(bytes(row) for row in code.matrix)


def _dark_runs(line: bytes) -> list[tuple[int, int]]:
    """The ``[start, stop)`` column spans of dark modules in one row."""
    runs = []
    stop = 0
    while (start := line.find(1, stop)) >= 0:
        stop = line.find(0, start)
        if stop < 0:
            stop = len(line)
        runs.append((start, stop))
    return runs
