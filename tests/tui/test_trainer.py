"""A trainer's work end to end, against a real database file: attendance, the 12 × 6 grid,
reopening it, correcting an assessment and reading the history."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select
from textual.widgets import Input

from certify.model import Assessment, TrainingSession
from certify.services.training import search_staff, session_detail
from tests.tui.helpers import Notices, settle, sign_in
from tui.app import CertifyApp
from tui.screens.correction import CorrectionDialog
from tui.screens.dialogs import ConfirmDialog, TextDialog
from tui.screens.history import HistoryScreen
from tui.screens.session import SessionScreen
from tui.screens.session_form import SessionFormScreen
from tui.screens.sessions import SessionsScreen
from tui.widgets.grid import AssessmentGrid

pytestmark = pytest.mark.asyncio

#: Levels typed into the 12 × 6 grid: row r, column c gets (r + c) % 4.
ROWS, COLUMNS = 12, 6


def level(row: int, column: int) -> int:
    """The level the test types at a cell."""
    return (row + column) % 4


async def test_attendance_all_present_then_one_edited(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """« All present », one person's hours typed, saved in one go; the database agrees."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(100, 30), message_hook=notices) as pilot:
        await sign_in(pilot, "formateur")
        assert isinstance(app.screen, SessionsScreen)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await pilot.press("p", "down", "enter")
        assert isinstance(app.screen, TextDialog)
        await pilot.press("7", ",", "5", "enter", "ctrl+s")
        await settle(pilot)
        assert notices.last == "Présences enregistrées\u00a0: 3 modifications."
        assert not screen.has_unsaved_changes()
    with app.backend.database.reading() as session:
        actor = app.actor
        assert actor is not None
        detail = session_detail(session, actor, screen.session_id)
    hours = [p.hours_present for p in detail.participants]
    assert hours[1] == Decimal("7.5") and set(hours[:1] + hours[2:]) == {Decimal(21)}


async def test_a_twelve_by_six_grid_typed_saved_reopened_and_corrected(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Create a session of 12 on a 6-competency module, type the grid, save it in one
    transaction, find the values on reopening, correct one and see both in the history."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await sign_in(pilot, "formateur")
        actor = app.actor
        assert actor is not None
        with app.backend.database.reading() as session:
            people = [
                hit
                for hit in search_staff(
                    session, actor, "", app.backend.today, site_id=actor.site_id, limit=40
                )
                if hit.id != actor.person_id
            ][:ROWS]
        assert len(people) == ROWS

        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SessionFormScreen)
        await pilot.press("enter", *"M99", "enter")  # the module select: type-to-search
        await settle(pilot)
        search = form.query_one("#staff Input", Input)
        search.focus()
        for person in people:
            search.value = person.email  # as if typed: one search instead of one per key
            await settle(pilot)
            await pilot.press("enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionScreen), notices.messages

        await pilot.press("f6")
        for row in range(ROWS):  # each digit moves on: a row's end goes to the next row
            await pilot.press(*(str(level(row, column)) for column in range(COLUMNS)))
        grid = screen.query_one(AssessmentGrid)
        assert grid.draft is not None and len(grid.draft.pending) == ROWS * COLUMNS
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notices.last == "72 évaluations enregistrées."
        with app.backend.database.reading() as session:
            new = session.get(TrainingSession, screen.session_id)
            assert new is not None and new.ends_on >= app.backend.today  # a session of today
            days = session.scalars(
                select(Assessment.assessed_on).where(Assessment.session_id == new.id)
            ).all()
        assert days == [app.backend.today] * ROWS * COLUMNS  # a running session: today

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # the new session heads the list
        await settle(pilot)
        reopened = app.screen
        assert isinstance(reopened, SessionScreen) and reopened.session_id == screen.session_id
        grid = reopened.query_one(AssessmentGrid)
        assert grid.draft is not None and not grid.draft.pending
        detail = reopened._detail
        assert detail is not None
        found = {
            (person, competency): grid.draft.current((p.person_id, c.id))
            for person, p in enumerate(detail.participants)
            for competency, c in enumerate(detail.competencies)
        }
        assert len(found) == ROWS * COLUMNS
        typed_order = {p.id: row for row, p in enumerate(people)}
        for (person, competency), mark in found.items():
            row = typed_order[detail.participants[person].person_id]
            assert mark is not None and mark.level == level(row, competency)

        await pilot.press("f6", "h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("c")
        assert isinstance(app.screen, CorrectionDialog)
        first = level(typed_order[detail.participants[0].person_id], 0)
        corrected = (first + 1) % 4
        await pilot.press("enter", *str(corrected), "enter", "tab")
        await pilot.press(*"niveau saisi sur la mauvaise ligne", "ctrl+s")
        await settle(pilot)
        assert notices.last.startswith("Évaluation corrigée")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        lines = history.query_one("HistoryView").history.lines  # type: ignore[attr-defined]
        code = detail.competencies[0].code
        mine = [line for line in lines if line.competency_code == code]
        assert [(line.level, line.superseded_by is None) for line in mine[:2]] == [
            (corrected, True),
            (first, False),
        ]
        assert mine[0].correction_reason == "niveau saisi sur la mauvaise ligne"


async def test_leaving_a_grid_with_unsaved_cells_asks_first(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Escape with an unsaved cell asks; « Rester » keeps the edit, « Partir » drops it."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "formateur")
        await pilot.press("enter")
        await settle(pilot)
        session_screen = app.screen
        assert isinstance(session_screen, SessionScreen)
        await pilot.press("f6", "down", "3", "escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # the focused button is « Rester »
        assert app.screen is session_screen and session_screen.has_unsaved_changes()
        await pilot.press("escape")
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionsScreen)


async def test_saving_one_tab_keeps_what_is_typed_in_the_other(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Saving attendance refreshes attendance only: a grid cell typed before stays pending."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(100, 30), message_hook=notices) as pilot:
        await sign_in(pilot, "formateur")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await pilot.press("f6", "0", "f5", "p", "ctrl+s")
        await settle(pilot)
        assert notices.last.startswith("Présences enregistrées")
        grid = screen.query_one(AssessmentGrid).draft
        assert grid is not None and len(grid.pending) == 1


async def test_f2_in_a_session_goes_back_to_the_sessions(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """F2 inside the trainer mode: from the history over a session, straight back to the
    list; from a grid with an unsaved cell, asking first (« Rester » keeps it)."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "formateur")
        sessions = app.screen
        assert isinstance(sessions, SessionsScreen)
        await pilot.press("enter", "f6", "h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is sessions and len(app.screen_stack) == 1
        await pilot.press("enter")
        await settle(pilot)
        session_screen = app.screen
        assert isinstance(session_screen, SessionScreen)
        await pilot.press("f6", "3", "f2")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # the focused button is « Rester »
        await settle(pilot)
        assert app.screen is session_screen and session_screen.has_unsaved_changes()
        await pilot.press("f2")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert app.screen is sessions and len(app.screen_stack) == 1
