"""Unsaved edits of a screen: what was saved, what the user changed, what to write."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Generic, TypeVar

from certify.model import AssessmentMethod
from certify.services.assessments import GridMark
from certify.services.training import GridCell

#: Key of a changed value.
K = TypeVar("K")
#: A value.
V = TypeVar("V")


class Changes(Generic[K, V]):
    """Saved values and the user's pending changes to them, key by key."""

    def __init__(self, saved: dict[K, V]) -> None:
        """Start from the values stored in the database, with nothing changed."""
        #: Values as stored.
        self.saved = saved
        #: Values the user set that differ from the stored ones.
        self.pending: dict[K, V] = {}

    def current(self, key: K) -> V | None:
        """The value shown: the pending one, else the saved one (``None``: none)."""
        return self.pending.get(key, self.saved.get(key))

    def set(self, key: K, value: V) -> None:
        """Change a value; setting it back to the saved one cancels the change."""
        if self.saved.get(key) == value:
            self.pending.pop(key, None)
        else:
            self.pending[key] = value

    def carry(self, previous: Changes[K, V], keys: Collection[K]) -> None:
        """Take over ``previous``'s pending changes of ``keys`` (values read again, none lost)."""
        for key, value in previous.pending.items():
            if key in keys:
                self.set(key, value)

    def revert(self, key: K) -> None:
        """Forget the pending change of ``key``."""
        self.pending.pop(key, None)

    def is_pending(self, key: K) -> bool:
        """Whether ``key`` has an unsaved change."""
        return key in self.pending

    @property
    def dirty(self) -> bool:
        """Whether anything is unsaved."""
        return bool(self.pending)


@dataclass(frozen=True)
class Mark:
    """What a grid cell holds: a level, how it was assessed, and any evidence."""

    #: Level on the scale.
    level: int
    #: How it was assessed.
    method: AssessmentMethod
    #: Evidence or note.
    evidence: str = ""

    @classmethod
    def of(cls, cell: GridCell) -> Mark:
        """The mark of an assessment already recorded."""
        return cls(cell.level, cell.method, cell.evidence)


#: A grid cell: (person id, competency id).
Cell = tuple[int, int]


class GridDraft(Changes[Cell, Mark]):
    """The assessment grid of a session: marks recorded, marks typed, and the method in use."""

    def __init__(self, saved: dict[Cell, GridCell], levels: list[int]) -> None:
        """Start from the session's standing assessments and the levels of the scale."""
        super().__init__({cell: Mark.of(recorded) for cell, recorded in saved.items()})
        #: Levels on the scale.
        self.levels = levels
        #: Method given to cells that get their first level.
        self.method = AssessmentMethod.OBSERVATION

    def set_level(self, cell: Cell, level: int) -> None:
        """Give ``cell`` a level, keeping its method and evidence (or the method in use)."""
        mark = self.current(cell)
        self.set(cell, Mark(level, self.method) if mark is None else replace(mark, level=level))

    def set_method(self, cell: Cell, method: AssessmentMethod) -> None:
        """Use ``method`` from now on, and for ``cell`` if it has a level."""
        self.method = method
        if (mark := self.current(cell)) is not None:
            self.set(cell, replace(mark, method=method))

    def set_evidence(self, cell: Cell, evidence: str) -> None:
        """Write the evidence of a cell that has a level."""
        mark = self.current(cell)
        assert mark is not None, "evidence goes with a level"
        self.set(cell, replace(mark, evidence=evidence.strip()))

    def marks(self) -> list[GridMark]:
        """Every pending mark, to record in one call."""
        return [
            GridMark(person_id, competency_id, mark.level, mark.method, mark.evidence)
            for (person_id, competency_id), mark in sorted(self.pending.items())
        ]


class AttendanceDraft(Changes[int, Decimal]):
    """Hours present per participant, as recorded and as typed."""

    def all_present(self, module_hours: Decimal) -> None:
        """Everyone present for the whole module."""
        for person_id in self.saved:
            self.set(person_id, module_hours)

    def hours(self) -> dict[int, Decimal]:
        """Participant id → hours, for every pending change."""
        return dict(self.pending)
