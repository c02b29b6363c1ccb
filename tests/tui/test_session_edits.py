"""No edit lost, none stale, none doubled: a trainer's session, its dialogs and its grid."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from textual.coordinate import Coordinate
from textual.events import Paste
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from certify.model import Assessment, Attendance, Competency, Person
from certify.services.training import Participant
from tests.tui.helpers import Notices, settle, sign_in
from tui.app import CertifyApp
from tui.drafts import Cell
from tui.i18n import use_language
from tui.screens.assess import AssessScreen
from tui.screens.correction import CorrectionDialog
from tui.screens.dialogs import ConfirmDialog, TextDialog
from tui.screens.history import HistoryScreen
from tui.screens.session import SessionScreen
from tui.screens.session_form import SessionFormScreen, removal_question
from tui.widgets.attendance import AttendanceTable
from tui.widgets.grid import AssessmentGrid

pytestmark = pytest.mark.asyncio


async def open_session(pilot: Pilot[None], app: CertifyApp) -> SessionScreen:
    """Sign in as the demo trainer and open their first session."""
    await sign_in(pilot, "formateur")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, SessionScreen)
    return app.screen


async def test_refused_hours_stay_in_the_dialog_with_the_person_named(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Hours beyond the module's stay in the dialog, refused there by the person's name
    with a decimal comma; fixed, they are kept; a word that is not hours is refused too."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_session(pilot, app)
        table = screen.query_one(AttendanceTable)
        detail = screen._detail
        assert detail is not None
        first = detail.participants[0]
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, TextDialog)
        field = dialog.query_one(Input)
        field.value = "22,5"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        refusal = str(dialog.query_one("#refusal", Static).render())
        assert (
            refusal == f"{first.name}\u00a0: 22,5 h n'est pas entre 0 et 21 h, la durée du module"
        )
        field.value = "beaucoup"
        await pilot.press("enter")
        assert app.screen is dialog
        assert "n'est pas un nombre d'heures" in str(dialog.query_one("#refusal", Static).render())
        field.value = "20,5"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert table.draft is not None and str(table.draft.current(first.person_id)) == "20.5"


async def pick(pilot: Pilot[None], picker: str, text: str) -> None:
    """Find ``text`` in a picker and take its first hit."""
    pilot.app.screen.query_one(f"#{picker} Input", Input).value = text
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def assessments_of(app: CertifyApp, email: str) -> list[tuple[str, int, str]]:
    """(competency code, level, evidence) of every assessment of a person, oldest first."""
    with app.backend.database.reading() as session:
        rows = session.execute(
            select(Competency.code, Assessment.level, Assessment.evidence)
            .join(Assessment, Assessment.competency_id == Competency.id)
            .join(Person, Person.id == Assessment.person_id)
            .where(Person.email == email)
            .order_by(Assessment.id)
        )
        return [(code, level, evidence) for code, level, evidence in rows]


async def test_one_assessment_saved_twice_is_recorded_once(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """After saving, the competency and the level are cleared: a second ctrl+s records no
    duplicate but asks for them; a pasted note of three lines keeps them all, on one line;
    the field reminds the Charter's anonymity of the public."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(100, 40), message_hook=notices) as pilot:
        await sign_in(pilot, "formateur")
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        hints = [str(hint.render()) for hint in screen.query(".hint")]
        assert any("anonymat du public" in hint for hint in hints), hints
        await pick(pilot, "person", "nathalie.andre")
        await pick(pilot, "competency", "ETH-02")
        assert screen._person is not None
        email = screen._person.email
        before = assessments_of(app, email)
        await pilot.press("enter", "down", "down", "enter")  # level 1
        evidence = screen.query_one("#evidence", Input)
        evidence.post_message(Paste("A accueilli sans attente\n\n  Orienté vers l'atelier CV\n"))
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notices.last == "Évaluation enregistrée."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notices.last == "Choisissez une personne, une compétence et un niveau."
        assert str(screen.query_one("#competency-chosen", Static).render()) == (
            "Aucune compétence choisie."
        )
    added = assessments_of(app, email)[len(before) :]
    assert added == [("ETH-02", 1, "A accueilli sans attente / Orienté vers l'atelier CV")]


