"""Matching what people type: names folded without case or accents, and close matches."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Generic, TypeVar

from certify.parsing import fold

#: What an index finds.
T = TypeVar("T")

#: Similarity (0–1) from which a known name is suggested.
CUTOFF = 0.75


def normal_form(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: how headers and labels match."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


class Index(Generic[T]):
    """Known names, folded once, each leading to a value; finds exact and close matches."""

    def __init__(self, entries: Iterable[tuple[str, T]] = ()) -> None:
        """Index ``(name, value)`` pairs."""
        self._values: dict[str, T] = {}
        self._names: dict[str, str] = {}
        for name, value in entries:
            self.add(name, value)

    def add(self, name: str, value: T) -> None:
        """Know ``name`` (the first value given for a folded name wins)."""
        folded = fold(name)
        self._values.setdefault(folded, value)
        self._names.setdefault(folded, name)

    def find(self, name: str) -> T | None:
        """The value of ``name``, whatever its case and accents."""
        return self._values.get(fold(name))

    def closest(self, name: str) -> str | None:
        """The known name closest to ``name``, if one is close enough."""
        match = difflib.get_close_matches(fold(name), self._names, n=1, cutoff=CUTOFF)
        return self._names[match[0]] if match else None


def closest(name: str, known: Iterable[str]) -> str | None:
    """The name of ``known`` closest to ``name``, if one is close enough."""
    return Index((k, k) for k in known).closest(name)
