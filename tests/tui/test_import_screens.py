"""Imports and PDF reports in the terminal UI: a coordinator checks a staff file, reads every
problem, imports a clean file all at once; the report dialog saves a readable PDF."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, OptionList, RadioButton, Select, Static

from certify.access.narrowing import DashboardFilters
from certify.model import Region
from certify.services.training import StaffHit, search_staff
from tests.tui.helpers import Notices, settle, sign_in
from tests.tui.import_files import BAD_ROWS, GOOD_ROWS, checked, write_staff
from tui.app import CertifyApp
from tui.saving import DOWNLOADS_ENV
from tui.screens.dialogs import TextDialog
from tui.screens.imports import ImportScreen
from tui.screens.reports import ReportDialog
from tui.widgets.file_path import PathSuggester

pytestmark = pytest.mark.asyncio

#: The kinds a coordinator may import: staff and records, no reference data nor certificates
#: issued elsewhere (administrators only).
COORDINATOR_KINDS = {"staff", "sessions", "assessments"}


def found(app: CertifyApp, text: str) -> list[StaffHit]:
    """Staff the signed-in user finds by ``text``, read through the service."""
    assert app.actor is not None
    with app.backend.database.reading() as session:
        return search_staff(session, app.actor, text, app.backend.today)


def options(widget: OptionList) -> list[str]:
    """The text of every line of an option list."""
    return [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]


def counts(screen: ImportScreen) -> list[list[str]]:
    """The counts table: a row per kind of data, as shown."""
    table = screen.query_one("#import-counts", DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
async def test_a_coordinator_checks_then_imports_a_staff_file(
    demo_app: Callable[..., CertifyApp], tmp_path: Path, encoding: str
) -> None:
    """The dry run counts what is new; ctrl+s imports every row; the people exist."""
    path = write_staff(tmp_path / "personnel.csv", GOOD_ROWS, encoding)
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(100, 30), message_hook=notices) as pilot:
        await checked(pilot, "coord.paris", str(path))
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        assert counts(screen) == [["Employeurs", "1", "0", "0"], ["Personnel", "2", "0", "0"]]
        source = str(screen.query_one("#import-source", Static).render())
        assert "personnel.csv" in source and "2 lignes de données" in source
        status = str(screen.query_one("#import-status", Static).render())
        assert status.startswith("Essai à blanc\u00a0: rien n'est encore écrit.")
        assert found(app, "Maréchal") == []
        assert not screen.query_one("#import", Button).disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notices.last == "Importé\u00a0: 3 ligne(s) créée(s), 0 modifiée(s)."
        assert counts(screen)[1] == ["Personnel", "2", "0", "0"]
        assert screen.query_one("#import", Button).disabled
        assert [hit.email for hit in found(app, "Maréchal")] == ["helene.marechal@example.org"]
        assert [hit.name for hit in found(app, "remi.nguyen")] == ["Rémi Nguyen"]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert counts(screen)[1] == ["Personnel", "0", "0", "2"]
        status = str(screen.query_one("#import-status", Static).render())
        assert status == "Rien à changer\u00a0: la base est déjà à jour."
        assert screen.query_one("#import", Button).disabled


async def test_every_problem_is_shown_and_the_file_cannot_be_imported(
    demo_app: Callable[..., CertifyApp], tmp_path: Path
) -> None:
    """A bad date and an unknown site, each by line and column; ctrl+s writes nothing."""
    path = write_staff(tmp_path / "personnel.csv", BAD_ROWS, "cp1252")
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await checked(pilot, "coord.paris", str(path))
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        problems = options(screen.query_one("#import-problems", OptionList))
        assert len(problems) == 2
        assert problems[0].startswith(
            "ligne 2, colonne Date d'entrée\u00a0: «\u00a031/02/2025\u00a0»"
        )
        assert problems[1] == (
            "ligne 3, colonne Site : « PARSI » n'est pas un site connu : vouliez-vous dire "
            "«\u00a0Cité des métiers de Paris-La Villette\u00a0» (PARIS)\u00a0?"
        )
        status = str(screen.query_one("#import-status", Static).render())
        assert status.startswith("2 problèmes\u00a0: rien ne peut être importé.")
        assert screen.query_one("#import", Button).disabled
        assert not screen.can_import()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert found(app, "Maréchal") == [] and found(app, "Nguyen") == []


async def test_a_new_path_forgets_the_report(
    demo_app: Callable[..., CertifyApp], tmp_path: Path
) -> None:
    """Once the path changes, the report no longer applies: nothing to import until checked."""
    path = write_staff(tmp_path / "personnel.csv", GOOD_ROWS, "utf-8-sig")
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await checked(pilot, "coord.paris", str(path))
        screen = app.screen
        assert isinstance(screen, ImportScreen) and screen.can_import()
        await pilot.press("x")
        await settle(pilot)
        assert not screen.can_import() and counts(screen) == []


async def test_a_missing_file_is_a_problem_not_a_crash(
    demo_app: Callable[..., CertifyApp], tmp_path: Path
) -> None:
    """A path to nothing gives one problem naming the file."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await checked(pilot, "coord.paris", str(tmp_path / "absent.csv"))
        problems = options(app.screen.query_one("#import-problems", OptionList))
        assert len(problems) == 1 and problems[0].startswith("fichier\u00a0: impossible de lire")


