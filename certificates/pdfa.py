"""PDF/A-3b from a reportlab canvas: PDF 1.7, XMP metadata, an sRGB output intent, ``/AF``.

reportlab writes none of these itself. The XMP packet says what the document information
says (title, author, subject, keywords, creator, producer, dates), from the same values,
as ISO 19005 requires, and adds the ``pdfaid`` identification; the output intent carries
the sRGB profile shipped in :mod:`certificates.color`; the embedded files are listed in
the catalog's ``/AF`` array. ``certify:token`` (declared in an extension schema, as PDF/A
asks of any property outside the standard schemas) holds the QR code's token in text, so
that a verifier compares it with the embedded credential without decoding the image.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
import zlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFObject,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from certificates.pdf_metadata import CREATOR, PdfMetadata

#: PDF version of a PDF/A-3 document.
PDF_VERSION = (1, 7)
#: The ICC profile of the output intent.
ICC_PROFILE = Path(__file__).parent / "color" / "sRGB.icc"
#: Registered name of the output condition.
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
#: Namespace of certify's own XMP properties.
CERTIFY_NS = "http://ns.certify.invalid/xmp/1.0/"
#: The producer reportlab writes in the document information.
PRODUCER = PDFInfo.producer


class _PdfAInfo(PDFInfo):
    """reportlab's document information without ``/Trapped``, which the XMP does not carry."""

    def format(self, document: object) -> bytes:
        """The information dictionary, every key of it mirrored in the XMP packet."""
        dictionary = PDFDictionary(
            {
                "Title": PDFString(self.title),
                "Author": PDFString(self.author),
                "Subject": PDFString(self.subject),
                "Keywords": PDFString(self.keywords),
                "Creator": PDFString(self.creator),
                "Producer": PDFString(self.producer),
                "CreationDate": PDFString(self._pdf_date),
                "ModDate": PDFString(self._pdf_date),
            }
        )
        return dictionary.format(document)

    #: The creation and modification date, as a PDF date string.
    _pdf_date = ""


def make_pdf_a(
    canvas: Canvas, metadata: PdfMetadata, associated: Sequence[PDFObject], token: str
) -> None:
    """Make ``canvas``'s document PDF/A-3b: XMP, output intent, ``associated`` files in /AF.

    Call it after :func:`certificates.pdf_metadata.apply_metadata`, on a canvas made with
    ``pdfVersion=PDF_VERSION``.
    """
    document = canvas._doc  # pyright: ignore[reportAttributeAccessIssue]
    info = _PdfAInfo()
    info.__dict__.update(document.info.__dict__)
    info._pdf_date = f"D:{metadata.created:%Y%m%d}000000+00'00'"
    document.info = info
    catalog = document.Catalog
    catalog.Metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        content=xmp_packet(metadata, token).encode("utf-8"),
        filters=None,  # reportlab compresses no stream by default: PDF/A wants XMP plain
    )
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString(OUTPUT_CONDITION),
            "Info": PDFString(OUTPUT_CONDITION),
            "DestOutputProfile": document.Reference(_icc_stream()),
        }
    )
    # reportlab's catalog writes only the keys it knows: these two are added to its list.
    extra = ("OutputIntents", "AF")
    catalog.__NoDefault__ = [*catalog.__NoDefault__, *extra]
    catalog.OutputIntents = PDFArray([intent])
    catalog.AF = PDFArray([document.Reference(item) for item in associated])


def xmp_packet(metadata: PdfMetadata, token: str) -> str:
    """The XMP packet of a certificate: PDF/A-3b identification, Dublin Core, dates, token."""
    moment = f"{metadata.created:%Y-%m-%d}T00:00:00+00:00"
    keywords = ", ".join(metadata.keywords)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>3</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt>
<rdf:li xml:lang="x-default">{_text(metadata.title)}</rdf:li>
</rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{_text(metadata.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt>
<rdf:li xml:lang="x-default">{_text(metadata.subject)}</rdf:li>
</rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{metadata.lang}</rdf:li></rdf:Bag></dc:language>
<dc:date><rdf:Seq><rdf:li>{moment}</rdf:li></rdf:Seq></dc:date>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>{_text(PRODUCER)}</pdf:Producer>
<pdf:Keywords>{_text(keywords)}</pdf:Keywords>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>
<xmp:CreateDate>{moment}</xmp:CreateDate>
<xmp:ModifyDate>{moment}</xmp:ModifyDate>
<xmp:MetadataDate>{moment}</xmp:MetadataDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:certify="{CERTIFY_NS}">
<certify:token>{_text(token)}</certify:token>
</rdf:Description>
{_EXTENSION_SCHEMA}
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""


#: PDF/A's declaration of the ``certify`` namespace and its ``token`` property.
_EXTENSION_SCHEMA = f"""<rdf:Description rdf:about=""
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>certify certificate</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{CERTIFY_NS}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>certify</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>token</pdfaProperty:name>
<pdfaProperty:valueType>Text</pdfaProperty:valueType>
<pdfaProperty:category>external</pdfaProperty:category>
<pdfaProperty:description>Signed token carried by the QR code</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""


def token_property(packet: bytes) -> str | None:
    """The ``certify:token`` of an XMP packet (``None`` if absent or unreadable)."""
    try:
        root = ElementTree.fromstring(packet)
    except ElementTree.ParseError:
        return None
    found = root.find(f".//{{{CERTIFY_NS}}}token")
    text = None if found is None else (found.text or "").strip()
    return text or None


def _text(value: str) -> str:
    """``value`` escaped for XML character data."""
    return escape(value)


@cache
def _icc_profile() -> bytes:
    """The sRGB profile, compressed once per process."""
    return zlib.compress(ICC_PROFILE.read_bytes())


def _icc_stream() -> PDFStream:
    """The ICC profile stream of the output intent (three components)."""
    return PDFStream(
        PDFDictionary({"N": 3, "Filter": PDFName("FlateDecode")}),
        content=_icc_profile(),
    )
