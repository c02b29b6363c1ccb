"""The command line in the chosen language: its help, argparse's own words, what it prints.

argparse looks each of its words up through gettext (see the argparse howto, « How to
translate the argparse output »); :func:`speak` gives it certify's French for them, so
that « utilisation », « options » and its errors read as French under ``--lang fr``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from certify.rules.wording import NBSP, Lang, as_lang

#: argparse's words a user meets (help, usage and errors), in French.
ARGPARSE_FRENCH = {
    "usage: ": "utilisation\u00a0: ",
    "options": "options",
    "positional arguments": "arguments positionnels",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": f"%(prog)s{NBSP}: erreur{NBSP}: %(message)s\n",
    "argument %(argument_name)s: %(message)s": f"argument %(argument_name)s{NBSP}: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        f"choix invalide{NBSP}: %(value)r (au choix{NBSP}: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": f"valeur invalide{NBSP}: %(value)r",
    "the following arguments are required: %s": f"arguments obligatoires manquants{NBSP}: %s",
    "unrecognized arguments: %s": f"arguments inconnus{NBSP}: %s",
    "expected one argument": "une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "ambiguous option: %(option)s could match %(matches)s": (
        f"option ambiguë{NBSP}: %(option)s peut être %(matches)s"
    ),
    "not allowed with argument %s": "impossible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ignored explicit argument %r": "argument explicite ignoré %r",
    "can't open '%(filename)s': %(error)s": (
        f"impossible d'ouvrir «{NBSP}%(filename)s{NBSP}»{NBSP}: %(error)s"
    ),
}


class FrenchHelp(argparse.HelpFormatter):
    """argparse's help with a no-break space before each heading's colon (« options : »)."""

    def start_section(self, heading: str | None) -> None:
        """Start a section whose heading is followed by a no-break space."""
        super().start_section(f"{heading}{NBSP}" if heading else heading)


def typeset(parser: argparse.ArgumentParser, lang: Lang) -> None:
    """Have ``parser`` and every parser under it write their help as ``lang`` is written."""
    if lang == "fr":
        parser.formatter_class = FrenchHelp
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                typeset(child, lang)


def environment_lang() -> Lang:
    """The language ``$CERTIFY_LANG`` names: English if it says ``en``, else French."""
    return as_lang(os.environ.get("CERTIFY_LANG", "fr"))


class Say:
    """What the command line says in the chosen language: ``say("en français", "in English")``."""

    def __init__(self, lang: Lang) -> None:
        """Speak ``lang``."""
        self.lang: Lang = lang

    def __call__(self, french: str, english: str) -> str:
        """The text in the chosen language."""
        return english if self.lang == "en" else french


def _in_french(message: str) -> str:
    """argparse's ``message`` in French (as it is when certify has no French for it)."""
    return ARGPARSE_FRENCH.get(message, message)


def _plural_in_french(singular: str, plural: str, count: int) -> str:
    """argparse's counted message in French (English when certify has none)."""
    return _in_french(singular if count == 1 else plural)


def _plural(singular: str, plural: str, count: int) -> str:
    """argparse's counted message as it is."""
    return singular if count == 1 else plural


def speak(lang: Lang) -> Say:
    """Have argparse speak ``lang`` too, and say what the command line says in it."""
    words: Callable[[str], str] = _in_french if lang == "fr" else str
    # argparse calls the gettext functions it imported as module globals: these replace them.
    argparse.__dict__.update(_=words, ngettext=_plural_in_french if lang == "fr" else _plural)
    return Say(lang)
