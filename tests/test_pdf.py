"""Certificate PDFs read back: text, metadata, attachment, QR code, and the same bytes forever."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from certificates.facts import CertifiedCompetency
from certificates.keys import SigningKey
from certificates.layout import MARGIN
from certificates.pdf import CertificateDocument, render_pdf
from certificates.pinned import PinnedKeys
from certificates.publication.urls import token_from_scan
from certificates.snapshot import UnreadableSnapshot, facts_from_certificate
from certificates.token import verification_code
from certificates.verification import Verdict, verify_credential, verify_token
from certify.access.permissions import Actor
from certify.model import Competency, Person
from certify.rules.wording import Lang
from certify.rules.written_dates import written_date
from certify.services.issuance import issue_certificate
from certify.store.db import Database
from certify.views.certificate_records import find_certificate
from tests.certificate_factory import (
    make_facts,
    make_key,
    render_certificate,
    sign_facts,
    status_list,
)
from tests.factories import MiniNetwork
from tests.pdf_helpers import ISSUED_ON, SETTINGS, issue_hard_names, qr_codes

#: A day when the factory's certificate is valid and its status list fresh.
TODAY = date(2026, 3, 4)


@dataclasses.dataclass(frozen=True)
class Rendered:
    """A rendered certificate, its document, and the key that signed it."""

    #: The PDF.
    pdf: bytes
    #: What it was rendered from.
    document: CertificateDocument
    #: The signing key.
    key: SigningKey
    #: The pins a verifier holds.
    pinned: PinnedKeys


def render(lang: Lang = "fr", **changes: Any) -> Rendered:
    """A certificate PDF of the factory's facts, with ``changes``."""
    key, pinned = make_key()
    document = sign_facts(make_facts(**changes), key, SETTINGS, lang)
    return Rendered(render_pdf(document), document, key, PinnedKeys([pinned]))


def page_text(pdf: bytes) -> str:
    """The first page's text, whitespace collapsed."""
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


@pytest.mark.parametrize("name", ["Nguyễn Thị Hương", "Łukasz Wróbel", "Ayşe Yılmaz"])
def test_french_page_prints_the_facts(name: str) -> None:
    """The hardest names, the programme, the competencies, the dates written out in French."""
    day = date(2026, 11, 21)
    text = page_text(render(holder_name=name, issued_on=day, valid_from=day).pdf)
    for expected in (
        "Réseau des Cités des métiers",
        "Cité des métiers de Marseille",
        "Certificat de compétences",
        name,
        "Accueil et premier niveau d'information (CERT-ACC)",
        "ETH-01 Déontologie — Acquis (niveau 3)",
        "ACC-02 Accueil du public — En cours (niveau 2)",
        "Délivré le 21 novembre 2026 — valable jusqu'au 1er mars 2029",
        "Coordination : Ayşe Yılmaz",  # the no-break space read as a space
        "N° CDM-2026-000123",
        "certify verify",
    ):
        assert expected in text


def test_english_page_prints_the_facts() -> None:
    """``lang="en"``: English wording, programme title and dates."""
    text = page_text(render("en", valid_from=date(2026, 3, 9)).pdf)
    for expected in (
        "Certificate of competence",
        "Łukasz Wróbel",
        "Reception and first-level information (CERT-ACC)",
        "ETH-01 Ethics — Acquired (level 3)",
        "Issued on 2 March 2026 — valid from 9 March 2026 to 1 March 2029",
        "Coordinator: Ayşe Yılmaz",
        "No. CDM-2026-000123",
    ):
        assert expected in text


def test_metadata_and_language() -> None:
    """Title, author (the network), subject, keywords, creation date = day of issue, /Lang."""
    for lang, title in (("fr", "Certificat de compétences"), ("en", "Certificate of competence")):
        reader = PdfReader(io.BytesIO(render(lang).pdf))
        metadata = reader.metadata
        assert metadata is not None
        assert metadata.title == f"{title} — Łukasz Wróbel — CERT-ACC"
        assert metadata.author == "Réseau des Cités des métiers"
        assert "CDM-2026-000123" in (metadata.subject or "")
        assert metadata["/CreationDate"] == "D:20260302000000+00'00'"
        assert reader.trailer["/Root"]["/Lang"] == lang


def test_embedded_credential_verifies() -> None:
    """``credential.json`` is the signed credential, and it verifies against the pins."""
    rendered = render()
    attachments = PdfReader(io.BytesIO(rendered.pdf)).attachments
    assert list(attachments) == ["credential.json"]
    credential = json.loads(attachments["credential.json"][0])
    assert credential == rendered.document.credential
    result = verify_credential(credential, rendered.pinned, status_list(rendered.key), TODAY)
    assert result.verdict is Verdict.VALID, result.detail


def test_qr_code_decodes_to_the_signed_token(tmp_path: Path) -> None:
    """zbarimg reads the QR code of the rendered page; the token verifies; the code is printed."""
    rendered = render(holder_name="Nguyễn Thị Hương")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(rendered.pdf)
    (token,) = map(token_from_scan, qr_codes(path))
    assert token == rendered.document.token
    result = verify_token(token, rendered.pinned, status_list(rendered.key), TODAY)
    assert result.verdict is Verdict.VALID, result.detail
    assert result.fields is not None
    assert result.fields.holder_name == "Nguyễn Thị Hương"
    assert verification_code(token) in page_text(rendered.pdf)


