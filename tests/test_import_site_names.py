"""A coordinator's own spreadsheet imports: sites named as people write them, not by code.

French Excel writes Windows-1252 with ``;``, day-first dates and stray spaces, and a
coordinator writes a site's name (« Cité des métiers de Marseille… », or « marseille et
de provence alpes cote d'azur »), roles as the app shows them (« Conseiller·ère »).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from certify.access.permissions import Actor, load_actor
from certify.exchange import render_report
from certify.exchange.view_export import staff_columns, view_csv
from certify.model import (
    Assessment,
    Competency,
    CoordinatorScope,
    Module,
    Person,
    Region,
    Role,
    Site,
    TrainingSession,
    UserAccount,
)
from certify.store.db import Database
from certify.views.references import programme_refs
from certify.views.staff_directory import staff_lines
from tests.exchange_helpers import dump, natural, run_import, write_csv
from tests.factories import MiniNetwork

NBSP = "\u00a0"
MARSEILLE = "Cité des métiers de Marseille et de Provence-Alpes-Côte d'Azur"
HEADER = ["Adresse e-mail", "Prénom", "Nom", "Site", "Rôles", "Date d'entrée"]
#: Each site as a coordinator may write it: case, accents, punctuation, no prefix, spaces.
ROWS = [
    [" ana@example.org", "Ana", "Roux ", "  cité des METIERS de paris-la villette ", "accueil"],
    ["ben@example.org", "Ben", "Petit", "Saint Quentin en Yvelines", "Conseiller·ère"],
    ["cleo@example.org", "Cléo", "Blanc", "marseille et de provence alpes cote d'azur", "accueil"],
    ["dia@example.org", "Dia", "Noir", "paris nord centre associe ", "Formateur·rice, accueil"],
    ["eli@example.org", "Éli", "Vert", "mars", "accueil"],
]
EXPECTED = {
    "ana@example.org": ("PARIS", {Role.RECEPTION}),
    "ben@example.org": ("SQY", {Role.COUNSELLOR}),
    "cleo@example.org": ("MARS", {Role.RECEPTION}),
    "dia@example.org": ("PARIS-N", {Role.TRAINER, Role.RECEPTION}),
    "eli@example.org": ("MARS", {Role.RECEPTION}),
}


@pytest.fixture
def network(database: Database) -> Database:
    """The miniature network, with Marseille (MARS) in Provence-Alpes-Côte d'Azur."""
    with database.transaction() as session:
        MiniNetwork.build(session).site("MARS", MARSEILLE, region="Provence-Alpes-Côte d'Azur")
    return database


def coordinator(database: Database, *, marseille: bool) -> Actor:
    """Jean Martin as a coordinator of Île-de-France (and of Marseille, when told)."""
    with database.transaction() as session:
        jean = session.scalar(select(Person).where(Person.email == "jean.martin@example.org"))
        assert jean is not None
        idf = session.scalar(select(Region.id).where(Region.name == "Île-de-France"))
        session.add(UserAccount(username="jean", person_id=jean.id, password_hash="-"))
        session.add(CoordinatorScope(person_id=jean.id, region_id=idf))
        if marseille:
            mars = session.scalar(select(Region.id).where(Region.name != "Île-de-France"))
            session.add(CoordinatorScope(person_id=jean.id, region_id=mars))
        session.flush()
        return load_actor(session, jean.id, "jean")


def spreadsheet(folder: Path, rows: list[list[str]], suffix: str) -> Path:
    """The rows under :data:`HEADER`, as French Excel saves them: CSV with day-first dates,
    or XLSX with dates stored as dates."""
    lines = [HEADER, *([*row, f"0{n + 1}/09/2024"] for n, row in enumerate(rows))]
    if suffix == "csv":
        return write_csv(folder / "personnel.csv", lines)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for n, row in enumerate(rows):  # Excel stores a date typed in a cell as a date
        sheet.append([*row, datetime(2024, 9, n + 1)])
    book.save(folder / "personnel.xlsx")
    return folder / "personnel.xlsx"


