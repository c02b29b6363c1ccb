"""Coordinator reports: progress counts and PDF, Qualiopi evidence as CSV and PDF, scopes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from certificates.progress_report import progress_report
from certificates.qualiopi_csv import qualiopi_csv
from certificates.qualiopi_report import qualiopi_report
from certify.access.narrowing import NETWORK, requested_scope
from certify.access.permissions import Actor, PermissionDenied
from certify.cli import main
from certify.model import Person, Role, Site
from certify.rules.scope import Scope
from certify.rules.wording import Wording
from certify.services.issuance import issue_certificate
from certify.store.db import Database
from certify.views.progress_counts import Standing, progress_counts
from certify.views.qualiopi_evidence import qualiopi_evidence
from tests.factories import MiniNetwork

#: The day of the reports.
AS_OF = date(2026, 11, 21)
#: The Qualiopi period.
START, END = date(2026, 1, 1), date(2026, 11, 21)


@contextmanager
def counted_queries(database: Database) -> Iterator[list[str]]:
    """The SQL statements run on ``database`` within the block."""
    statements: list[str] = []

    def count(*args: object) -> None:
        """Note one statement."""
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def build(database: Database) -> dict[str, int]:
    """Staff in every standing on CERT-ACC at PARIS, one at SQY; their ids by role."""
    with database.transaction() as session:
        network = MiniNetwork.build(session)
        programme = network.programmes["CERT-ACC"]
        people = {}
        certified = network.person("Nguyễn Thị", "Hương")
        network.qualify(certified, "CERT-ACC", on=date(2026, 3, 2))
        issue_certificate(session, Actor.system(), certified.id, programme.id, date(2026, 3, 10))
        people["certified"] = certified.id
        eligible = network.person("Łukasz", "Wróbel")
        network.qualify(eligible, "CERT-ACC", on=date(2026, 6, 1))
        people["eligible"] = eligible.id
        close = network.person("Ayşe", "Yılmaz", site="SQY")
        network.qualify(close, "CERT-ACC", on=date(2026, 6, 1))
        network.assess(close, "ACC-01", 1, on=date(2026, 7, 1))
        people["close"] = close.id
        expired = network.person("Zoë", "Lefèvre")
        network.certify(expired, "CERT-ACC", valid_from=date(2022, 1, 3))
        people["expired"] = expired.id
        people["idle"] = network.person("Kofi", "Mensah").id
        old = network.assess(eligible, "CON-01", 1, on=date(2026, 2, 2))
        network.assess(eligible, "CON-01", 2, on=date(2026, 2, 2), supersedes=old)
        network.assess(eligible, "ETH-03", 1, on=date(2025, 6, 1))
        people["assessor"] = network.assessor.id
    return people


def statements(database: Database) -> tuple[int, int]:
    """How many statements the progress counts and the Qualiopi evidence each run."""
    with database.reading() as session, counted_queries(database) as progress:
        progress_counts(session, Scope.network(), AS_OF)
    with database.reading() as session, counted_queries(database) as evidence:
        qualiopi_evidence(session, Scope.network(), START, END)
    return len(progress), len(evidence)


def test_reports_query_the_database_a_fixed_number_of_times(database: Database) -> None:
    """Set-based: the number of statements does not grow with the staff."""
    build(database)
    before = statements(database)
    with database.transaction() as session:
        paris = session.scalar(select(Site.id).where(Site.code == "PARIS"))
        session.add_all(
            Person(
                given_name="Nouvelle",
                family_name=f"Recrue {number}",
                email=f"recrue.{number}@example.org",
                site_id=paris,
                active_from=date(2026, 1, 5),
            )
            for number in range(5)
        )
    assert statements(database) == before
    assert before[0] <= 10
    assert before[1] <= 5


def test_progress_counts_per_programme_and_site(database: Database) -> None:
    """Each standing counted where it belongs."""
    build(database)
    with database.reading() as session:
        counts = progress_counts(session, Scope.network(), AS_OF)
    acc = next(programme for programme in counts.programmes if programme.code == "CERT-ACC")
    sites = {site.code: site.id for site in counts.sites}
    expected = {
        Standing.CERTIFIED: 1,
        Standing.ELIGIBLE: 1,
        Standing.CLOSE: 1,
        Standing.EXPIRED: 1,
        Standing.IN_PROGRESS: 2,
        Standing.IN_WINDOW: 0,
    }
    assert {standing: counts.count(acc.id, standing) for standing in Standing} == expected
    assert counts.count(acc.id, Standing.CLOSE, sites["SQY"]) == 1
    assert counts.count(acc.id, Standing.CLOSE, sites["PARIS"]) == 0
    assert counts.people == 6


def test_progress_report_pdf(database: Database) -> None:
    """The PDF names the scope, the programmes and the sites; same bytes twice; English too."""
    build(database)
    with database.reading() as session:
        counts = progress_counts(session, Scope.network(), AS_OF)
    pdf = progress_report(counts, NETWORK, "fr")
    assert pdf == progress_report(counts, NETWORK, "fr")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Progression des certifications",
        "au 21 novembre 2026",
        "6 personnes actives",
        "CERT-ACC — Chargé·e d'accueil de 1er niveau",
        "Cité des métiers de Paris-La Villette",
        "Proches (1–2 manquants)",
    ):
        assert expected in text
    assert len(reader.pages) == 1 + len(counts.programmes)
    assert reader.metadata is not None
    assert reader.metadata.title == "Progression des certifications — Réseau des Cités des métiers"
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    english = PdfReader(io.BytesIO(progress_report(counts, NETWORK, "en")))
    assert "as of 21 November 2026" in english.pages[0].extract_text()


def test_qualiopi_evidence(database: Database) -> None:
    """Assessments with level and assessor, corrections only, in the period; sessions with hours."""
    people = build(database)
    with database.reading() as session:
        evidence = {e.person_id: e for e in qualiopi_evidence(session, Scope.network(), START, END)}
    eligible = evidence[people["eligible"]]
    assessed = [(item.code, item.level, item.assessed_on) for item in eligible.assessments]
    assert ("CON-01", 2, date(2026, 2, 2)) in assessed
    assert ("CON-01", 1, date(2026, 2, 2)) not in assessed
    assert all(item.assessed_on >= START for item in eligible.assessments)
    assert eligible.assessments[0].assessor == "Jean Martin"
    assert {item.code for item in eligible.trainings} == {"M01", "M02", "M04"}
    m04 = next(item for item in eligible.trainings if item.code == "M04")
    assert (m04.hours_present, m04.module_hours) == (Decimal("3.5"), Decimal("3.5"))
    assert not evidence[people["idle"]].assessments
    assert not evidence[people["idle"]].trainings


def test_qualiopi_csv_opens_in_french_excel(database: Database) -> None:
    """BOM, semicolons, French headers, French dates and decimal commas; empty people kept."""
    build(database)
    with database.reading() as session:
        evidence = qualiopi_evidence(session, Scope.sites(1), START, END)
    data = qualiopi_csv(evidence, "fr")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Site;Nom;Prénom;Courriel;Indicateur Qualiopi;Preuve;Code;Intitulé")
    assert any(";21;Évaluation de compétence;ACC-01;" in line for line in lines)
    assert any(";22;Formation suivie;M04;" in line and ";3,5;3,5" in line for line in lines)
    assert any("01/06/2026" in line for line in lines)
    assert any(";Mensah;Kofi;" in line and "Aucune preuve sur la période" in line for line in lines)
    english = qualiopi_csv(evidence, "en").decode("utf-8-sig")
    assert english.startswith("Site;Family name;Given name")
    assert "2026-06-01" in english


def test_qualiopi_pdf(database: Database) -> None:
    """Person by person, with the hardest names, the period written out."""
    build(database)
    with database.reading() as session:
        evidence = qualiopi_evidence(session, Scope.network(), START, END)
    pdf = qualiopi_report(evidence, NETWORK, START, END, "fr")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in (
        "Preuves Qualiopi — indicateurs 21 et 22",
        "du 1er janvier 2026 au 21 novembre 2026",
        "HƯƠNG Nguyễn Thị",
        "WRÓBEL Łukasz",
        "YILMAZ Ayşe",
        "Aucune évaluation ni formation sur la période.",
        "Jean Martin",
    ):
        assert expected in text


def test_scope_asked_must_be_within_the_actor_s(database: Database) -> None:
    """A coordinator of SQY gets SQY by default, is refused PARIS and gets the part of
    Île-de-France they see, as the dashboard's reports do; an admin gets all."""
    build(database)
    with database.reading() as session:
        admin = requested_scope(session, Actor.system(), None, None)
        assert admin.scope.is_network
        assert admin.name == NETWORK
        sqy = requested_scope(session, Actor.system(), "SQY", None)
        coordinator = Actor(
            "coord", None, frozenset({Role.COORDINATOR}), coordinator_scope=sqy.scope
        )
        own = requested_scope(session, coordinator, None, None)
        assert own.name == Wording(
            "Cité des métiers de Saint-Quentin-en-Yvelines",
            "Cité des métiers de Saint-Quentin-en-Yvelines",
        )
        assert requested_scope(session, coordinator, "sqy", None).scope == sqy.scope
        with pytest.raises(PermissionDenied):
            requested_scope(session, coordinator, "PARIS", None)
        part = requested_scope(session, coordinator, None, "Île-de-France")
    assert part.scope == sqy.scope
    assert part.name.fr == "Île-de-France — Cité des métiers de Saint-Quentin-en-Yvelines"


def test_report_commands(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``report progress`` and ``report qualiopi`` write their files; a wrong suffix is refused."""
    build(database)
    db = ["--db", database.url]
    progress = tmp_path / "progress.pdf"
    argv = ["report", "progress", "--out", str(progress), "--site", "PARIS", "--date", "21/11/2026"]
    assert main([*db, *argv]) == 0
    assert "Cité des métiers de Paris-La Villette" in PdfReader(progress).pages[0].extract_text()
    csv_file, pdf_file = tmp_path / "q.csv", tmp_path / "q.pdf"
    period = ["--from", "01/01/2026", "--to", "21/11/2026"]
    assert main([*db, "report", "qualiopi", "--out", str(csv_file), *period]) == 0
    assert main([*db, "report", "qualiopi", "--out", str(pdf_file), "--lang", "en", *period]) == 0
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Qualiopi evidence" in PdfReader(pdf_file).pages[0].extract_text()
    assert main([*db, "report", "qualiopi", "--out", str(tmp_path / "q.txt")]) == 1
    assert "csv or .pdf" in capsys.readouterr().err