def test_same_document_same_bytes() -> None:
    """Rendering twice gives identical bytes (no clock, no random ids)."""
    document = render().document
    assert render_pdf(document) == render_pdf(document)


def test_many_competencies_fit_in_two_columns() -> None:
    """Twelve competencies with long labels are all printed."""
    competencies = tuple(
        CertifiedCompetency(
            f"CMP-{n:02d}",
            f"Compétence numéro {n} au libellé délibérément long pour forcer un retour à la ligne",
            f"Competency {n}",
            2,
            "Acquis",
            "Acquired",
        )
        for n in range(12)
    )
    text = page_text(render(competencies=competencies).pdf)
    assert all(f"CMP-{n:02d}" in text for n in range(12))


def test_long_name_is_printed_whole() -> None:
    """A very long name is set smaller, not cut."""
    name = "Maria-Magdalena Wiśniewska-Kowalczyk de Saint-Exupéry y Hernández"
    assert name in page_text(render(holder_name=name).pdf)


def test_written_dates() -> None:
    """French writes « 1er »; months in both languages."""
    assert written_date(date(2026, 3, 1), "fr") == "1er mars 2026"
    assert written_date(date(2026, 11, 21), "fr") == "21 novembre 2026"
    assert written_date(date(2026, 8, 1), "en") == "1 August 2026"
    assert written_date(date(2026, 2, 14), "fr") == "14 février 2026"


def test_stored_certificate_renders_from_its_snapshot(database: Database) -> None:
    """Facts come from the snapshot; the French and English pages differ."""
    issued = issue_hard_names(database)
    key, _ = make_key()
    with database.transaction() as session:
        certificate = find_certificate(session, issued.serials[0])
        facts = facts_from_certificate(certificate)
        assert facts.holder_name == "Nguyễn Thị Hương"
        assert facts.issuer_name == "Ayşe Yılmaz"
        assert facts.status_index == certificate.status_index
        assert [item.code for item in facts.competencies] == [
            "ETH-01",
            "ETH-02",
            "ETH-03",
            "ACC-01",
        ]
        assert facts.competencies[0].level_label_fr == "Acquis"
        pdf = render_certificate(certificate, key, SETTINGS, "fr")
        english = render_certificate(certificate, key, SETTINGS, "en")
        assert english != pdf
    assert "21 novembre 2026" in page_text(pdf)
    assert "21 November 2026" in page_text(english)


def test_later_changes_do_not_change_the_pdf(database: Database) -> None:
    """Renaming the holder and relabelling the référentiel after issue: same bytes."""
    issued = issue_hard_names(database)
    key, _ = make_key()
    with database.transaction() as session:
        first = render_certificate(
            find_certificate(session, issued.serials[1]), key, SETTINGS, "fr"
        )
    with database.transaction() as session:
        person = session.get(Person, issued.person_ids[1])
        assert person is not None
        person.family_name = "Wróbel-Nowak"
        for competency in session.scalars(select(Competency)):
            competency.label_fr = "Libellé modifié"
    with database.transaction() as session:
        again = render_certificate(
            find_certificate(session, issued.serials[1]), key, SETTINGS, "fr"
        )
    assert again == first
    assert "Łukasz Wróbel" in page_text(again)
    assert "Libellé modifié" not in page_text(again)


def test_certificate_without_snapshot_is_refused(database: Database) -> None:
    """A certificate recorded without a snapshot cannot be printed, and says so."""
    with database.transaction() as session:
        network = MiniNetwork.build(session)
        certificate = network.certify(network.person(), "CERT-ACC", valid_from=date(2026, 1, 5))
        with pytest.raises(UnreadableSnapshot, match="instantané"):
            facts_from_certificate(certificate)


def test_competencies_never_assessed_are_left_out(database: Database) -> None:
    """Issued with an override, only the competencies assessed are certified."""
    with database.transaction() as session:
        network = MiniNetwork.build(session)
        person = network.person("Ayşe", "Yılmaz")
        network.assess(person, "ETH-02", 2, on=date(2026, 5, 4))
        programme = network.programmes["CERT-ACC"]
        result = issue_certificate(
            session, Actor.system(), person.id, programme.id, ISSUED_ON, "validée hors outil"
        )
        facts = facts_from_certificate(result.certificate)
    assert [item.code for item in facts.competencies] == ["ETH-02"]
    assert facts.issuer_name == ""
    assert "Coordination" not in page_text(
        render_pdf(sign_facts(facts, make_key()[0], SETTINGS, "fr"))
    )


def test_a_name_of_any_length_stays_on_the_page(tmp_path: Path) -> None:
    """A 117-character family name is set on one line within the margins (its letters
    condensed when even the smallest size is too wide), as poppler's pdftotext measures
    each word of the page; the name is one line of the page's text."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is needed (poppler-utils; .ci/run installs it)")
    name = "Léa " + "Girard-" * 16 + "Dupont"
    assert len(name) > 117
    rendered = render(holder_name=name)
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(rendered.pdf)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)"', boxes)
    assert page is not None
    words = re.findall(r'<word xMin="(-?[\d.]+)" yMin="-?[\d.]+" xMax="(-?[\d.]+)"', boxes)
    assert len(words) > 20
    assert all(
        float(left) >= MARGIN - 1 and float(right) <= float(page[1]) - MARGIN + 1
        for left, right in words
    )
    assert name in PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text().splitlines()
