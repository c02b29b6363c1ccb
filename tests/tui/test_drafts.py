"""Unsaved edits: what is pending, what setting a value back does, what gets written."""

from __future__ import annotations

from decimal import Decimal

from certify.model import AssessmentMethod
from certify.services.training import GridCell
from tui.drafts import AttendanceDraft, GridDraft, Mark

OBSERVATION, QUIZ = AssessmentMethod.OBSERVATION, AssessmentMethod.QUIZ


def test_grid_cells_keep_their_method_and_evidence() -> None:
    """A new level keeps a recorded cell's method; new cells take the method in use."""
    draft = GridDraft({(1, 10): GridCell(5, 2, QUIZ, "vu")}, [0, 1, 2, 3])
    draft.set_level((1, 10), 3)
    draft.set_method((2, 10), AssessmentMethod.ENTRETIEN)
    draft.set_level((2, 10), 1)
    assert draft.current((1, 10)) == Mark(3, QUIZ, "vu")
    assert draft.current((2, 10)) == Mark(1, AssessmentMethod.ENTRETIEN)
    assert draft.current((3, 10)) is None


def test_setting_a_cell_back_cancels_its_change() -> None:
    """Typing the recorded level again, or undo, leaves nothing to save."""
    draft = GridDraft({(1, 10): GridCell(5, 2, OBSERVATION, "")}, [0, 1, 2, 3])
    draft.set_level((1, 10), 3)
    assert draft.dirty
    draft.set_level((1, 10), 2)
    assert not draft.dirty
    draft.set_level((2, 10), 0)
    draft.revert((2, 10))
    assert not draft.dirty


def test_pending_cells_become_one_batch() -> None:
    """Every pending cell, in a stable order, with the method in use and trimmed evidence."""
    draft = GridDraft({}, [0, 1, 2, 3])
    draft.set_level((2, 11), 1)
    draft.set_level((1, 10), 2)
    draft.set_evidence((1, 10), "  a observé  ")
    marks = draft.marks()
    assert [(m.person_id, m.competency_id, m.level, m.evidence) for m in marks] == [
        (1, 10, 2, "a observé"),
        (2, 11, 1, ""),
    ]
    assert {m.method for m in marks} == {OBSERVATION}


def test_all_present_changes_only_those_who_were_not() -> None:
    """Everyone gets the module's hours; those who had them are not changes."""
    draft = AttendanceDraft({1: Decimal(14), 2: Decimal(0), 3: Decimal("3.5")})
    draft.all_present(Decimal(14))
    assert draft.hours() == {2: Decimal(14), 3: Decimal(14)}