async def test_a_coordinator_is_not_offered_reference_data(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """coord.paris: staff and records only; the administrator: every kind, sites first."""
    offered: dict[str, list[str]] = {}
    for username in ("coord.paris", "admin"):
        app = demo_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, username)
            await pilot.press("f8")
            await settle(pilot)
            select = app.screen.query_one("#import-kind", Select)
            offered[username] = [str(value) for _, value in select._options]
            assert select.value == "staff"
    assert set(offered["coord.paris"]) == COORDINATOR_KINDS
    assert offered["admin"][:3] == ["sites", "staff", "framework"]
    assert len(offered["admin"]) == 8


async def test_staff_have_no_imports(demo_app: Callable[..., CertifyApp]) -> None:
    """A counsellor has no imports mode: F8 does nothing."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "conseiller")
        assert "imports" not in {mode.name for mode in app.signed_in_modes}
        await pilot.press("f8")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)


async def save_report(
    pilot: Pilot[None], app: CertifyApp, filters: DashboardFilters, qualiopi: bool = False
) -> ReportDialog:
    """Open the report dialog for ``filters`` (the Qualiopi evidence if asked) and save."""
    dialog = ReportDialog(filters)
    app.push_screen(dialog)
    await settle(pilot)
    if qualiopi:
        dialog.query_one("#qualiopi", RadioButton).value = True
        await settle(pilot)
    return dialog


def title_of(path: Path) -> str:
    """The title in a PDF's metadata."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert reader.metadata is not None
    return str(reader.metadata.title)


