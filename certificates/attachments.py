"""A file embedded in a PDF (a ``/Filespec`` in the catalog's ``/EmbeddedFiles`` name tree).

reportlab has no public API for embedded files; its low-level objects build one while
the page is drawn, with no second pass over the finished PDF (pypdf reads it back as
``reader.attachments``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)
from reportlab.pdfgen.canvas import Canvas


def attach_file(
    canvas: Canvas, name: str, data: bytes, mime_type: str, description: str, modified: datetime
) -> PDFDictionary:
    """Embed ``data`` as the document's only attachment, ``name``; return its file spec."""
    # reportlab has no public API for embedded files: its document object takes them.
    document = canvas._doc  # pyright: ignore[reportAttributeAccessIssue]
    stream = PDFStream(
        PDFDictionary(
            {
                "Type": PDFName("EmbeddedFile"),
                "Subtype": "/" + mime_type.replace("/", "#2F"),  # PDFName would escape « # »
                "Params": PDFDictionary(
                    {"Size": len(data), "ModDate": PDFString(_pdf_date(modified))}
                ),
            }
        ),
        content=data,
        filters=[PDFZCompress],
    )
    file_spec = PDFDictionary(
        {
            "Type": PDFName("Filespec"),
            "F": PDFString(name),
            "UF": PDFString(name),
            "Desc": PDFString(description),
            "AFRelationship": PDFName("Data"),
            "EF": PDFDictionary({"F": document.Reference(stream)}),
        }
    )
    names = PDFArray([PDFString(name), document.Reference(file_spec)])
    document.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": names})})
    return file_spec


def _pdf_date(moment: datetime) -> str:
    """A PDF date string in UTC, ``D:YYYYMMDDHHmmSSZ``."""
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")
