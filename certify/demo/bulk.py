"""Bulk inserts of plain rows, with primary keys assigned in Python."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from certify.model import Base, table_of

#: Rows sent to the database in one statement.
BATCH_SIZE = 10_000


def next_id(session: Session, model: type[Base]) -> int:
    """The first free id of ``model``'s table (after the current maximum)."""
    return int(session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0) + 1  # type: ignore[attr-defined]


class BulkWriter:
    """Buffers rows per model and inserts them in batches, parents before children."""

    def __init__(self, session: Session, order: Sequence[type[Base]]) -> None:
        """Write through ``session``; ``order`` lists the models, referenced ones first."""
        self._session = session
        self._buffers: dict[type[Base], list[dict[str, Any]]] = {model: [] for model in order}
        #: Rows written so far, per model.
        self.counts: dict[type[Base], int] = dict.fromkeys(order, 0)

    def add(self, model: type[Base], row: dict[str, Any]) -> None:
        """Queue one row; write every buffer once this one is full."""
        buffer = self._buffers[model]
        buffer.append(row)
        if len(buffer) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        """Insert every queued row, model by model in dependency order."""
        for model, rows in self._buffers.items():
            if rows:
                self._session.execute(insert(table_of(model)), rows)
                self.counts[model] += len(rows)
                rows.clear()