async def test_the_report_dialog_saves_the_progress_report(
    demo_app: Callable[..., CertifyApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """coord.paris saves the progress report of their scope in the downloads folder."""
    monkeypatch.setenv(DOWNLOADS_ENV, str(tmp_path))
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(100, 30), message_hook=notices) as pilot:
        await sign_in(pilot, "coord.paris")
        dialog = await save_report(pilot, app, DashboardFilters())
        scope = str(dialog.query_one("#report-scope", Static).render())
        assert scope == (
            "Périmètre : Cité des métiers de Paris-La Villette (tous les programmes et employeurs)"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        expected = tmp_path / "rapport-progression-2026-11-21.pdf"
        assert app.screen.query_one(Input).value == str(expected)
        await pilot.press("enter")
        await settle(pilot)
        assert notices.last == f"Enregistré\u00a0: {expected}"
    assert title_of(expected) == (
        "Progression des certifications — Cité des métiers de Paris-La Villette"
    )


async def test_the_report_dialog_saves_the_qualiopi_evidence_of_a_region(
    demo_app: Callable[..., CertifyApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filtered on their region, coord.paris gets the Qualiopi evidence of their part of it."""
    monkeypatch.setenv(DOWNLOADS_ENV, str(tmp_path))
    app = demo_app()
    with app.backend.database.reading() as session:
        region = session.scalar(select(Region.id).where(Region.name == "Île-de-France"))
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "coord.paris")
        dialog = await save_report(pilot, app, DashboardFilters(region_id=region), qualiopi=True)
        assert dialog.query_one("#report-start", Input).value == "21/11/2025"
        await pilot.press("ctrl+s", "enter")
        await settle(pilot)
    saved = tmp_path / "preuves-qualiopi-2026-11-21.pdf"
    assert title_of(saved) == (
        "Preuves Qualiopi — indicateurs 21 et 22 — "
        "Île-de-France — Cité des métiers de Paris-La Villette"
    )


async def test_the_report_dialog_refuses_a_wrong_period(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """An impossible date or a period ending before it starts stays in the dialog, explained."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "coord.paris")
        dialog = await save_report(pilot, app, DashboardFilters(), qualiopi=True)
        dialog.query_one("#report-end", Input).value = "31/02/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#report-error", Static).render())
        assert error == "'31/02/2026' n'est pas une date\u00a0: écrivez-la comme 21/11/2026"
        dialog.query_one("#report-end", Input).value = "01/01/2025"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#report-error", Static).render())
        assert error == "La période commence après sa fin."


async def test_the_path_completes_with_folders_and_spreadsheets(tmp_path: Path) -> None:
    """Typing part of a name completes it: folders get a ``/``; other files are not offered."""
    (tmp_path / "personnel.csv").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "exports").mkdir()
    suggester = PathSuggester()
    assert await suggester.get_suggestion(f"{tmp_path}/pe") == f"{tmp_path}/personnel.csv"
    assert await suggester.get_suggestion(f"{tmp_path}/ex") == f"{tmp_path}/exports/"
    assert await suggester.get_suggestion(f"{tmp_path}/no") is None
    assert await suggester.get_suggestion(f"{tmp_path}/") == f"{tmp_path}/exports/"


def column_rows(screen: ImportScreen) -> list[list[str]]:
    """The columns table: header, required mark, what a cell holds."""
    table = screen.query_one("#import-columns", DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_the_screen_shows_each_kinds_columns_and_saves_a_template_that_imports(
    demo_app: Callable[..., CertifyApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before any file, the chosen kind's columns show with what each holds; another kind
    shows its own; f9 saves an empty file of it whose header row imports once filled in."""
    monkeypatch.setenv(DOWNLOADS_ENV, str(tmp_path))
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await sign_in(pilot, "coord.paris")
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        staff = column_rows(screen)
        assert staff[0] == ["Adresse e-mail", "*", "adresse e-mail"]
        assert ["Date d'entrée", "*", "date JJ/MM/AAAA"] in staff
        assert ["Date de sortie", "", "date JJ/MM/AAAA"] in staff
        roles = next(row for row in staff if row[0] == "Rôles")
        assert "accueil, conseiller" in roles[2] and "liste séparée par des virgules" in roles[2]
        screen.query_one("#import-kind", Select).value = "sessions"
        await settle(pilot)
        assert column_rows(screen)[0] == ["Module", "*", "code ou nom"]
        screen.query_one("#import-kind", Select).value = "staff"
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        template = tmp_path / "modele-personnel.csv"
        assert app.screen.query_one(Input).value == str(template)
        await pilot.press("enter")
        await settle(pilot)
        assert notices.last == f"Enregistré\u00a0: {template}"
        header = template.read_text(encoding="utf-8-sig").splitlines()
        assert header == [";".join(row[0] for row in staff)]
        filled = tmp_path / "rempli.csv"
        filled.write_text(
            f"{header[0]}\nines.ferreira@example.org;Inês;Ferreira;PARIS;;conseiller;"
            "02/03/2025;;fr\n",
            encoding="utf-8-sig",
        )
        screen.query_one("#import-path", Input).value = str(filled)
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.query_one("#import-columns", DataTable).display
        assert counts(screen)[-1] == ["Personnel", "1", "0", "0"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notices.last.startswith("Importé")
        screen.query_one("#import-kind", Select).value = "sessions"
        await settle(pilot)
        assert screen.query_one("#import-columns", DataTable).display
        assert column_rows(screen)[0] == ["Module", "*", "code ou nom"]
