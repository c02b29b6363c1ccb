"""Both catalogs translate every string of the UI, and the committed .mo match the .po.

The .mo are compared by what they hold, not byte for byte: the header babel writes says
which babel compiled it (``Generated-By``), and that is no translation.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from tui.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

#: Functions whose string arguments are messages (with the arguments that are).
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
#: Headers saying which tool made a catalog, and when: they change with babel, not the text.
TOOL_STAMPS = frozenset({"Generated-By", "X-Generator", "POT-Creation-Date", "PO-Revision-Date"})


def extracted() -> set[str | tuple[str, str]]:
    """Every msgid of the UI's sources (a pair for plural forms)."""
    found = extract_from_dir(
        str(Path(LOCALE_DIR).parent), method_map=[("**.py", "python")], keywords=KEYWORDS
    )
    return {message for _file, _line, message, _comments, _context in found}


def complete(translation: str | tuple[str, ...]) -> bool:
    """Whether a translation (or every plural form of it) is written."""
    return all(translation) if isinstance(translation, tuple) else bool(translation)


def translations(catalog: Catalog) -> dict[object, object]:
    """A compiled catalog's translations, by context and msgid (a pair for plural forms)."""
    return {
        (message.context, tuple(message.id) if message.pluralizable else message.id): message.string
        for message in catalog
        if message.id
    }


def headers(catalog: Catalog) -> dict[str, str]:
    """A compiled catalog's headers, but for the tool stamps."""
    return {name: value for name, value in catalog.mime_headers if name not in TOOL_STAMPS}


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
    """The .mo committed holds what the .po compiles to, whichever babel compiled it."""
    with catalog_path(language, ".po").open("rb") as source:
        catalog = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    with catalog_path(language, ".mo").open("rb") as source:
        committed, fresh = read_mo(source), read_mo(compiled)
    assert translations(committed) == translations(fresh)
    assert headers(committed) == headers(fresh)
