"""Cell types: how each kind of cell is read from a file and written back."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cached_property
from typing import Any

from certify.exchange.messages import Text, french_number
from certify.exchange.naming import closest, normal_form
from certify.parsing import NotADay, read_day, within_range

#: A cell as read: text, a date Excel or YAML stored as a date, or a YAML list.
RawCell = str | date | list[str]
#: A cell as written: text, a whole number, a decimal, a date, or nothing.
Cell = str | int | Decimal | date | None

#: Characters a code may not hold (they separate list items and parts of a cell).
_CODE = re.compile(r"[^\s,;:|()/]+")
_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")
_INTEGER = re.compile(r"([+-]?\d+)(?:[.,]0+)?")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_SPACES = re.compile(r"[\s\u00a0\u202f]")

#: Stray characters around a cell's text: spaces of every kind, zero-width spaces, BOMs.
_STRAY = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\u200b\ufeff"
#: Stray characters before a cell's text: the same, but a tab or CR is part of the value.
_LEADING = _STRAY.replace("\t", "").replace("\r", "")

NOT_A_CODE = Text(
    "n'est pas un code (lettres, chiffres et tirets, sans espace)",
    "is not a code (letters, digits and dashes, no spaces)",
)
TOO_LONG = Text(
    "est trop long ({length} caractères, au plus {most})", "is too long ({length}, at most {most})"
)
NOT_AN_EMAIL = Text("n'est pas une adresse e-mail", "is not an e-mail address")
NOT_AN_INTEGER = Text("n'est pas un nombre entier", "is not a whole number")
NOT_A_NUMBER = Text("n'est pas un nombre (ex. 3,5)", "is not a number (e.g. 3.5)")
TOO_PRECISE = Text("a plus de {places} décimales", "has more than {places} decimals")
TOO_SMALL = Text("doit valoir au moins {least}", "must be at least {least}")
NOT_ABOVE = Text("doit être supérieur à {least}", "must be more than {least}")
TOO_LARGE = Text("doit valoir au plus {most}", "must be at most {most}")
NOT_A_CHOICE = Text(
    "n'est pas une valeur possible ({choices})", "is not a possible value ({choices})"
)


class CellError(Exception):
    """A cell, or one item of a list cell, that does not fit its column."""

    def __init__(
        self, reason: Text, value: str | None = None, suggestion: str | None = None
    ) -> None:
        """Say why; ``value`` names the offending item when it is not the whole cell."""
        super().__init__(reason.fr)
        #: Why the cell does not fit.
        self.reason = reason
        #: The offending item, when not the whole cell.
        self.value = value
        #: A possible value close to the one written.
        self.suggestion = suggestion


class CellErrors(Exception):
    """Several items of one list cell that do not fit."""

    def __init__(self, errors: list[CellError]) -> None:
        """Keep every error, in the order of the items."""
        super().__init__("; ".join(str(e) for e in errors))
        #: One error per bad item.
        self.errors = errors


def clean(text: str) -> str | None:
    """A text cell without stray spaces (``None`` when nothing is left); linear in its length."""
    return text.rstrip(_STRAY).lstrip(_LEADING) or None


def cell_text(raw: RawCell) -> str:
    """A raw cell as text (a date as DD/MM/YYYY, a list joined by commas)."""
    if isinstance(raw, list):
        return ", ".join(raw)
    if isinstance(raw, date):
        return f"{raw.day:02d}/{raw.month:02d}/{raw.year:04d}"
    return raw


class CellType(ABC):
    """How one kind of cell is read and written."""

    #: The value of a blank cell when blank means "empty" rather than "nothing".
    empty: Any = None
    #: Whether the cell holds a list of values.
    many: bool = False

    @abstractmethod
    def parse(self, raw: RawCell) -> Any:
        """The value of a non-blank cell, or :class:`CellError`."""

    @abstractmethod
    def format(self, value: Any) -> Cell:
        """How ``value`` (never ``None``) is written in a cell."""

    @abstractmethod
    def describe(self) -> Text:
        """What a cell of this type holds, as told to someone filling a file."""


def _bounded(text: str, most: int) -> str:
    """``text``, or :class:`CellError` when longer than ``most``."""
    if len(text) > most:
        raise CellError(TOO_LONG.format(length=len(text), most=most))
    return text


@dataclass(frozen=True)
class TextCell(CellType):
    """Free text, up to a length."""

    #: Longest text accepted.
    most: int
    empty = ""

    def parse(self, raw: RawCell) -> str:
        """The text as written (stray spaces already stripped)."""
        return _bounded(cell_text(raw), self.most)

    def format(self, value: Any) -> Cell:
        """The text itself."""
        return str(value)

    def describe(self) -> Text:
        """Text and its longest length."""
        return Text(
            f"texte, {self.most} caractères au plus", f"text, at most {self.most} characters"
        )


@dataclass(frozen=True)
class CodeCell(CellType):
    """A code (site, module, programme, competency, serial), read in upper case."""

    #: Longest code accepted.
    most: int = 20

    def parse(self, raw: RawCell) -> str:
        """The code in upper case, or an error when it holds spaces or separators."""
        text = cell_text(raw).upper()
        if not _CODE.fullmatch(text):
            raise CellError(NOT_A_CODE)
        return _bounded(text, self.most)

    def format(self, value: Any) -> Cell:
        """The code itself."""
        return str(value)

    def describe(self) -> Text:
        """A code and its longest length."""
        return Text(
            f"code sans espace, {self.most} caractères au plus",
            f"code without spaces, at most {self.most} characters",
        )


@dataclass(frozen=True)
class ReferenceCell(CellType):
    """A row named by its code or by its name (a site's, a module's…): matched on import.

    A code is read in upper case, as :class:`CodeCell` reads it; any other text is kept as
    written, for :mod:`certify.exchange.naming` to match against the known names.
    """

    #: Longest text accepted (a name).
    most: int = 200

    def parse(self, raw: RawCell) -> str:
        """The code in upper case, or the name as written (a leading tab or CR refused)."""
        text = cell_text(raw)
        if text[:1] in ("\t", "\r"):
            raise CellError(NOT_A_CODE)
        return _bounded(text.upper() if _CODE.fullmatch(text) else text, self.most)

    def format(self, value: Any) -> Cell:
        """The code itself."""
        return str(value)

    def describe(self) -> Text:
        """A code or a name."""
        return Text("code ou nom", "code or name")


@dataclass(frozen=True)
class EmailCell(CellType):
    """An e-mail address, read in lower case."""

    def parse(self, raw: RawCell) -> str:
        """The address in lower case."""
        text = cell_text(raw).lower()
        if not _EMAIL.fullmatch(text):
            raise CellError(NOT_AN_EMAIL)
        return _bounded(text, 254)

    def format(self, value: Any) -> Cell:
        """The address itself."""
        return str(value)

    def describe(self) -> Text:
        """An e-mail address."""
        return Text("adresse e-mail", "e-mail address")


#: Smallest and largest whole numbers an integer column holds (PostgreSQL's ``integer``).
INTEGER_LEAST, INTEGER_MOST = -(2**31), 2**31 - 1


def _bound(template: Text, value: Any) -> Text:
    """``template`` naming a bound, written the French way in French."""
    shown = french_number(value) if isinstance(value, Decimal) else str(value)
    return Text(
        template.fr.format(least=shown, most=shown), template.en.format(least=value, most=value)
    )


def _check_range(value: Any, least: Any, most: Any, strict: bool) -> None:
    """Refuse ``value`` below ``least`` (or equal, when ``strict``) or above ``most``."""
    if least is not None and (value <= least if strict else value < least):
        raise CellError(_bound(NOT_ABOVE if strict else TOO_SMALL, least))
    if most is not None and value > most:
        raise CellError(_bound(TOO_LARGE, most))


@dataclass(frozen=True)
class IntegerCell(CellType):
    """A whole number, within bounds (at most those of a database integer)."""

    #: Smallest value accepted.
    least: int = INTEGER_LEAST
    #: Largest value accepted.
    most: int = INTEGER_MOST

    def parse(self, raw: RawCell) -> int:
        """The number (``12``, ``12,0`` as Excel may write it); a thousand digits are not read."""
        match = _INTEGER.fullmatch(_SPACES.sub("", cell_text(raw)))
        if match is None:
            raise CellError(NOT_AN_INTEGER)
        digits = match.group(1)
        if len(digits.lstrip("+-").lstrip("0")) > len(str(INTEGER_MOST)):
            too_small = digits.startswith("-")
            raise CellError(
                _bound(TOO_SMALL, self.least) if too_small else _bound(TOO_LARGE, self.most)
            )
        value = int(digits)
        _check_range(value, self.least, self.most, strict=False)
        return value

    def format(self, value: Any) -> Cell:
        """The number."""
        return int(value)

    def describe(self) -> Text:
        """A whole number, with its bounds when narrower than the database's."""
        if self.least == INTEGER_LEAST:
            return Text("nombre entier", "whole number")
        if self.most == INTEGER_MOST:
            return Text(
                f"nombre entier, au moins {self.least}", f"whole number, at least {self.least}"
            )
        return Text(
            f"nombre entier de {self.least} à {self.most}",
            f"whole number from {self.least} to {self.most}",
        )


