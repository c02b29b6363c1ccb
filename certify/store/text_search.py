"""Search as you type, without case or accents, in SQL, the same on SQLite and PostgreSQL.

Folding every row's text in the query (PostgreSQL's ``unaccent`` is an extension that
may be missing; SQLite has no such function; a Python function per row, or
``normalize()`` and ``translate()`` on PostgreSQL, cost three to thirty times a plain
scan of 50,000 staff) would make every keystroke slow. So the *typed* text is folded
instead, and each of its letters becomes the class of every way it may be written:
« helene » → ``[hHĥĤ…][eEéÉèÈêÊëË…][lLłŁ…]…``. SQLite matches the classes with ``GLOB``,
PostgreSQL with a regular expression: both run in C, as fast as a ``LIKE``. Each word
typed must appear somewhere in the text searched, in any order. Ligatures (œ, æ, ß)
match only as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import ColumnElement, SQLColumnExpression, and_

from certify.parsing import fold as fold_accents

#: Letters with a stroke, which Unicode does not decompose, and their plain letter.
STROKES = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t"})
#: Unicode blocks of accented Latin letters (Latin-1 to Extended-B, Extended Additional).
ACCENTED = (range(0xC0, 0x250), range(0x1E00, 0x1F00))


def fold(text: str) -> str:
    """Lower case, without accents or strokes: what a letter of a search is compared as."""
    return fold_accents(text).translate(STROKES)


def _ranges(characters: set[str]) -> str:
    """The members of a class, runs of consecutive code points written as ranges (``è-ë``).

    Fewer members to compare: SQLite reads a class member by member.
    """
    runs: list[list[int]] = []
    for point in sorted(map(ord, characters)):
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return "".join(
        chr(first) if first == last else f"{chr(first)}-{chr(last)}" for first, last in runs
    )


def _variants() -> dict[str, str]:
    """Each plain letter → every way of writing it, in both cases, as class members."""
    spellings = {letter: {letter, letter.upper()} for letter in "abcdefghijklmnopqrstuvwxyz"}
    for block in ACCENTED:
        for character in map(chr, block):
            plain = fold(character)
            if character.isalpha() and plain in spellings:
                spellings[plain].add(character)
    return {letter: _ranges(found) for letter, found in spellings.items()}


#: Each plain letter → its spellings.
VARIANTS = _variants()


def _pattern(word: str, literal: Callable[[str], str]) -> str:
    """The classes of a folded word; characters other than letters through ``literal``."""
    parts = []
    for character in word:
        if character in VARIANTS:
            parts.append(f"[{VARIANTS[character]}]")
        elif character.isalpha() and character != character.upper():
            parts.append(f"[{character}{character.upper()}]")
        else:
            parts.append(literal(character))
    return "".join(parts)


def _glob_literal(character: str) -> str:
    """A character GLOB reads as itself."""
    return f"[{character}]" if character in "*?[" else character


def glob_pattern(word: str) -> str:
    """SQLite ``GLOB`` pattern finding the folded ``word`` anywhere."""
    return f"*{_pattern(word, _glob_literal)}*"


def regex_pattern(word: str) -> str:
    """PostgreSQL regular expression finding the folded ``word`` anywhere."""
    return _pattern(word, re.escape)


def contains_words(
    searched: SQLColumnExpression[str], text: str, dialect: str
) -> ColumnElement[bool] | None:
    """SQL: every word of ``text`` appears in ``searched``, whatever its case and accents.

    ``dialect`` is the backend's name (``sqlite`` or ``postgresql``); ``None`` when
    ``text`` has no word (no condition).
    """
    words = fold(text).split()
    if not words:
        return None
    if dialect == "sqlite":
        return and_(*(searched.op("GLOB")(glob_pattern(word)) for word in words))
    return and_(*(searched.op("~")(regex_pattern(word)) for word in words))
