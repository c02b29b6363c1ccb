"""Files that would break the import: each refused with a problem, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from certify.cli import main
from certify.exchange import limits, render_report, tabular
from certify.exchange.cells import INTEGER_MOST, NumberCell
from certify.exchange.limits import MAX_CELL, MAX_COLUMNS, MAX_DEPTH
from certify.exchange.problems import UnreadableFile
from certify.exchange.report import SHOWN_PROBLEMS
from certify.exchange.tabular import read_table
from certify.model.training import Hours
from certify.store.db import Database
from tests.exchange_helpers import dump, found, run_import, write_csv
from tests.factories import MiniNetwork

MODULE_HEADER = ["Code", "Titre", "Titre (anglais)", "Durée (heures)", "Renouvellement (mois)"]


@pytest.fixture
def network(database: Database) -> Database:
    """The miniature network of tests/factories.py."""
    with database.transaction() as session:
        MiniNetwork.build(session)
    return database


def test_numbers_beyond_the_database_columns_are_problems(
    network: Database, tmp_path: Path
) -> None:
    """Hours past 9999,99 and months past PostgreSQL's integer, even 5000 digits long."""
    before = dump(network)
    rows = [
        MODULE_HEADER,
        ["M20", "A", "A", "10000", "12"],
        ["M21", "B", "B", "9" * 5000, str(INTEGER_MOST + 1)],
        ["M22", "C", "C", "9999,99", "9" * 5000],
        ["M23", "D", "D", "7", str(INTEGER_MOST)],
    ]
    report = run_import(network, "modules", write_csv(tmp_path / "m.csv", rows))
    assert found(report) == [
        (2, "Durée (heures)", "10000"),
        (3, "Durée (heures)", "9" * 5000),
        (3, "Renouvellement (mois)", str(INTEGER_MOST + 1)),
        (4, "Renouvellement (mois)", "9" * 5000),
    ]
    assert (
        "ligne 2, colonne Durée (heures)\u00a0: «\u00a010000\u00a0» doit valoir au plus 9999,99"
        in (render_report(report))
    )
    assert "must be at most 2147483647" in render_report(report, "en")
    assert dump(network) == before
    del rows[1:4]
    assert not run_import(network, "modules", write_csv(tmp_path / "n.csv", rows)).problems


def test_the_largest_hours_are_those_of_the_hours_column() -> None:
    """The bound of the cells follows the model's ``Numeric(6, 2)``."""
    cell = NumberCell()
    assert (cell.digits, cell.places) == (Hours.precision, Hours.scale)


STAFF = ["Adresse e-mail", "Prénom", "Nom", "Site", "Rôles", "Date d'entrée"]
ALICE = ["alice.durand@example.org", "Alice", "Durand", "PARIS", "conseillère", "03/09/2024"]
BOB = ["bob.martin@example.org", "Bob", "Martin", "SQY", "accueil", "01/02/2021"]


def problems_of(path: Path) -> list[str]:
    """How a file that cannot be read is refused, one line each (nothing needs a database)."""
    try:
        read_table(path)
    except UnreadableFile as error:
        return [error.problem.render()]
    return []


