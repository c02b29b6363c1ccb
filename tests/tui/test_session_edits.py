"""No edit lost, none stale, none doubled: a trainer's session, its dialogs and its grid."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from textual.events import Paste
from textual.pilot import Pilot
from textual.widgets import Input, Static

from certify.model import Assessment, Competency, Person
from tests.tui.helpers import Notices, settle, sign_in
from tui.app import CertifyApp
from tui.screens.assess import AssessScreen
from tui.screens.dialogs import TextDialog
from tui.screens.session import SessionScreen
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
        await pilot.press("2", "n")
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
