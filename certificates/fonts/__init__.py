"""DejaVu Sans, embedded in certificates and reports: it writes every name of the network.

The 14 standard PDF fonts stop at Latin-1; DejaVu Sans also has « Ł », « ş », « ı », « ễ »…
Its files ship here unmodified with their licence (``LICENSE``, the Bitstream Vera licence,
which allows redistribution), and reportlab embeds only the glyphs a document uses.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

#: reportlab name of the regular face.
REGULAR = "DejaVuSans"
#: reportlab name of the bold face.
BOLD = "DejaVuSans-Bold"
#: The font file of each face, in this folder.
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


@cache
def register_fonts() -> None:
    """Register both faces with reportlab, once per process (``<b>`` picks the bold one)."""
    folder = Path(__file__).parent
    for name, file_name in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file_name)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
