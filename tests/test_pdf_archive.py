"""Certificate PDFs are PDF/A-3b: what ISO 19005-3 asks, checked with pypdf and outside tools.

veraPDF (the reference validator) is not installable on these machines (not packaged by
Debian, not on PyPI, Maven Central unreachable): these tests assert each PDF/A-3b rule
the certificate depends on, and poppler's ``pdffonts`` and ``qpdf --check`` read the file.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from certificates.pdf import CertificateDocument, render_pdf
from certificates.pdfa import CERTIFY_NS, ICC_PROFILE
from certify.rules.wording import Lang
from tests.certificate_factory import make_facts, make_key, signed_credential, signed_token

#: XML namespaces of the XMP packet.
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "certify": CERTIFY_NS,
}


def document(holder: str = "Nguyễn Thị Hương", lang: Lang = "fr") -> CertificateDocument:
    """A signed certificate of ``holder``."""
    key, _ = make_key()
    facts = make_facts(holder_name=holder)
    return CertificateDocument(facts, signed_credential(facts, key), signed_token(facts, key), lang)


def xmp(reader: PdfReader) -> ElementTree.Element:
    """The catalog's XMP packet, parsed."""
    stream: Any = reader.trailer["/Root"]["/Metadata"].get_object()
    assert "/Filter" not in stream  # PDF/A: metadata left uncompressed
    return ElementTree.fromstring(stream.get_data())


def value(packet: ElementTree.Element, path: str) -> str:
    """The text at ``path`` in the packet (a language alternative's or a list's first item)."""
    found = packet.find(f".//{path}", NS)
    assert found is not None, path
    item = found.find(".//rdf:li", NS)
    return ((item if item is not None else found).text or "").strip()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_identification_and_metadata_agree(lang: Lang) -> None:
    """PDF 1.7, pdfaid 3/B, and the XMP says what the document information says."""
    rendered = document("Nguyễn Thị Hương", lang)
    pdf = render_pdf(rendered)
    assert pdf.startswith(b"%PDF-1.7\n")
    reader = PdfReader(io.BytesIO(pdf))
    packet = xmp(reader)
    info = reader.metadata
    assert info is not None
    assert value(packet, "pdfaid:part") == "3"
    assert value(packet, "pdfaid:conformance") == "B"
    assert value(packet, "dc:title") == info.title
    assert "Nguyễn Thị Hương" in value(packet, "dc:title")
    assert value(packet, "dc:creator") == info.author
    assert value(packet, "dc:description") == info.subject
    assert value(packet, "pdf:Keywords") == info["/Keywords"]
    assert value(packet, "pdf:Producer") == info.producer
    assert value(packet, "xmp:CreatorTool") == info.creator
    assert "/Trapped" not in info  # not mirrored in the XMP
    for key, name in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        assert info[key] == "D:20260302000000+00'00'"
        assert value(packet, name) == "2026-03-02T00:00:00+00:00"
    assert value(packet, "certify:token") == rendered.token
    assert reader.trailer["/ID"][0]
    assert not reader.is_encrypted


def test_srgb_output_intent() -> None:
    """One /GTS_PDFA1 output intent with the shipped sRGB profile (3 components)."""
    reader = PdfReader(io.BytesIO(render_pdf(document())))
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    assert profile.get_data() == ICC_PROFILE.read_bytes()
    assert profile.get_data()[12:20] == b"mntrRGB "


def test_credential_is_an_associated_file() -> None:
    """credential.json: in the catalog's /AF, /AFRelationship /Data, JSON subtype, dated."""
    reader = PdfReader(io.BytesIO(render_pdf(document())))
    root = reader.trailer["/Root"]
    (associated,) = root["/AF"]
    names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert names[0] == "credential.json"
    assert isinstance(associated, IndirectObject)
    assert associated.idnum == names[1].idnum
    spec = associated.get_object()
    assert spec["/F"] == spec["/UF"] == "credential.json"
    assert spec["/AFRelationship"] == "/Data"
    embedded = spec["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/application/json"
    assert embedded["/Params"]["/ModDate"] == "D:20260302000000Z"


def test_every_font_is_embedded_and_nothing_transparent() -> None:
    """Every font of the page has its program embedded; no Helvetica, no transparency group."""
    reader = PdfReader(io.BytesIO(render_pdf(document())))
    page = reader.pages[0]
    fonts = page["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        assert "Helvetica" not in font["/BaseFont"]
        descriptor = font["/FontDescriptor"]
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert "/Group" not in page
    states: Any = page["/Resources"].get("/ExtGState", DictionaryObject())
    for state in states.values():
        assert "/SMask" not in state and state.get("/CA", 1) == 1


def test_same_document_same_bytes() -> None:
    """The PDF/A additions keep rendering deterministic."""
    rendered = document()
    assert render_pdf(rendered) == render_pdf(rendered)


def test_outside_tools_read_it(tmp_path: Path) -> None:
    """pdffonts lists only embedded fonts; qpdf --check finds no error; pdfinfo says 1.7."""
    if not all(shutil.which(tool) for tool in ("pdffonts", "pdfinfo", "qpdf")):
        pytest.skip("pdffonts, pdfinfo and qpdf are needed (poppler-utils, qpdf; .ci/run installs)")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_pdf(document()))
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), fonts.stdout
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    assert "PDF version:     1.7" in info.stdout
    assert "Metadata Stream: yes" in info.stdout
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def test_xmp_escapes_markup() -> None:
    """A name with XML markup stays text in the packet."""
    reader = PdfReader(io.BytesIO(render_pdf(document("Anne <b>&</b> Lee"))))
    assert "Anne <b>&</b> Lee" in value(xmp(reader), "dc:title")
