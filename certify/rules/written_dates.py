"""Dates as people read them: « 1er mars 2026 », "21 November 2026", « 21/11/2026 »."""

from __future__ import annotations

from datetime import date

from certify.rules.wording import Lang, Wording

#: Month names by language, January first.
MONTHS: dict[Lang, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def written_date(day: date, lang: Lang) -> str:
    """The day written out; French writes the first of the month « 1er »."""
    number = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{number} {MONTHS[lang][day.month - 1]} {day.year}"


def departure(last_day: date) -> Wording:
    """How a person who has left is marked: « parti·e le 4 juillet 2024 »."""
    return Wording(
        f"parti·e le {written_date(last_day, 'fr')}", f"left on {written_date(last_day, 'en')}"
    )


def written_dates(day: date) -> tuple[str, ...]:
    """The day written out in every language, as a verifier may find it printed."""
    return tuple(written_date(day, lang) for lang in MONTHS)


def short_date(day: date, lang: Lang) -> str:
    """``21/11/2026`` in French (as French spreadsheets read it), ISO in English."""
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()