def people(database: Database) -> dict[str, tuple[str, set[Role], date]]:
    """Site code, roles and first day of each staff member imported (not Jean Martin)."""
    with database.reading() as session:
        persons = session.scalars(select(Person).where(Person.email != "jean.martin@example.org"))
        return {p.email: (p.site.code, {r.role for r in p.roles}, p.active_from) for p in persons}


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_sites_by_name_as_a_coordinator_writes_them(
    network: Database, tmp_path: Path, suffix: str, who: str
) -> None:
    """Names with another case, no accents, other punctuation, no prefix, stray spaces: each
    names its site; displayed roles and day-first dates read; the same file again is no
    change."""
    actor = Actor.system() if who == "admin" else coordinator(network, marseille=True)
    path = spreadsheet(tmp_path, ROWS, suffix)
    report = run_import(network, "staff", path, actor=actor)
    assert not report.problems, render_report(report)
    assert report.written
    imported = people(network)
    assert {email: (site, roles) for email, (site, roles, _) in imported.items()} == EXPECTED
    assert imported["ben@example.org"][2] == date(2024, 9, 2)
    again = run_import(network, "staff", path, actor=actor)
    assert not again.problems
    assert (again.plan.created, again.plan.updated) == (0, 0)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_misspelt_site_gets_its_name_and_code_and_nothing_is_written(
    network: Database, tmp_path: Path, suffix: str
) -> None:
    """« Marseile » is told the site meant, by name and code, in French and English; the
    other rows, good as they are, are not written either."""
    actor = coordinator(network, marseille=True)
    before = dump(network)
    path = spreadsheet(tmp_path, [*ROWS[:2], ["m@example.org", "M", "N", "Marseile", ""]], suffix)
    report = run_import(network, "staff", path, actor=actor)
    assert [p.render() for p in report.problems] == [
        f"ligne 4, colonne Site : « Marseile » n'est pas un site connu{NBSP}: vouliez-vous dire "
        f"«{NBSP}{MARSEILLE}{NBSP}» (MARS){NBSP}?"
    ]
    assert [p.render("en") for p in report.problems] == [
        f"line 4, column Site: “Marseile” is not a known site: did you mean “{MARSEILLE}” (MARS)?"
    ]
    assert not report.written
    assert dump(network) == before


def test_out_of_scope_only_for_a_site_that_exists(network: Database, tmp_path: Path) -> None:
    """Marseille, outside an Île-de-France coordinator's scope, is out of scope; « Lyon »,
    which is no site, is unknown and nothing more, as is a cell too long to be one."""
    rows = [
        ["m@example.org", "M", "N", MARSEILLE.upper(), ""],
        ["l@example.org", "L", "N", "Cité des métiers de Lyon", ""],
        ["x@example.org", "X", "N", "x" * 201, ""],
    ]
    actor = coordinator(network, marseille=False)
    before = dump(network)
    path = spreadsheet(tmp_path, rows, "csv")
    report = run_import(network, "staff", path, actor=actor)
    assert [p.render() for p in report.problems] == [
        "ligne 2, colonne Site\u00a0: «\u00a0MARS\u00a0» hors de votre périmètre",
        "ligne 3, colonne Site : « Cité des métiers de Lyon » n'est pas un site connu",
        f"ligne 4, colonne Site : « {'x' * 80}… » est trop long (201 caractères, au plus 200)",
    ]
    assert dump(network) == before


def test_two_sites_named_alike_are_refused_naming_both_codes(
    network: Database, tmp_path: Path
) -> None:
    """A name two sites share once normalised names no site: both codes are told."""
    with network.transaction() as session:
        net = MiniNetwork(session, None, {}, {}, {}, {})  # type: ignore[arg-type]
        net.site("NTE", "Cité des métiers de Nantes", region="Pays de la Loire")
        net.site("NTE-2", "Nantes", region="Pays de la Loire")
    before = dump(network)
    report = run_import(
        network, "staff", spreadsheet(tmp_path, [["n@example.org", "N", "O", "nantes", ""]], "csv")
    )
    assert [p.render() for p in report.problems] == [
        f"ligne 2, colonne Site : « nantes » désigne plusieurs sites{NBSP}: NTE, NTE-2{NBSP}; "
        "écrivez le code"
    ]
    assert dump(network) == before


