"""Every assessment list says, by one rule, whether each assessment still counts today;
enter shows a line's whole detail (evidence, correction and its reason, who, when)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from certify.model import Assessment, Competency
from certify.rules.competencies import AssessmentStanding
from certify.rules.evidence import AssessmentEvidence, Finding
from certify.services.accounts import actor_for
from certify.services.assessments import correct_assessment
from certify.store.db import Database
from tests.tui.helpers import settle, sign_in
from tui.app import CertifyApp
from tui.screens.my_assessments import MyAssessmentsScreen
from tui.screens.person import PersonScreen
from tui.widgets.history import AssessmentDialog, HistoryView
from tui.widgets.progress import ProgressView

#: Fatoumata Konaté (a counsellor of the demo), whose ETH-01 and first ETH-05 no longer count.
FATOUMATA = 195
#: The demo counsellor, Léa Girard.
LEA = 14
#: Why the correction of Léa's CON-02 was made: longer than a status line.
REASON = (
    "Niveau revu après relecture de la grille d'observation avec le binôme : la reformulation "
    "de la demande était complète, seul le compte rendu écrit manquait encore de précision."
)


def cells(view: HistoryView) -> dict[tuple[str, date], str]:
    """(competency, day) → the « State » cell of each line shown."""
    table = view.query_one(DataTable)
    return {
        (line.competency_code, line.assessed_on): str(table.get_row(str(line.id))[4])
        for line in view.history.lines  # type: ignore[union-attr]
    }


async def open_person(pilot: Pilot[None], person_id: int) -> PersonScreen:
    """Push the page of ``person_id`` (as the staff list does)."""
    screen = PersonScreen(person_id)
    pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


@pytest.mark.asyncio
async def test_both_tabs_of_a_person_agree(demo_app: Callable[..., CertifyApp]) -> None:
    """« Assessments » says expired or replaced exactly where « Progress » finds so."""
    app = demo_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.reseau")
        screen = await open_person(pilot, FATOUMATA)
        await pilot.press("h")
        await settle(pilot)
        view = screen.query_one(HistoryView)
        shown = cells(view)
        assert shown["ETH-01", date(2023, 5, 10)] == "expired on 2026-05-10"
        assert shown["ETH-05", date(2023, 3, 17)] == "replaced by the assessment of 2024-02-07"
        assert shown["ETH-05", date(2024, 2, 7)] == "standing"
        standings = screen.query_one(ProgressView).standings
        assert any(
            "assessment of 2023-05-10 expired on 2026-05-10" in s.render("en") for s in standings
        )
        states = {line.id: line.state.standing for line in view.history.lines}  # type: ignore[union-attr]
        found = [
            (requirement.evidence.assessment_id, requirement.finding)
            for s in standings
            for requirement in s.explanation.requirements
            if isinstance(requirement.evidence, AssessmentEvidence)
        ]
        assert found
        for assessment_id, finding in found:
            expired = finding is Finding.ASSESSMENT_EXPIRED
            assert states[assessment_id] is (
                AssessmentStanding.EXPIRED if expired else AssessmentStanding.COUNTS
            )


@pytest.mark.asyncio
async def test_my_assessments_counts_what_counts(demo_app: Callable[..., CertifyApp]) -> None:
    """F3's heading counts the assessments in force: replaced and expired ones do not."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "conseiller")
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MyAssessmentsScreen)
        view = screen.query_one(HistoryView)
        assert len(view.history.lines) == 29  # type: ignore[union-attr]
        heading = str(screen.query_one("#person-card", Static).content)
        assert heading.endswith(" · 25 évaluations en vigueur")
        replaced = [key for key, state in cells(view).items() if state != "en vigueur"]
        assert sorted(replaced) == [
            ("ETH-05", date(2025, 3, 28)),
            ("INF-03", date(2025, 4, 14)),
            ("PRO-01", date(2026, 5, 21)),
            ("PRO-02", date(2026, 5, 21)),
        ]


@pytest.mark.asyncio
async def test_enter_shows_a_correction_whole(
    demo_app: Callable[..., CertifyApp], demo_url: str
) -> None:
    """On a correction, enter opens its level, reason, evidence, who and when, unabridged."""
    database = Database(demo_url)
    with database.transaction() as session:
        wrong = session.scalars(
            select(Assessment)
            .join(Competency, Competency.id == Assessment.competency_id)
            .where(Assessment.person_id == LEA, Competency.code == "CON-02")
        ).one()
        wrong_id, evidence = wrong.id, wrong.evidence
        fixed = correct_assessment(session, actor_for(session, "coord.paris"), wrong.id, 3, REASON)
        fixed.recorded_at = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    database.dispose()
    app = demo_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "conseiller")
        await pilot.press("f3")
        await settle(pilot)
        view = app.screen.query_one(HistoryView)
        lines = view.history.lines  # type: ignore[union-attr]
        table = view.query_one(DataTable)
        table.move_cursor(row=next(i for i, line in enumerate(lines) if line.correction_reason))
        await pilot.pause()
        summary = str(view.query_one("#line-detail", Static).content)
        assert "Enter: the whole detail" in summary
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, AssessmentDialog)
        text = "\n".join(str(fact.content) for fact in dialog.query(Static))
        assert f"Reason for the correction: {REASON}" in text
        assert f"Evidence: {evidence}" in text
        assert "State: standing\nExpires on 2029-02-13\n" in text
        assert "Corrects the assessment of 2026-02-13: 2 — Acquired by Ronan Faure" in text
        assert "Assessed on 2026-02-13 by Elif Doğan (simulation), recorded on 2026-11-20" in text
        await pilot.press("escape")
        assert app.screen.query_one(HistoryView) is view
        table.move_cursor(row=next(i for i, line in enumerate(lines) if line.id == wrong_id))
        await pilot.press("enter")
        text = "\n".join(str(fact.content) for fact in app.screen.query(Static))
        assert "State: corrected" in text
        assert "Corrected on 2026-11-20 by Elif Doğan: 3 — Expert" in text
        assert f"Reason for the correction: {REASON}" in text