@dataclass(frozen=True)
class NumberCell(CellType):
    """A decimal number written the French way (``3,5``) or not (``3.5``), as hours are stored."""

    #: Smallest value accepted.
    least: Decimal = Decimal(0)
    #: Whether ``least`` itself is refused.
    strict: bool = False
    #: Most decimals accepted.
    places: int = 2
    #: Most digits in all, decimals included (those of ``Numeric(6, 2)``, the hours' column).
    digits: int = 6

    @property
    def most(self) -> Decimal:
        """The largest number the column holds: 9999.99 for 6 digits, 2 of them decimals."""
        return Decimal(10) ** (self.digits - self.places) - Decimal(10) ** -self.places

    def parse(self, raw: RawCell) -> Decimal:
        """The number, spaces between thousands ignored."""
        text = _SPACES.sub("", cell_text(raw)).replace(",", ".")
        if not _DECIMAL.fullmatch(text):
            raise CellError(NOT_A_NUMBER)
        value = Decimal(text)
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            raise CellError(TOO_PRECISE.format(places=self.places))
        _check_range(value, self.least, self.most, self.strict)
        return value

    def format(self, value: Any) -> Cell:
        """The number as a decimal."""
        return Decimal(value)

    def describe(self) -> Text:
        """A number, its bounds and its decimals."""
        least, most = french_number(self.least), french_number(self.most)
        if self.strict:
            bounds = Text(
                f"supérieur à {least}, au plus {most}", f"above {self.least}, at most {self.most}"
            )
        else:
            bounds = Text(f"de {least} à {most}", f"from {self.least} to {self.most}")
        return Text(
            f"nombre {bounds.fr}, {self.places} décimales au plus",
            f"number {bounds.en}, at most {self.places} decimals",
        )


