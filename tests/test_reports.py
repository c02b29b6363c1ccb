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

from certificates.pdf_metadata import PdfMetadata
from certificates.progress_report import progress_report
from certificates.qualiopi_csv import qualiopi_csv
from certificates.qualiopi_report import qualiopi_report
from certificates.report_document import ReportPages, build_report, data_table
from certify.access.narrowing import NETWORK, requested_scope
from certify.access.permissions import Actor, PermissionDenied
from certify.cli import main
from certify.model import (
    Attendance,
    Module,
    Person,
    Region,
    Role,
    Site,
    SiteKind,
    TrainingSession,
)
from certify.parsing import fold
from certify.rules.scope import Scope
from certify.rules.wording import Lang, Wording, count, percent, points
from certify.services.issuance import issue_certificate
from certify.store.db import Database
from certify.views.progress_counts import VALID, Standing, progress_counts
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
    """Set-based: the number of statements does not grow with the staff (the progress
    counts read two days: the report's and a year before, for the trend)."""
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
    assert before[0] <= 14
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
    assert reader.root_object["/Lang"] == "fr"
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
    assert lines[0].startswith("Site;Nom;Prénom;E-mail;Indicateur Qualiopi;Preuve;Code;Intitulé")
    assert any(";21;Évaluation de compétence;ACC-01;" in line for line in lines)
    assert any(";22;Formation suivie;M04;" in line and ";3,5;3,5" in line for line in lines)
    assert any("01/06/2026" in line for line in lines)
    assert any(";Mensah;Kofi;" in line and "Aucune preuve sur la période" in line for line in lines)
    english = qualiopi_csv(evidence, "en").decode("utf-8-sig")
    assert english.startswith("Site;Family name;Given name")
    assert "2026-06-01" in english


def test_qualiopi_pdf(database: Database) -> None:
    """Person by person, with the hardest names, the period written out; place names
    whole (a training at Saint-Quentin-en-Yvelines, beside its heading's)."""
    people = build(database)
    with database.transaction() as session:
        module = session.scalars(select(Module).where(Module.code == "M05")).one()
        training = TrainingSession(
            module=module,
            site=session.scalars(select(Site).where(Site.code == "SQY")).one(),
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 9, 1),
        )
        session.add(
            Attendance(session=training, person_id=people["close"], hours_present=module.hours)
        )
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
    assert flat(text).count("Cité des métiers de Saint-Quentin-en-Yvelines") == 2


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
    capsys.readouterr()
    assert main([*db, "report", "qualiopi", "--out", str(pdf_file), "--lang", "en", *period]) == 0
    assert "of evidence" in capsys.readouterr().out
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Qualiopi evidence" in PdfReader(pdf_file).pages[0].extract_text()
    assert main([*db, "report", "qualiopi", "--out", str(tmp_path / "q.txt")]) == 1
    assert "doit finir par .csv ou .pdf" in capsys.readouterr().err
    assert main([*db, "--lang", "en", "report", "qualiopi", "--out", str(tmp_path / "q.txt")]) == 1
    assert "csv or .pdf" in capsys.readouterr().err


#: Regions and sites added by :func:`build_regions`, besides Île-de-France's.
ELSEWHERE = {
    "Provence-Alpes-Côte d'Azur": (
        "Cité des métiers de Marseille et de Provence-Alpes-Côte d'Azur",
        "Centre associé Cité des métiers d'Avignon",
    ),
    "Occitanie": ("Cité des métiers de Nîmes et du Gard", "Centre associé Cité des métiers d'Alès"),
    "Auvergne-Rhône-Alpes": ("Cité des métiers de Clermont-Ferrand",),
    "Hauts-de-France": ("Cité des métiers du Saint-Quentinois",),
    "La Réunion": ("Cité des métiers de La Réunion",),
    "Bretagne": ("Point relais Cité des métiers de Lannion",),
}
#: Île-de-France's sites added, enough for a chart of its sites longer than a page.
PARIS_REGION = (
    "Cité des métiers de Seine-et-Marne",
    "Cité des métiers de Nanterre",
    *(f"Point relais Cité des métiers de Seine-Saint-Denis no {n:02}" for n in range(1, 29)),
)
#: The regions in the order the report gives them (Île-de-France between H and L).
REGION_ORDER = (
    "Auvergne-Rhône-Alpes",
    "Bretagne",
    "Hauts-de-France",
    "Île-de-France",
    "La Réunion",
    "Occitanie",
    "Provence-Alpes-Côte d'Azur",
)


