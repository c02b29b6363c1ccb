"""Reading a ``Select``: its value, or ``None`` while nothing is chosen."""

from __future__ import annotations

from typing import TypeVar, cast

from textual.widgets import Select

#: The type of a select's values.
T = TypeVar("T")


def chosen(select: Select[T]) -> T | None:
    """The value chosen in ``select``, or ``None`` when nothing is."""
    return None if select.is_blank() else cast(T, select.value)
