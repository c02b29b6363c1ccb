"""Matching what people type: names in one normal form, and close matches.

A reference is matched by its code or by its name the way a coordinator's spreadsheet
writes it: whatever the case, the accents, the spacing and punctuation, and without the
prefix « Cité des métiers de / du / des / d' » (« marseille et de provence alpes cote
d'azur » is the Cité des métiers de Marseille et de Provence-Alpes-Côte d'Azur). Every
import matches through :func:`matching_form`; a name that matches none gets the closest
known one, compared whole or by its first words (« Marseile » finds « Marseille et de… »).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from certify.parsing import fold

#: What an index finds.
T = TypeVar("T")

#: Similarity (0–1) from which a known name is suggested.
CUTOFF = 0.75
#: The network's prefix of a site's name, in normal form (« Cité des métiers de … »).
_PREFIX = re.compile(r"^cite des metiers (?:de |du |des |d )?(?=\S)")


def normal_form(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: how headers and labels match."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def matching_form(text: str) -> str:
    """:func:`normal_form` without the prefix « Cité des métiers de »: how references match."""
    return _PREFIX.sub("", normal_form(text))


def _heads(form: str) -> Iterator[str]:
    """The first words of a name in matching form, one word more each time (the whole last)."""
    words = form.split()
    for count in range(1, len(words) + 1):
        yield " ".join(words[:count])


class Index(Generic[T]):
    """Known names in matching form, each leading to its values; finds exact and close matches."""

    def __init__(self, entries: Iterable[tuple[str, T]] = ()) -> None:
        """Index ``(name, value)`` pairs."""
        self._values: dict[str, list[T]] = {}
        self._names: dict[str, str] = {}
        for name, value in entries:
            self.add(name, value)

    def add(self, name: str, value: T) -> None:
        """Know ``name`` as one name of ``value`` (several values may share a name)."""
        form = matching_form(name) or fold(name)
        values = self._values.setdefault(form, [])
        if value not in values:
            values.append(value)
        self._names.setdefault(form, name)

    def matches(self, name: str) -> list[T]:
        """Every value named ``name``, whatever its case, accents, spacing and prefix."""
        return list(self._values.get(matching_form(name) or fold(name), ()))

    def find(self, name: str) -> T | None:
        """The value named ``name``, when exactly one is."""
        found = self.matches(name)
        return found[0] if len(found) == 1 else None

    def closest_entry(self, name: str, *, by_heads: bool = True) -> tuple[str, T] | None:
        """The known name closest to ``name`` (whole, or by its first words too), and its value."""
        heads: dict[str, str] = {}
        for form in self._names:
            for head in _heads(form) if by_heads else (form,):
                heads.setdefault(head, form)
        match = difflib.get_close_matches(
            matching_form(name) or fold(name), heads, n=1, cutoff=CUTOFF
        )
        if not match:
            return None
        form = heads[match[0]]
        return self._names[form], self._values[form][0]

    def closest(self, name: str) -> str | None:
        """The known name closest to ``name`` (compared whole), if one is close enough."""
        entry = self.closest_entry(name, by_heads=False)
        return entry[0] if entry else None


def closest(name: str, known: Iterable[str]) -> str | None:
    """The name of ``known`` closest to ``name``, if one is close enough."""
    return Index((k, k) for k in known).closest(name)