def parse_day(raw: str | date) -> date:
    """A day as :mod:`certify.parsing` reads it (or checks a stored date), as a cell problem."""
    try:
        return within_range(raw) if isinstance(raw, date) else read_day(raw)
    except NotADay as error:
        raise CellError(Text(*error.problem.value)) from None


@dataclass(frozen=True)
class DayCell(CellType):
    """A calendar day: DD/MM/YYYY, YYYY-MM-DD, or a date Excel stored as a date."""

    def parse(self, raw: RawCell) -> date:
        """The day."""
        return parse_day(raw if isinstance(raw, date) else cell_text(raw))

    def format(self, value: Any) -> Cell:
        """The day as a date (written DD/MM/YYYY in CSV files)."""
        return value if isinstance(value, date) else date.fromisoformat(str(value))

    def describe(self) -> Text:
        """A day, as it is written."""
        return Text("date JJ/MM/AAAA", "date DD/MM/YYYY")


@dataclass(frozen=True)
class ChoiceCell(CellType):
    """One value of an enumeration, named by its French or English label or its value."""

    #: Labels of each value: French first (written in exports), then English and aliases.
    labels: Mapping[Enum, Sequence[str]]

    @cached_property
    def _lookup(self) -> dict[str, Enum]:
        """Every accepted spelling, in normal form, to its value."""
        lookup: dict[str, Enum] = {}
        for member, names in self.labels.items():
            for name in (*names, str(member.value)):
                lookup.setdefault(normal_form(name), member)
        return lookup

    def parse(self, raw: RawCell) -> Enum:
        """The value named, or an error listing the French labels."""
        text = cell_text(raw)
        member = self._lookup.get(normal_form(text))
        if member is None:
            french = [names[0] for names in self.labels.values()]
            raise CellError(
                NOT_A_CHOICE.format(choices=", ".join(french)), suggestion=closest(text, french)
            )
        return member

    def format(self, value: Any) -> Cell:
        """The French label."""
        return self.labels[value][0]

    def describe(self) -> Text:
        """The values to choose from, by the labels exports write (French)."""
        labels = [names[0] for names in self.labels.values()]
        return Text(
            f"{', '.join(labels[:-1])} ou {labels[-1]}", f"{', '.join(labels[:-1])} or {labels[-1]}"
        )


