"""Formula neutralising for CSV cells (OWASP CSV injection), and its exact inverse.

A text cell a spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, and is not a plain number such as ``-3,5``) is
written with a leading ``'``; so is a cell that already begins with ``'`` before such
text, so that reading strips exactly the quotes writing added: export → import unchanged.
"""

from __future__ import annotations

import re

#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The quote that keeps a cell text.
QUOTE = "'"
#: A plain number, signed or not, with a decimal point or comma: data, not a formula.
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def needs_quote(text: str) -> bool:
    """Whether ``text`` is written with a leading ``'`` in a CSV file (leading quotes aside)."""
    body = text.lstrip(QUOTE)
    return body.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(body)


def inert(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet cannot run."""
    return QUOTE + text if needs_quote(text) else text


def revived(text: str) -> str:
    """A CSV cell read back as it was before :func:`inert`."""
    return text[1:] if text.startswith(QUOTE) and needs_quote(text[1:]) else text