def test_yaml_anchors_and_aliases_are_refused_at_their_line(tmp_path: Path) -> None:
    """342 bytes of nested aliases once took 3.2 GB: no alias is expanded now."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(9)
    )
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb)
    assert problems_of(path) == [
        "ligne 1 : ancre ou alias YAML (« & », « * ») : écrivez chaque valeur en toutes lettres"
    ]


def test_yaml_nested_too_deep_is_refused(tmp_path: Path) -> None:
    """5000 nested « [ » once ended in a traceback."""
    path = tmp_path / "deep.yaml"
    path.write_text("- a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problems_of(path) == [f"ligne 1\u00a0: YAML imbriqué sur plus de {MAX_DEPTH} niveaux"]


def test_yaml_values_yaml_cannot_build_are_told_by_their_column(
    network: Database, tmp_path: Path
) -> None:
    """« 2024-02-30 » and a 5000-digit number reach their column, which says what is wrong."""
    path = tmp_path / "modules.yaml"
    path.write_text(
        "- Code: M30\n  Titre: A\n  Titre (anglais): A\n  Durée (heures): 3\n"
        f"  Renouvellement (mois): {'9' * 5000}\n"
        "- Code: M31\n  Titre: B\n  Titre (anglais): B\n  Durée (heures): 2024-02-30\n"
    )
    report = run_import(network, "modules", path)
    assert [problem.render() for problem in report.problems] == [
        "ligne 1, colonne Renouvellement (mois)\u00a0: «\u00a0"
        + "9" * 80
        + "…\u00a0» doit valoir au plus "
        "2147483647",
        "ligne 6, colonne Durée (heures) : « 2024-02-30 » n'est pas un nombre (ex. 3,5)",
    ]


def test_a_yaml_day_that_does_not_exist_is_a_cell_problem(
    network: Database, tmp_path: Path
) -> None:
    """YAML reads 2024-02-30 as a timestamp it cannot build: the day column refuses it."""
    path = tmp_path / "staff.yaml"
    path.write_text(
        "- Adresse e-mail: alice.durand@example.org\n  Prénom: Alice\n  Nom: Durand\n"
        "  Site: PARIS\n  Rôles: conseillère\n  Date d'entrée: 2024-02-30\n"
        "- Adresse e-mail: bob.martin@example.org\n  Prénom: Bob\n  Nom: Martin\n"
        "  Site: SQY\n  Rôles: accueil\n  Date d'entrée: 0001-01-01\n"
    )
    report = run_import(network, "staff", path)
    assert [problem.render() for problem in report.problems] == [
        "ligne 1, colonne Date d'entrée : « 2024-02-30 » n'est pas une date valide : "
        "ce jour n'existe pas",
        "ligne 7, colonne Date d'entrée : « 01/01/0001 » est hors des dates possibles "
        "(01/01/1900 à 31/12/2100)",
    ]


def test_a_file_mixing_utf8_and_windows_1252_is_refused_naming_the_lines(
    tmp_path: Path,
) -> None:
    """Once read as Windows-1252 whole, its UTF-8 names turned to mojibake."""
    path = tmp_path / "mixed.csv"
    lines = [";".join(STAFF).encode("utf-8"), ";".join(ALICE).encode("utf-8")]
    lines.append(";".join([*BOB[:2], "Lefèvre", *BOB[3:]]).encode("cp1252"))
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    assert problems_of(path) == [
        "ligne 3\u00a0: encodages mélangés\u00a0: la ligne 1 est en UTF-8, la ligne 3 non\u00a0; "
        "enregistrez le fichier en UTF-8"
    ]
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace("é".encode(), b"e"))
    assert problems_of(path)[0].startswith("ligne 3\u00a0: encodages mélangés")


def test_a_windows_1252_file_without_utf8_is_still_read(tmp_path: Path) -> None:
    """French Excel's own CSV: no valid UTF-8 sequence, so Windows-1252 it is."""
    path = write_csv(tmp_path / "excel.csv", [STAFF, ALICE, [*BOB[:2], "Lefèvre", *BOB[3:]]])
    sheet = read_table(path)
    assert sheet.description.fr == "CSV, encodage Windows-1252, séparateur «\u00a0;\u00a0»"
    assert sheet.rows[2].cells[2] == "Lefèvre"


def test_a_quote_left_open_is_refused_as_a_file_cut_short(tmp_path: Path) -> None:
    """The rest of the file once went into one cell."""
    path = tmp_path / "cut.csv"
    path.write_text(";".join(STAFF) + "\n" + ";".join(ALICE) + '\nbob@example.org;"Bob\n')
    assert problems_of(path) == [
        "ligne 3\u00a0: guillemet ouvert jamais fermé\u00a0: le fichier est-il tronqué\u00a0?"
    ]


def test_a_row_cut_short_is_a_problem_not_blank_cells(network: Database, tmp_path: Path) -> None:
    """The last row cut mid-row: its missing cells would have cleared fields."""
    before = dump(network)
    path = tmp_path / "cut.csv"
    path.write_text(
        "\n".join(";".join(row) for row in [STAFF, ALICE, BOB]) + "\ncarol@example.org;Carol"
    )
    report = run_import(network, "staff", path)
    assert [problem.render() for problem in report.problems] == [
        "ligne 4\u00a0: ligne incomplète\u00a0: 2 cellule(s) sur 6 (fichier tronqué ou séparateurs "
        "manquants ?)\u00a0; une cellule vide s'écrit entre deux séparateurs"
    ]
    assert dump(network) == before
    path.write_text("\n".join(";".join(row) for row in [STAFF, ALICE, BOB]) + "\n")
    assert not run_import(network, "staff", path).problems


def xlsx(path: Path, sheets: dict[str, list[list[str]]], active: int = 0) -> Path:
    """A workbook with these sheets (rows of each), ``active`` the one shown on opening."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.active = active
    book.save(path)
    return path


def test_data_on_another_sheet_than_the_active_one_is_read_and_said(
    network: Database, tmp_path: Path
) -> None:
    """Once « no data rows » and exit 0: now the sheet holding data is read, and named."""
    path = xlsx(tmp_path / "b.xlsx", {"Feuil1": [], "Personnel": [STAFF, ALICE]})
    report = run_import(network, "staff", path, dry_run=True)
    assert not report.problems and report.rows == 1
    assert [note.render() for note in report.notes] == [
        "fichier : feuille « Personnel » lue : la seule qui contient des données "
        "(la feuille active «\u00a0Feuil1\u00a0» est vide)"
    ]
    assert report.description is not None
    assert report.description.en == "XLSX, sheet “Personnel”"


def test_other_sheets_with_data_are_named_when_the_active_one_is_read(tmp_path: Path) -> None:
    """A sheet of lists beside the data: the active sheet is read, the other one named."""
    path = xlsx(tmp_path / "b.xlsx", {"Listes": [["conseillère"]], "Personnel": [STAFF, ALICE]}, 1)
    sheet = read_table(path)
    assert len(sheet.rows) == 2
    assert [note.render("en") for note in sheet.notes] == [
        "file: only the active sheet “Personnel” is read; ignored, with data: “Listes”"
    ]


def test_data_on_several_sheets_but_not_the_active_one_is_ambiguous(tmp_path: Path) -> None:
    """Which one to import? The user says so by keeping one."""
    sheets = {"Vide": [], "Paris": [STAFF, ALICE], "SQY": [STAFF, BOB]}
    assert problems_of(xlsx(tmp_path / "b.xlsx", sheets)) == [
        "fichier : la feuille active « Vide » est vide et plusieurs feuilles contiennent des "
        "données (« Paris », « SQY ») : laissez les données à importer sur une seule feuille"
    ]


def test_a_workbook_spanning_too_many_cells_is_refused_before_it_is_walked(
    tmp_path: Path,
) -> None:
    """One cell at XFD1048576 would have the whole grid walked."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(STAFF)
    sheet["XFD1048576"] = "x"
    book.save(tmp_path / "far.xlsx")
    assert problems_of(tmp_path / "far.xlsx") == [
        "fichier : la feuille « Sheet » s'étend sur 1\u202f048\u202f576 lignes × 16\u202f384 "
        "colonnes (au plus 2\u202f000\u202f000 cellules)\u00a0: enregistrez-la en CSV"
    ]


def test_merged_cells_spanning_too_much_are_refused_before_openpyxl_fills_them(
    tmp_path: Path,
) -> None:
    """A tiny file merging A1:XFD1048576 would have openpyxl create 17 billion cells."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(STAFF)
    sheet.merge_cells("A2:B3")
    book.save(tmp_path / "merge.xlsx")
    with zipfile.ZipFile(tmp_path / "merge.xlsx") as source:
        parts = {name: source.read(name) for name in source.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = parts[name].replace(b'ref="A2:B3"', b'ref="A1:XFD1048576"')
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w") as target:
        for part, data in parts.items():
            target.writestr(part, data)
    assert problems_of(tmp_path / "bomb.xlsx") == [
        "fichier\u00a0: classeur XLSX aux cellules fusionnées démesurées (plus de "
        "2\u202f000\u202f000 cellules)"
    ]


def test_limits_of_size_rows_columns_and_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each limit refuses the file at the line it is passed, in one line."""
    path = tmp_path / "big.csv"
    path.write_text("\n".join(";".join(row) for row in [STAFF, ALICE, BOB]) + "\n")
    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 100)
    assert problems_of(path) == [
        "fichier\u00a0: fichier trop volumineux (plus de 0 Mo)\u00a0: découpez-le"
    ]
    monkeypatch.undo()
    monkeypatch.setattr(limits, "MAX_ROWS", 2)
    assert problems_of(path) == ["ligne 3\u00a0: plus de 2 lignes\u00a0: découpez le fichier"]
    monkeypatch.undo()
    path.write_text(";".join(STAFF) + "\n" + ";" * MAX_COLUMNS + "x\n")
    assert problems_of(path) == [
        "ligne 2\u00a0: plus de 500 colonnes\u00a0: le fichier est-il bien un tableau\u00a0?"
    ]
    path.write_text(";".join(STAFF) + "\n" + "x" * (MAX_CELL + 1) + "\n")
    assert problems_of(path) == [
        "ligne 2 : cellule de plus de 32\u202f767 caractères : le fichier est-il bien un tableau ?"
    ]


def test_the_report_lists_200_problems_then_counts_the_others(
    network: Database, tmp_path: Path
) -> None:
    """A 200 MB bad file once made a 207 MB report."""
    rows = [STAFF, *([f"p{n}@example.org", "P", "Q", "NOWHERE", "x", "1/1/1"] for n in range(150))]
    report = run_import(network, "staff", write_csv(tmp_path / "bad.csv", rows))
    assert len(report.problems) == 450
    lines = render_report(report).splitlines()
    assert lines[1] == "450 problème(s) — rien n'a été écrit\u00a0:"
    assert len(lines) == 2 + SHOWN_PROBLEMS + 1
    assert lines[-1] == "  … et 250 autres problèmes"
    assert render_report(report, "en").splitlines()[-1] == "  … and 250 more problem(s)"


def test_the_cli_exits_non_zero_on_a_hostile_file(
    network: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing written, one readable line, exit 1."""
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 5000)
    assert main(["--db", network.url, "import", "staff", str(path)]) == 1
    assert (
        f"ligne 1\u00a0: YAML imbriqué sur plus de {MAX_DEPTH} niveaux" in capsys.readouterr().out
    )
