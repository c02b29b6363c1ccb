"""Staff imports from messy spreadsheets: every problem reported, all or nothing, idempotent."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from certify.access.permissions import Actor, PermissionDenied, load_actor
from certify.cli import main
from certify.exchange import export_kind, find_kind, render_report
from certify.model import AuditEvent, CoordinatorScope, Person, Role, UserAccount
from certify.store.db import Database
from tests.exchange_helpers import dump, found, run_import, write_csv
from tests.factories import MiniNetwork

HEADER = [
    "Adresse e-mail ",
    "Prénom",
    "Nom",
    "Site",
    "Employeur",
    "Rôles",
    "Date d'entrée",
    "Date de sortie",
]
ALICE = [
    " alice.durand@example.org ",
    "Alice",
    "Durand ",
    "PARIS",
    "France Travail",
    "conseillère, formatrice",
    "03/09/2024",
    "",
]
BOB = ["bob.martin@example.org", "Bob", "Martin", "sqy", "", "accueil", "2021-02-01", "31/12/2025"]


@pytest.fixture
def network(database: Database) -> Database:
    """The miniature network of tests/factories.py, with a Marseille site."""
    with database.transaction() as session:
        MiniNetwork.build(session).site("MARSEILLE", "Cité des métiers de Marseille")
    return database


def test_messy_windows_file_reports_every_problem_and_writes_nothing(
    network: Database, tmp_path: Path
) -> None:
    """Windows-1252 with ``;``, a title row, stray spaces: every problem, by line and column."""
    path = write_csv(
        tmp_path / "personnel.csv",
        [
            ["Liste du personnel — export Totara", "", "", "", "", "", "", ""],
            [],
            HEADER,
            ALICE,
            ["bob@example.org", "Bob", "Martin", "Marseile", "", "accueil", "31/02/2024", ""],
            ["carole@example.org", "Carole", "Petit", "SQY", "", "magicien", "01/01/2024", ""],
            [
                "ALICE.DURAND@example.org",
                "Alice",
                "Durand",
                "PARIS",
                "",
                "conseiller",
                "03/09/2024",
                "",
            ],
            ["dan@example", "Dan", "Roux", "PARIS", "", "accueil", "2024-13-01", ""],
            ["eve@example.org", "", "Leroy", "PARIS-N", "", "accueil", "05/05/2020", "01/01/2019"],
        ],
    )
    before = dump(network)
    report = run_import(network, "staff", path)
    assert found(report) == [
        (5, "Site", "Marseile"),
        (5, "Date d'entrée", "31/02/2024"),
        (6, "Rôles", "magicien"),
        (7, "Adresse e-mail", "ALICE.DURAND@example.org"),
        (8, "Adresse e-mail", "dan@example"),
        (8, "Date d'entrée", "2024-13-01"),
        (9, "Prénom", None),
        (9, "Date de sortie", "01/01/2019"),
    ]
    lines = render_report(report).splitlines()
    assert (
        "  ligne 5, colonne Site\u00a0: «\u00a0Marseile\u00a0» n'est pas un site connu\u00a0: "
        "vouliez-vous dire «\u00a0Cité des métiers de Marseille\u00a0» (MARSEILLE)\u00a0?" in lines
    )
    assert (
        "  ligne 5, colonne Date d'entrée\u00a0: «\u00a031/02/2024\u00a0» "
        "n'est pas une date valide\u00a0: ce jour n'existe pas" in lines
    )
    assert (
        "  ligne 7, colonne Adresse e-mail\u00a0: «\u00a0ALICE.DURAND@example.org\u00a0» "
        "en double\u00a0: déjà ligne 4" in lines
    )
    assert "  ligne 9, colonne Prénom\u00a0: valeur manquante" in lines
    assert "8 problème(s) — rien n'a été écrit\u00a0:" in lines
    english = render_report(report, "en")
    assert (
        "line 5, column Site: “Marseile” is not a known site: "
        "did you mean “Cité des métiers de Marseille” (MARSEILLE)?" in english
    )
    assert dump(network) == before


def test_clean_file_imports_once_and_reimports_as_nothing(
    network: Database, tmp_path: Path
) -> None:
    """A UTF-8 file with a BOM and commas imports; the same file again changes nothing."""
    path = write_csv(
        tmp_path / "staff.csv", [HEADER, ALICE, BOB], encoding="utf-8-sig", delimiter=","
    )
    report = run_import(network, "staff", path)
    assert not report.problems and report.written
    assert (report.plan.created, report.plan.updated) == (3, 0)  # two people, one employer
    with network.reading() as session:
        alice = session.scalar(select(Person).where(Person.email == "alice.durand@example.org"))
        assert (alice.family_name, alice.active_from, alice.employer.name) == (
            "Durand",
            date(2024, 9, 3),
            "France Travail",
        )
        assert {r.role for r in alice.roles} == {Role.COUNSELLOR, Role.TRAINER}
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == [
        "organisation.imported",
        "person.imported",
        "person.imported",
    ]
    assert events[1].details["after"]["roles"] == ["counsellor", "trainer"]
    assert events[1].details["line"] == 2
    before = dump(network)
    again = run_import(network, "staff", path)
    assert (again.plan.created, again.plan.updated, again.plan.unchanged) == (0, 0, 2)
    assert "Rien à changer\u00a0: la base est déjà à jour." in render_report(again)
    assert dump(network) == before


def test_changed_row_updates_with_its_audit_event(network: Database, tmp_path: Path) -> None:
    """A changed cell updates that row only; the audit event holds before and after."""
    run_import(network, "staff", write_csv(tmp_path / "a.csv", [HEADER, ALICE, BOB]))
    moved = [*BOB[:3], "PARIS", "", "accueil, formateur", *BOB[6:]]
    report = run_import(network, "staff", write_csv(tmp_path / "b.csv", [HEADER, ALICE, moved]))
    assert (report.plan.created, report.plan.updated, report.plan.unchanged) == (0, 1, 1)
    with network.reading() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        bob = session.scalar(select(Person.id).where(Person.email == "bob.martin@example.org"))
    assert (event.action, event.entity_key) == ("person.import_updated", str(bob))
    assert event.details["before"] == {"site": "SQY", "roles": ["reception"]}
    assert event.details["after"] == {"site": "PARIS", "roles": ["reception", "trainer"]}


def test_dry_run_shows_the_plan_and_writes_nothing(network: Database, tmp_path: Path) -> None:
    """``--dry-run`` says what would be created and updated, and leaves the database alone."""
    run_import(network, "staff", write_csv(tmp_path / "a.csv", [HEADER, BOB]))
    changed = [*BOB[:6], "01/03/2021", BOB[7]]
    path = write_csv(tmp_path / "b.csv", [HEADER, ALICE, changed])
    before = dump(network)
    report = run_import(network, "staff", path, dry_run=True)
    assert dump(network) == before
    assert render_report(report).splitlines()[1:] == [
        "  employeurs\u00a0: 1 à créer, 0 à mettre à jour, 0 inchangé(s)",
        "    + ligne 2\u00a0: France Travail",
        "  personnel\u00a0: 1 à créer, 1 à mettre à jour, 0 inchangé(s)",
        "    + ligne 2\u00a0: alice.durand@example.org",
        "    ~ ligne 3 : bob.martin@example.org — Date d'entrée : 01/02/2021 → 01/03/2021",
        "Essai à blanc\u00a0: rien n'a été écrit.",
    ]


def test_xlsx_with_blank_row_merged_cells_and_excel_dates(
    network: Database, tmp_path: Path
) -> None:
    """A blank first row, a grouped header row above the real one, merged and date cells."""
    book = Workbook()
    sheet = book.active
    sheet["A2"], sheet["D2"] = "Identité", "Affectation"
    sheet.merge_cells("A2:C2")
    sheet.merge_cells("D2:H2")
    sheet.append(
        [
            "Adresse e-mail",
            "Prénom",
            "Nom",
            "Site",
            "Employeur",
            "Rôles",
            "Date d'entrée",
            "Date de sortie",
        ]
    )
    sheet.append(
        [
            "alice@example.org",
            "Alice",
            "Durand",
            "PARIS",
            None,
            "conseiller",
            datetime(2024, 9, 3),
            None,
        ]
    )
    sheet.append(["bob@example.org ", "Bob", "Martin", None, None, "accueil", "03/09/2024", None])
    sheet.merge_cells("D4:D5")  # one site cell for both people
    book.save(tmp_path / "personnel.xlsx")
    report = run_import(network, "staff", tmp_path / "personnel.xlsx")
    assert not report.problems and report.plan.created == 2
    assert "lignes avant l'en-tête (ligne 3) ignorées" in render_report(report)
    with network.reading() as session:
        people = session.execute(
            select(Person.email, Person.active_from)
            .where(Person.email.like("%@example.org"))
            .where(Person.email != "jean.martin@example.org")
            .order_by(Person.email)
        ).all()
        sites = set(
            session.scalars(
                select(Person.site_id).where(
                    Person.email.in_(["alice@example.org", "bob@example.org"])
                )
            )
        )
    assert people == [
        ("alice@example.org", date(2024, 9, 3)),
        ("bob@example.org", date(2024, 9, 3)),
    ]
    assert len(sites) == 1


def test_merged_header_over_data_is_a_problem(network: Database, tmp_path: Path) -> None:
    """A header cell merged over two filled columns: the second column has no header."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Adresse e-mail", "Prénom", "Nom", "Site", "Rôles", None, "Date d'entrée"])
    sheet.merge_cells("E1:F1")
    sheet.append(
        ["alice@example.org", "Alice", "Durand", "PARIS", "conseiller", "formateur", "03/09/2024"]
    )
    book.save(tmp_path / "personnel.xlsx")
    before = dump(network)
    report = run_import(network, "staff", tmp_path / "personnel.xlsx")
    assert found(report) == [(1, "F", None)]
    assert dump(network) == before


