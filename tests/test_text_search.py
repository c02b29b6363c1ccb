"""Folding what is typed, and the patterns that find it whatever the case and accents."""

from __future__ import annotations

import csv
import re
from fnmatch import fnmatchcase
from importlib import resources

from sqlalchemy import column

from certify.store.text_search import VARIANTS, contains_words, fold, glob_pattern, regex_pattern


def demo_names() -> list[str]:
    """Every name of the demo network's name list."""
    with resources.files("certify.demo.data").joinpath("names.csv").open(encoding="utf-8") as f:
        return [f"{row['given_name']} {row['family_name']}" for row in csv.DictReader(f)]


def test_fold() -> None:
    """Lower case, no accents, no strokes."""
    assert fold("  Hélène DUPRÉ ") == "helene dupre"
    assert fold("Łukasz Wróbel, Øyvind, Đorđe, Yılmaz") == "lukasz wrobel, oyvind, dorde, yilmaz"


def test_variants_hold_both_cases_and_accents() -> None:
    """« e » is written e, E, é, É, è, ê, ë, ẽ…; ranges keep the classes short."""
    spellings = re.compile(f"[{VARIANTS['e']}]")
    assert all(spellings.fullmatch(c) for c in "eEéÉèÈêÊëËěẽệ")
    assert not any(spellings.fullmatch(c) for c in "aæœ-")


def test_every_demo_name_is_found_typed_plainly() -> None:
    """Each word of a name, typed without accents and in lower case, finds the name."""
    for name in demo_names():
        for word in fold(name).split():
            assert re.search(regex_pattern(word), name), (word, name)
            assert fnmatchcase(name, glob_pattern(word)), (word, name)


def test_special_characters_are_literal() -> None:
    """GLOB and regular-expression syntax typed by the user matches only itself."""
    assert glob_pattern("a*?[") == f"*[{VARIANTS['a']}][*][?][[]*"
    assert re.search(regex_pattern("a.b"), "a.b") and not re.search(regex_pattern("a.b"), "axb")
    assert not fnmatchcase("ab", glob_pattern("a?"))


def test_no_words_no_condition() -> None:
    """Blank text filters nothing; each word is one condition."""
    searched = column("name")
    assert contains_words(searched, "  ", "sqlite") is None
    condition = contains_words(searched, "Hélène dupré", "postgresql")
    assert condition is not None
    assert str(condition).count("~") == 2
