"""The document information of a PDF (title, author, subject, language, date), set fixed.

With reportlab's ``invariant`` mode and the creation date set to a day of the document's
own (never the clock), the same content gives the same bytes on every rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.pdfgen.canvas import Canvas

from certify.rules.wording import Lang

#: The application named as the PDF's creator.
CREATOR = "certify"


@dataclass(frozen=True)
class PdfMetadata:
    """What a PDF says about itself in its document information and catalog."""

    #: Document title.
    title: str
    #: Author: the issuing network.
    author: str
    #: Subject.
    subject: str
    #: Keywords.
    keywords: tuple[str, ...]
    #: Language of the text (the catalog's ``/Lang``; set when the canvas is made).
    lang: Lang
    #: Day given as the creation and modification date (midnight UTC).
    created: date


def apply_metadata(canvas: Canvas, metadata: PdfMetadata) -> None:
    """Write ``metadata`` into ``canvas``'s document information, with its fixed date."""
    canvas.setTitle(metadata.title)
    canvas.setAuthor(metadata.author)
    canvas.setSubject(metadata.subject)
    canvas.setKeywords(", ".join(metadata.keywords))
    canvas.setCreator(CREATOR)
    stamp = f"D:{metadata.created:%Y%m%d}000000+00'00'"
    canvas.setDateFormatter(lambda *_: stamp)
