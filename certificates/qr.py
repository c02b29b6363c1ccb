"""QR codes drawn straight into a PDF page: zxing-cpp encodes, the dark modules make one path.

reportlab's own ``QrCodeWidget`` encodes twice and draws a rectangle per module (about
190 ms a certificate); here zxing-cpp's compiled encoder (about 1.6 ms for a certificate's
URL, mask chosen by the standard's penalty rules) encodes once, and each run of dark
modules in a row is one rectangle of a single filled path, in module units under one
transformation.
"""

from __future__ import annotations

import re
from functools import lru_cache

import zxingcpp
from reportlab.pdfgen.canvas import Canvas

#: Error correction level: M restores about 15 % of a damaged code.
ERROR_LEVEL = "M"
#: Light modules around the symbol that a reader needs (ISO/IEC 18004).
QUIET_ZONE = 4
#: zxing-cpp's one-pixel-per-module image (0 dark, 255 light) as modules (1 dark).
MODULES = bytes.maketrans(b"\x00\xff", b"\x01\x00")
#: A run of dark modules in a row.
DARK_RUN = re.compile(b"\x01+")


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw ``text`` as a QR code filling the square of side ``size`` (quiet zone included)."""
    width, rectangles = qr_path(text)
    module = size / (width + 2 * QUIET_ZONE)
    origin_x = x + QUIET_ZONE * module
    origin_y = y + QUIET_ZONE * module
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(
        f"{module:.5f} 0 0 {module:.5f} {origin_x:.3f} {origin_y:.3f} cm\n{rectangles}\nf"
    )
    canvas.restoreState()


@lru_cache(maxsize=8)
def qr_path(text: str) -> tuple[int, str]:
    """The side of ``text``'s QR code in modules, and its dark runs as rectangles in module
    units, kept for the next page: a certificate's French and English pages carry the
    same token."""
    matrix = qr_matrix(text)
    width = len(matrix)
    rectangles = "\n".join(
        f"{run.start()} {width - 1 - row} {run.end() - run.start()} 1 re"
        for row, line in enumerate(matrix)
        for run in DARK_RUN.finditer(line)
    )
    return width, rectangles


def qr_matrix(text: str) -> tuple[bytes, ...]:
    """The modules of ``text``'s QR code, row by row (1 dark)."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ERROR_LEVEL)
    image = code.to_image(scale=1, add_quiet_zones=False)
    width = image.shape[1]
    modules = memoryview(image).tobytes().translate(MODULES)  # pyright: ignore[reportArgumentType]
    return tuple(modules[row : row + width] for row in range(0, len(modules), width))
