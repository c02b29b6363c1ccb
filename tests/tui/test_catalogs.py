"""Both catalogs translate every string of the UI, and the committed .mo match the .po."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tui.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

#: Functions whose string arguments are messages (with the arguments that are).
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extracted() -> set[str | tuple[str, str]]:
    """Every msgid of the UI's sources (a pair for plural forms)."""
    found = extract_from_dir(
        str(Path(LOCALE_DIR).parent), method_map=[("**.py", "python")], keywords=KEYWORDS
    )
    return {message for _file, _line, message, _comments, _context in found}


def complete(translation: str | tuple[str, ...]) -> bool:
    """Whether a translation (or every plural form of it) is written."""
    return all(translation) if isinstance(translation, tuple) else bool(translation)


def catalog_path(language: str, suffix: str) -> Path:
    """A language's catalog file (``.po`` or ``.mo``)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    """Each extracted msgid has a non-empty translation, and no translation is left over."""
    with catalog_path(language, ".po").open("rb") as source:
        catalog = read_po(source)
    translated = {message.id: message.string for message in catalog if message.id}
    messages = extracted()
    missing = [m for m in messages if not complete(translated.get(m, ""))]
    assert not missing, f"{language}: no translation for {missing}"
    assert set(translated) == messages, "obsolete entries: update the catalog"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogs_match_their_sources(language: str) -> None:
    """The .mo committed is what the .po compiles to."""
    with catalog_path(language, ".po").open("rb") as source:
        catalog = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert catalog_path(language, ".mo").read_bytes() == compiled.getvalue()
