"""The interface language: gettext catalogs in ``tui/locale``, chosen once per app.

Every string shown is an English msgid passed to :func:`_` (or marked with :func:`N_`
where it must be defined before the language is known, e.g. key bindings, and translated
when shown). Catalogs: ``tui/locale/<lang>/LC_MESSAGES/certify.po`` and the compiled
``certify.mo`` beside each; ``tests/tui/test_catalogs.py`` checks they are complete.
After changing strings::

    pybabel extract -k N_ -k ngettext:1,2 --no-location --sort-output -o /tmp/certify.pot tui
    pybabel update -i /tmp/certify.pot -d tui/locale -D certify --ignore-obsolete -w 100
    # translate the new entries of both .po files, then:
    pybabel compile -d tui/locale -D certify
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from certify.rules.wording import Lang

#: gettext domain of the terminal UI.
DOMAIN = "certify"
#: Folder holding one catalog folder per language.
LOCALE_DIR = Path(__file__).with_name("locale")
#: Languages with a complete catalog.
LANGUAGES: tuple[Lang, ...] = ("fr", "en")

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language: Lang = "en"


def use_language(language: str) -> None:
    """Make ``language`` (one of :data:`LANGUAGES`) the language of every string shown."""
    global _catalog, _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: expected one of {LANGUAGES}")
    _catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    _language = language


def language() -> Lang:
    """The language in use."""
    return _language


def _(message: str) -> str:
    """``message`` in the language in use."""
    return _catalog.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation when shown, leaving it as it is now."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the language in use."""
    return _catalog.ngettext(singular, plural, count)