def test_typo_in_a_header_is_a_problem_an_unrelated_column_a_note(
    network: Database, tmp_path: Path
) -> None:
    """« Date de sortei » would lose a column: refused; « Commentaire » is ignored."""
    header = [*HEADER[:7], "Date de sortei", "Commentaire"]
    report = run_import(network, "staff", write_csv(tmp_path / "s.csv", [header, [*BOB, "vu"]]))
    assert found(report) == [(1, "H", "Date de sortei")]
    assert report.problems[0].suggestion == "Date de sortie"
    assert [n.value for n in report.notes] == ["Commentaire"]


def _coordinator(database: Database) -> None:
    """Make Jean Martin (coordinator) cover PARIS only, with an account."""
    with database.transaction() as session:
        jean = session.scalar(select(Person).where(Person.email == "jean.martin@example.org"))
        session.add(UserAccount(username="jean", person_id=jean.id, password_hash="-"))
        session.add(CoordinatorScope(person_id=jean.id, site_id=jean.site_id))


def test_coordinator_imports_in_scope_only_and_no_reserved_roles(
    network: Database, tmp_path: Path
) -> None:
    """Rows outside the coordinator's scope, and coordinator roles granted, are problems."""
    _coordinator(network)
    with network.reading() as session:
        jean = session.scalar(select(Person).where(Person.email == "jean.martin@example.org"))
        actor = load_actor(session, jean.id, "jean")
    rows = [
        HEADER,
        ALICE,
        BOB,
        ["c@example.org", "C", "D", "PARIS-N", "", "coordinateur", "01/01/2024", ""],
    ]
    report = run_import(network, "staff", write_csv(tmp_path / "s.csv", rows), actor=actor)
    assert found(report) == [(3, "Site", "SQY"), (4, "Rôles", "coordinateur")]
    with pytest.raises(PermissionDenied):
        run_import(network, "sites", write_csv(tmp_path / "t.csv", [["Code"]]), actor=actor)