def build_regions(database: Database) -> None:
    """The staff of :func:`build`, then one person on each of many sites of several regions."""
    build(database)
    sites = [("Île-de-France", name) for name in PARIS_REGION] + [
        (region, name) for region, names in ELSEWHERE.items() for name in names
    ]
    with database.transaction() as session:
        regions = {region.name: region for region in session.scalars(select(Region))}
        for number, (region, name) in enumerate(sites):
            if region not in regions:
                regions[region] = Region(name=region, country="FR")
            site = Site(code=f"S{number}", name=name, kind=SiteKind.CITE, region=regions[region])
            session.add(site)
            session.flush()
            session.add(
                Person(
                    given_name="Agent",
                    family_name=f"Site {number}",
                    email=f"agent.{number}@example.org",
                    site_id=site.id,
                    active_from=date(2020, 1, 1),
                )
            )


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page of ``pdf``, read back."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """``text`` with every run of spaces and line breaks as one space."""
    return " ".join(text.split())


def assert_no_page_holds_only_a_heading(pages: list[str], headings: list[str]) -> None:
    """Every page has more than its footer and a heading; each heading is followed, on its
    page, by a region or a site (a chart's label, a table's row)."""
    names = (*REGION_ORDER, *PARIS_REGION)
    for number, text in enumerate(pages, 1):
        body = [line for line in text.splitlines()[2:] if line.strip()]
        assert len(body) > 3, f"page {number} holds only {body}"
        for heading in headings:
            if heading in text:
                after = flat(text[text.index(heading) + len(heading) :])
                assert any(name in after for name in names), f"page {number}"


def section(text: str, heading: str) -> str:
    """The part of the report's text from ``heading`` to the next programme's."""
    start = text.index(heading)
    end = text.find("CERT-", start + len(heading))
    return text[start : end if end >= 0 else None]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_progress_report_groups_sites_by_region_with_whole_names(
    database: Database, lang: Lang
) -> None:
    """Regions in alphabetical order (accents aside), each with its sites by name; names
    whole, never cut nor broken inside a word; no page holding only a heading."""
    build_regions(database)
    with database.reading() as session:
        counts = progress_counts(session, Scope.network(), AS_OF)
    pages = pages_text(progress_report(counts, NETWORK, lang))
    headings = ["CERT-ACC — ", "CERT-CONS — "]
    assert_no_page_holds_only_a_heading(pages, headings)
    text = flat(" ".join(pages))
    assert "…" not in text
    programme = section(text, "CERT-ACC — ")
    table = programme[programme.index("→ maintenant" if lang == "fr" else "→ now") :]
    expected: list[str] = []
    for region in REGION_ORDER:
        names = ELSEWHERE.get(region, ())
        if region == "Île-de-France":
            names = (
                *PARIS_REGION,
                "Cité des métiers de Paris-La Villette",
                "Cité des métiers de Saint-Quentin-en-Yvelines",
            )
        expected += [region, *sorted(names, key=fold)]
    found = 0
    for name in expected:
        found = table.find(name, found)
        assert found >= 0, f"{name} missing or out of order"
    for name in (
        "Seine-et-Marne",
        "Cité des métiers de Marseille et de Provence-Alpes-Côte d'Azur",
    ):
        assert name in text


def test_progress_report_of_one_region_charts_its_sites_over_pages(database: Database) -> None:
    """A region's 32 sites take two charts; headings stay with a chart, names stay whole."""
    build_regions(database)
    with database.reading() as session:
        region = session.scalar(select(Region.id).where(Region.name == "Île-de-France"))
        assert region is not None
        counts = progress_counts(session, Scope.regions(region), AS_OF)
    assert [region.name for region in counts.regions] == ["Île-de-France"]
    pages = pages_text(progress_report(counts, NETWORK, "fr"))
    assert_no_page_holds_only_a_heading(pages, ["CERT-ACC — ", "CERT-CONS — "])
    first = pages[1]
    assert "CERT-ACC — " in first
    assert "Cité des métiers de Nanterre" in first
    text = flat(" ".join(pages))
    assert "Point relais Cité des métiers de Seine-Saint-Denis no 28" in text
    assert "…" not in text


def test_progress_report_gives_shares_and_the_year_s_trend(database: Database) -> None:
    """Each count with its share of the row's staff; the share holding a valid certificate
    a year before and now, with the change in points (French then English numbers)."""
    build(database)
    with database.reading() as session:
        counts = progress_counts(session, Scope.network(), AS_OF)
    acc = next(programme for programme in counts.programmes if programme.code == "CERT-ACC")
    assert counts.before.as_of == date(2025, 11, 21)
    assert counts.before.count(acc.id, VALID) == 0
    assert counts.now.count(acc.id, VALID) == 1
    french = flat(" ".join(pages_text(progress_report(counts, NETWORK, "fr"))))
    # 6 staff on CERT-ACC: 1 certified (16,7 %), 2 in progress (33,3 %); PARIS has 5.
    assert "1 16,7 %" in french
    assert "2 33,3 %" in french
    assert "0,0 % → 16,7 % +16,7 pts" in french
    assert "0,0 % → 20,0 % +20,0 pts" in french
    assert "Certificat valide, 21 novembre 2025 → maintenant" in french
    english = flat(" ".join(pages_text(progress_report(counts, NETWORK, "en"))))
    assert "1 16.7%" in english
    assert "0.0% → 16.7% +16.7 pts" in english
    assert "Valid certificate, 21 November 2025 → now" in english


def test_numbers_in_french_and_english() -> None:
    """Decimal comma and a no-break space before % in French; signed points; thousands."""
    assert percent(Decimal("42.45")) == Wording("42,5\u00a0%", "42.5%")
    assert percent(Decimal(100)) == Wording("100,0\u00a0%", "100.0%")
    assert points(Decimal("-13.3")) == Wording("−13,3\u00a0pts", "−13.3\u00a0pts")
    assert points(Decimal("0")).fr == "+0,0\u00a0pts"
    assert count(50000) == Wording("50\u202f000", "50,000")


def test_report_cells_break_lines_at_spaces_only() -> None:
    """A place name in a column narrower than its longest word is wrapped at its spaces,
    its hyphenated word kept whole."""
    name = "Cité des métiers de Saint-Quentin-en-Yvelines"
    table = data_table([["Lieu"], [name]], [70])
    metadata = PdfMetadata("t", "a", "s", (), "fr", AS_OF)
    pdf = build_report([table], metadata, ReportPages(landscape=False, footer="pied"))
    lines = pages_text(pdf)[0].splitlines()
    assert "Saint-Quentin-en-Yvelines" in lines
    assert flat(" ".join(lines)).count(name) == 1
