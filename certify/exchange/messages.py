"""Bilingual wording of import and export messages (French first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any


@dataclass(frozen=True)
class Text:
    """A message in French and in English."""

    #: French wording.
    fr: str
    #: English wording.
    en: str

    def __call__(self, lang: str = "fr") -> str:
        """The wording in ``lang`` (``fr`` or ``en``)."""
        return self.en if lang == "en" else self.fr

    def format(self, **values: object) -> Text:
        """Both wordings with ``values`` filled in (a :class:`Text` value in the same language)."""
        return Text(
            self.fr.format(**{k: v.fr if isinstance(v, Text) else v for k, v in values.items()}),
            self.en.format(**{k: v.en if isinstance(v, Text) else v for k, v in values.items()}),
        )


def quoted(value: str, lang: str = "fr") -> str:
    """``value`` between French guillemets or English quotation marks."""
    return f"“{value}”" if lang == "en" else f"«\u00a0{value}\u00a0»"


def french_number(value: Decimal) -> str:
    """A decimal the French way, without trailing zeros: ``3,5``, ``14``."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def shown(value: Any) -> str:
    """A value as shown to people: dates DD/MM/YYYY, decimals with a comma, sets joined."""
    if value is None or value == frozenset():
        return "∅"
    if isinstance(value, frozenset):
        return ", ".join(sorted(shown(v) for v in value))
    if isinstance(value, tuple):
        return " ".join(shown(v) for v in value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return french_number(value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)