@dataclass(frozen=True)
class LanguageCell(CellType):
    """A language certify writes in, ``fr`` or ``en``: by that code or its name in French
    or English, any case (« français », « anglais », French, English); written as the code."""

    #: Each language's code, then its other names.
    names: Mapping[str, Sequence[str]]

    @cached_property
    def _lookup(self) -> dict[str, str]:
        """Every accepted spelling, in normal form, to its code."""
        return {
            normal_form(name): code for code, names in self.names.items() for name in (code, *names)
        }

    def parse(self, raw: RawCell) -> str:
        """The language's code, or an error listing the codes."""
        text = cell_text(raw)
        code = self._lookup.get(normal_form(text))
        if code is None:
            codes = list(self.names)
            raise CellError(
                NOT_A_CHOICE.format(choices=", ".join(codes)), suggestion=closest(text, codes)
            )
        return code

    def format(self, value: Any) -> Cell:
        """The code (``fr``, ``en``)."""
        return str(value)

    def describe(self) -> Text:
        """The language codes."""
        return Text(" ou ".join(self.names), " or ".join(self.names))


#: How a list's separators are named.
LIST_SEPARATORS = {
    ",": Text("virgules", "commas"),
    "|": Text("barres verticales «\u00a0|\u00a0»", "vertical bars “|”"),
}


@dataclass(frozen=True)
class ListCell(CellType):
    """Several values in one cell, separated by commas or semicolons (or a YAML list)."""

    #: Type of each value.
    item: CellType
    #: Characters separating values.
    separators: str = ",;"
    #: How values are joined when written.
    joiner: str = ", "
    empty = ()
    many = True

    def parse(self, raw: RawCell) -> tuple[Any, ...]:
        """The values in order; every bad item is reported."""
        parts = (
            raw
            if isinstance(raw, list)
            else re.split(f"[{re.escape(self.separators)}]", cell_text(raw))
        )
        values, errors = [], []
        for part in (cell_text(p).strip() for p in parts):
            if not part:
                continue
            try:
                values.append(self.item.parse(part))
            except CellError as error:
                errors.append(CellError(error.reason, error.value or part, error.suggestion))
        if errors:
            raise CellErrors(errors)
        return tuple(values)

    def format(self, value: Any) -> Cell:
        """The values in order (or in the order of their text when they do not compare), joined."""
        try:
            ordered = sorted(value)
        except TypeError:
            ordered = sorted(value, key=lambda v: str(self.item.format(v)))
        return self.joiner.join(str(self.item.format(v)) for v in ordered)

    def describe(self) -> Text:
        """What each value holds, and how values are separated."""
        separated = LIST_SEPARATORS.get(self.separators[0], LIST_SEPARATORS[","])
        return Text(
            "{item}, en liste séparée par des {by}", "{item}, as a list separated by {by}"
        ).format(item=self.item.describe(), by=separated)


@dataclass(frozen=True)
class PatternCell(CellType):
    """A cell of several parts in a fixed syntax, e.g. ``ETH-01:2`` or ``CERT-ACC (24 mois)``."""

    #: The syntax: one group per part (optional groups may be missing).
    regex: str
    #: Type of each part (``None``: text as written).
    parts: tuple[CellType | None, ...]
    #: How a value (a tuple of parts) is written.
    render: Callable[[tuple[Any, ...]], str]
    #: What a cell holds, in its syntax with an example (« une exigence … (ex. ETH-01:2) »).
    holds: Text

    def parse(self, raw: RawCell) -> tuple[Any, ...]:
        """The parts, each read by its type."""
        match = re.fullmatch(self.regex, cell_text(raw).strip(), re.IGNORECASE)
        if match is None:
            raise CellError(Text(f"n'est pas {self.holds.fr}", f"is not {self.holds.en}"))
        return tuple(
            None if text is None else part.parse(text.strip()) if part else text.strip()
            for text, part in zip(match.groups(), self.parts, strict=True)
        )

    def format(self, value: Any) -> Cell:
        """The value in the syntax."""
        return self.render(value)

    def describe(self) -> Text:
        """The syntax, with an example."""
        return self.holds