def test_the_staff_list_exported_imports_back_unchanged(network: Database, tmp_path: Path) -> None:
    """The staff list's CSV (F9 in the app) is a staff file: imported again, nothing changes."""
    first = run_import(network, "staff", spreadsheet(tmp_path, ROWS, "csv"))
    assert first.written
    actor = coordinator(network, marseille=True)
    with network.reading() as session:
        lines = staff_lines(session, actor, date(2026, 11, 21))
        exported = view_csv(staff_columns(programme_refs(session)), lines)
    assert len(lines) == 6
    path = tmp_path / "personnel-2026-11-21.csv"
    path.write_bytes(exported)
    before = dump(network)
    report = run_import(network, "staff", path, actor=actor, today=date(2026, 11, 21))
    assert not report.problems, render_report(report)
    assert (report.plan.created, report.plan.updated, report.plan.unchanged) == (0, 0, 6)
    assert dump(network) == before


def test_modules_and_competencies_by_name_too(network: Database, tmp_path: Path) -> None:
    """A session's module by its title and its site by its name, an assessment's competency
    by its label: each is the row it names; a title mistyped is told the module meant."""
    assert run_import(network, "staff", spreadsheet(tmp_path, ROWS, "csv")).written
    jean, ana = "jean.martin@example.org", "ana@example.org"
    header = ["Module", "Site", "Début", "Fin", "Formateurs", "Participant", "Heures de présence"]
    session = ["Accueil de 1er niveau", "paris la villette", "03/09/2024", "04/09/2024", jean]
    report = run_import(
        network, "sessions", write_csv(tmp_path / "s.csv", [header, [*session, ana, "14"]])
    )
    assert not report.problems, render_report(report)
    assessment = ["Personne", "Compétence", "Niveau", "Date", "Évaluateur", "Méthode"]
    row = [ana, " appliquer les principes de la charte", "2", "05/09/2024", jean, "observation"]
    report = run_import(network, "assessments", write_csv(tmp_path / "a.csv", [assessment, row]))
    assert not report.problems, render_report(report)
    with network.reading() as session_:
        found = session_.execute(
            select(Module.code, Site.code)
            .join(TrainingSession, TrainingSession.module_id == Module.id)
            .join(Site, Site.id == TrainingSession.site_id)
        ).all()
        assessed = session_.scalars(
            select(Competency.code).join(Assessment, Assessment.competency_id == Competency.id)
        ).all()
    assert found == [("M02", "PARIS")] and assessed == ["ETH-01"]
    mistyped = ["Acueil de 1er niveau", "PARIS", "03/10/2024", "04/10/2024", jean]
    before = dump(network)
    rows = [header, [*mistyped, "", ""]]
    report = run_import(network, "sessions", write_csv(tmp_path / "t.csv", rows))
    assert [p.render() for p in report.problems] == [
        f"ligne 2, colonne Module : « Acueil de 1er niveau » n'est pas un module connu{NBSP}: "
        f"vouliez-vous dire «{NBSP}Accueil de 1er niveau{NBSP}» (M02){NBSP}?"
    ]
    assert dump(network) == before


def test_a_programme_names_its_modules_and_prerequisites_by_title(
    network: Database, tmp_path: Path
) -> None:
    """Required modules and a prerequisite written by their titles, in another case and
    without accents: each is the module or programme it names."""
    header = [
        "Code",
        "Titre",
        "Titre (anglais)",
        "Référentiel",
        "Validité (mois)",
        "Fenêtre de renouvellement (mois)",
        "Compétences requises",
        "Modules requis",
        "Prérequis",
    ]
    row = [
        "CERT-INF",
        "Chargé·e d'information",
        "Information officer",
        "RCM v1",
        "36",
        "6",
        "Garantir la confidentialite:2, ETH-01:2",
        "travailler en cite des metiers, CONFIDENTIALITÉ ET RGPD",
        "chargé·e d'accueil de 1er niveau (24 mois)",
    ]
    report = run_import(network, "programmes", write_csv(tmp_path / "p.csv", [header, row]))
    assert not report.problems, render_report(report)
    programme = natural(network, ["programme"])["programme"][("CERT-INF",)]
    assert programme["competencies"] == {((("RCM", 1), "ETH-03"), 2), ((("RCM", 1), "ETH-01"), 2)}
    assert programme["modules"] == {("M01",), ("M04",)}
    assert programme["prerequisites"] == {(("CERT-ACC",), 24)}