async def test_the_grid_says_why_a_digit_off_the_scale_sets_nothing(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Typing 7 on a 0–3 scale sets nothing and says so; a note pasted on three lines keeps
    them all, on one line, under the Charter's reminder."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(100, 30), message_hook=notices) as pilot:
        screen = await open_session(pilot, app)
        grid = screen.query_one(AssessmentGrid)
        await pilot.press("f6", "7")
        await settle(pilot)
        assert grid.draft is not None and not grid.draft.pending
        assert notices.last == "7 n'est pas un niveau de cette échelle\u00a0: tapez de 0 à 3."
        await pilot.press("2", "left", "n")  # the digit moved on: back to its cell
        dialog = app.screen
        assert isinstance(dialog, TextDialog)
        hints = " ".join(str(hint.render()) for hint in dialog.query(".hint"))
        assert "anonymat du public" in hints
        dialog.query_one(Input).post_message(Paste("Accueil fluide\nOrientation juste"))
        await settle(pilot)
        await pilot.press("enter")
        cell = grid.current_cell()
        assert cell is not None
        mark = grid.draft.current(cell)
        assert mark is not None and mark.evidence == "Accueil fluide / Orientation juste"


def attendance_and_assessments(app: CertifyApp, session_id: int, person_id: int) -> tuple[int, int]:
    """How many attendance rows and assessments a person has in a session."""
    with app.backend.database.reading() as session:
        rows = session.scalar(
            select(func.count())
            .select_from(Attendance)
            .where(Attendance.session_id == session_id, Attendance.person_id == person_id)
        )
        marks = session.scalar(
            select(func.count())
            .select_from(Assessment)
            .where(Assessment.session_id == session_id, Assessment.person_id == person_id)
        )
    return rows or 0, marks or 0


async def test_removing_a_participant_with_records_asks_first(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Delete on a participant with hours and assessments here says what becomes of them,
    « Rester » first; one with no record goes at once; saved, the assessments stay."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        screen = await open_session(pilot, app)
        detail = screen._detail
        assert detail is not None
        assessed = next(p for p in detail.participants if p.hours_present and p.assessments)
        unrecorded = next(p for p in detail.participants if not p.hours_present)
        assert unrecorded.assessments == 0
        assert attendance_and_assessments(app, screen.session_id, assessed.person_id) == (1, 2)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SessionFormScreen)
        options = form.query_one("#participants", OptionList)
        options.focus()

        async def delete(person_id: int) -> None:
            """Highlight a participant and press Delete."""
            options.highlighted = options.get_option_index(str(person_id))
            await pilot.press("delete")

        await delete(unrecorded.person_id)
        assert app.screen is form and unrecorded.person_id not in form._participants
        await delete(assessed.person_id)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        hours = str(assessed.hours_present.normalize()).replace(".", ",")
        assert str(dialog.query_one(Static).render()) == (
            f"Retirer {assessed.name}\u00a0: ses {hours} h de présence sont supprimées, "
            "ses 2 évaluations de cette session restent (corrigez-les depuis son historique)."
        )
        await pilot.press("enter")  # the focused button is « Rester »
        assert app.screen is form and assessed.person_id in form._participants
        await delete(assessed.person_id)
        await pilot.press("tab", "enter")  # « Retirer »
        assert app.screen is form and assessed.person_id not in form._participants
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and notices.last == "Session enregistrée."
    assert attendance_and_assessments(app, screen.session_id, assessed.person_id) == (0, 2)


async def test_the_removal_question_names_only_what_there_is() -> None:
    """Hours only, assessments only, or nothing to ask about."""
    use_language("fr")
    person = Participant(1, "Koffi Mensah", "koffi.mensah@limoges.cdm-demo.org", Decimal(6))
    assert removal_question(person) == (
        "Retirer Koffi Mensah\u00a0: ses 6 h de présence sont supprimées."
    )
    assert removal_question(replace(person, hours_present=Decimal(0), assessments=1)) == (
        "Retirer Koffi Mensah\u00a0: son évaluation de cette session reste (corrigez-la depuis "
        "son historique)."
    )
    assert removal_question(replace(person, hours_present=Decimal("0.00"))) is None


def coordinate_of(grid: AssessmentGrid, cell: Cell) -> Coordinate:
    """Where a (person, competency) cell is in the grid."""
    return grid.get_cell_coordinate(str(cell[0]), str(cell[1]))


async def test_a_correction_made_from_the_grid_shows_there_unsaved_cells_kept(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """h, c, a new level and a reason: back on the grid, the cell shows the corrected level,
    and a cell typed before and not saved is still there, unsaved."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        screen = await open_session(pilot, app)
        grid = screen.query_one(AssessmentGrid)
        detail = screen._detail
        assert grid.draft is not None and detail is not None
        cells = [(p.person_id, c.id) for p in detail.participants for c in detail.competencies]
        recorded = next(cell for cell in cells if cell in grid.draft.saved)
        typed = next(cell for cell in cells if cell not in grid.draft.saved)
        level = grid.draft.saved[recorded].level
        corrected = (level + 1) % 4
        await pilot.press("f6")
        grid.cursor_coordinate = coordinate_of(grid, typed)
        await pilot.press("2")
        grid.cursor_coordinate = coordinate_of(grid, recorded)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("c")
        assert isinstance(app.screen, CorrectionDialog)
        await pilot.press("enter", str(corrected), "enter", "tab", *"mauvaise ligne", "ctrl+s")
        await settle(pilot)
        assert notices.last.startswith("Évaluation corrigée")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        draft = grid.draft
        assert draft is not None and draft.saved[recorded].level == corrected
        assert not draft.is_pending(recorded)
        assert str(grid.get_cell_at(coordinate_of(grid, recorded))).startswith(f"{corrected} ")
        mark = draft.current(typed)
        assert draft.is_pending(typed) and mark is not None and mark.level == 2
        assert grid.cursor_coordinate == coordinate_of(grid, recorded)


async def test_typing_a_level_moves_to_the_next_cell(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Each digit fills a cell and moves right; after a row's last competency, the next
    participant's first: a whole row typed without arrows."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_session(pilot, app)
        grid = screen.query_one(AssessmentGrid)
        detail = screen._detail
        assert detail is not None
        width = len(detail.competencies)
        await pilot.press("f6", *["1"] * width, "2")
        first, second = detail.participants[:2]
        assert grid.draft is not None
        levels = [grid.draft.current((first.person_id, c.id)) for c in detail.competencies]
        assert [mark.level if mark else None for mark in levels] == [1] * width
        mark = grid.draft.current((second.person_id, detail.competencies[0].id))
        assert mark is not None and mark.level == 2
        assert grid.cursor_coordinate == Coordinate(1, 2 if width > 1 else 1)
