"""How certify's values read on screen: dates, hours, methods, levels, roles, titles."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rich.text import Text

from certify.errors import CertifyError
from certify.model import AssessmentMethod, Role
from certify.parsing import parse_date
from certify.rules import written_dates
from certify.store.db import Database
from tui.i18n import N_, _, language

#: Each method's name and its short form for grid cells (marked, translated when shown).
METHODS: dict[AssessmentMethod, tuple[str, str]] = {
    AssessmentMethod.OBSERVATION: (N_("observation"), N_("OBS")),
    AssessmentMethod.MISE_EN_SITUATION: (N_("simulation"), N_("SIM")),
    AssessmentMethod.ENTRETIEN: (N_("interview"), N_("INT")),
    AssessmentMethod.QUIZ: (N_("quiz"), N_("QUIZ")),
    AssessmentMethod.PORTFOLIO: (N_("portfolio"), N_("PORT")),
}
#: The methods ``m`` cycles through in the grid, in order.
GRID_METHODS = (
    AssessmentMethod.OBSERVATION,
    AssessmentMethod.MISE_EN_SITUATION,
    AssessmentMethod.ENTRETIEN,
    AssessmentMethod.QUIZ,
)
#: Each role's name.
ROLES: dict[Role, str] = {
    Role.RECEPTION: N_("reception"),
    Role.COUNSELLOR: N_("counsellor"),
    Role.TRAINER: N_("trainer"),
    Role.COORDINATOR: N_("coordinator"),
    Role.ADMIN: N_("administrator"),
}


def pick(french: str, english: str) -> str:
    """The French or English text, whichever matches the language in use."""
    return french if language() == "fr" else english


def number(value: int) -> str:
    """A count grouped by thousands: 14 801 in French (narrow no-break space), 14,801."""
    grouped = f"{value:,}"
    return grouped.replace(",", "\u202f") if language() == "fr" else grouped


def day(value: date) -> str:
    """A date, e.g. 21/11/2026 in French."""
    return value.strftime(_("%Y-%m-%d"))


def departure(last_day: date) -> str:
    """« parti·e le 4 juillet 2024 »: how someone who has left is marked."""
    return pick(*written_dates.departure(last_day))


def parse_day(text: str) -> date:
    """A date typed day first (21/11/2026) or in ISO (2026-11-21)."""
    try:
        return parse_date(text)
    except CertifyError:
        raise CertifyError(
            _("{text!r} is not a date: write it like {example}").format(
                text=text, example=day(date(2026, 11, 21))
            )
        ) from None


def period(starts_on: date, ends_on: date) -> str:
    """A session's days: one date, or first → last."""
    return day(starts_on) if starts_on == ends_on else f"{day(starts_on)} → {day(ends_on)}"


def hours(value: Decimal) -> str:
    """Hours without useless decimals, with the language's decimal mark (``10,5``)."""
    integer, _point, fraction = f"{value.normalize():f}".partition(".")
    return (
        _("{integer}.{fraction}").format(integer=integer, fraction=fraction)
        if fraction
        else integer
    )


def parse_hours(text: str) -> Decimal:
    """Hours typed with a comma or a point; refuse anything else in plain words."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise CertifyError(_("{text!r} is not a number of hours").format(text=text)) from None
    if not value.is_finite():
        raise CertifyError(_("{text!r} is not a number of hours").format(text=text))
    return value


def method(value: AssessmentMethod) -> str:
    """The name of an assessment method."""
    return _(METHODS[value][0])


def method_short(value: AssessmentMethod) -> str:
    """The short form of an assessment method, for grid cells."""
    return _(METHODS[value][1])


def next_method(value: AssessmentMethod) -> AssessmentMethod:
    """The method after ``value`` in :data:`GRID_METHODS` (back to the first after the last)."""
    position = GRID_METHODS.index(value) if value in GRID_METHODS else -1
    return GRID_METHODS[(position + 1) % len(GRID_METHODS)]


def roles(held: frozenset[Role]) -> str:
    """The roles held, comma-separated, in a fixed order."""
    return ", ".join(_(ROLES[role]) for role in Role if role in held)


def level(value: int, levels: list[tuple[int, str, str]] | tuple[tuple[int, str, str], ...]) -> str:
    """A level with its label on the scale, e.g. « 2 — Acquis »."""
    for number, french, english in levels:
        if number == value:
            return f"{value} — {pick(french, english)}"
    return str(value)


def database(value: Database) -> str:
    """Which database: an SQLite file's name, else the server's URL without password."""
    if value.is_sqlite and value.engine.url.database:
        return Path(value.engine.url.database).name
    return value.display_url


def one_line(text: str) -> Text:
    """A table cell kept on one line, cut with an ellipsis where it does not fit."""
    return Text(text, no_wrap=True, overflow="ellipsis")