def test_cli_exit_codes_and_output(
    network: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``certify import``: exit 1 and the problems; exit 0 and the summary; French kind names."""
    url = network.url
    bad = write_csv(tmp_path / "bad.csv", [HEADER, [*BOB[:3], "Marseile", *BOB[4:]]])
    assert main(["--db", url, "import", "personnel", str(bad)]) == 1
    assert "«\u00a0Marseile\u00a0» n'est pas un site connu" in capsys.readouterr().out
    good = write_csv(tmp_path / "good.csv", [HEADER, BOB])
    assert main(["--db", url, "import", "staff", str(good), "--dry-run"]) == 0
    assert "Essai à blanc" in capsys.readouterr().out
    assert main(["--db", url, "import", "staff", str(good)]) == 0
    assert "Import terminé." in capsys.readouterr().out
    assert main(["--db", url, "import", "staf", str(good)]) == 1
    assert "vouliez-vous dire «\u00a0staff\u00a0»" in capsys.readouterr().err


def languages(database: Database) -> dict[str, str]:
    """Each person's language, by e-mail."""
    with database.reading() as session:
        return {email: lang for email, lang in session.execute(select(Person.email, Person.lang))}


def test_the_language_column_imports_exports_and_imports_back(
    network: Database, tmp_path: Path
) -> None:
    """« Language » (or « Langue ») takes fr, en or their names in any case; the export
    writes it as « Langue » and imports back unchanged; a file without it (or a blank cell)
    keeps each person's language, a new person without one is French."""
    header = [*HEADER, "Language"]
    rows = [header, [*ALICE, " ENGLISH "], [*BOB, "Français"]]
    report = run_import(network, "staff", write_csv(tmp_path / "a.csv", rows))
    assert not report.problems, render_report(report)
    alice, bob = "alice.durand@example.org", "bob.martin@example.org"
    assert languages(network)[alice] == "en" and languages(network)[bob] == "fr"
    changed = [header, [*ALICE, ""], [*BOB, "anglais"]]
    assert run_import(network, "staff", write_csv(tmp_path / "b.csv", changed)).written
    assert (languages(network)[alice], languages(network)[bob]) == ("en", "en")

    with network.reading() as session:
        export = export_kind(session, Actor.system(), find_kind("staff"), "csv")
    lines = export.data.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[-1] == "Langue"
    [alice_line] = [line for line in lines if line.startswith(alice)]
    assert alice_line.endswith(";en")
    path = tmp_path / "personnel.csv"
    path.write_bytes(export.data)
    before = dump(network)
    again = run_import(network, "staff", path)
    assert not again.problems and again.plan.updated == 0
    assert dump(network) == before

    carol = ["carol@example.org", "Carol", "Petit", "PARIS", "", "accueil", "01/02/2025", ""]
    renamed = [*ALICE[:2], "Durand-Moreau", *ALICE[3:]]
    report = run_import(network, "staff", write_csv(tmp_path / "c.csv", [HEADER, renamed, carol]))
    assert not report.problems and report.written
    found_langs = languages(network)
    assert (found_langs[alice], found_langs[bob], found_langs["carol@example.org"]) == (
        "en",
        "en",
        "fr",
    )


def test_a_language_certify_does_not_write_is_refused(network: Database, tmp_path: Path) -> None:
    """A language other than French or English is a problem naming its line and column, and
    nothing is written."""
    before = dump(network)
    rows = [[*HEADER, "Langue"], [*ALICE, "fr"], [*BOB, "espagnol"]]
    report = run_import(network, "staff", write_csv(tmp_path / "s.csv", rows))
    assert found(report) == [(3, "Langue", "espagnol")]
    assert "ligne 3, colonne Langue : « espagnol » n'est pas une valeur possible (fr, en)" in (
        render_report(report)
    )
    assert not report.written
    assert dump(network) == before


def test_a_file_headed_as_before_still_imports(network: Database, tmp_path: Path) -> None:
    """The e-mail column was headed « Adresse électronique » before « Adresse e-mail »: files
    written then import as they are."""
    header = ["Adresse électronique", *HEADER[1:]]
    report = run_import(network, "staff", write_csv(tmp_path / "old.csv", [header, BOB]))
    assert report.problems == [] and report.written
