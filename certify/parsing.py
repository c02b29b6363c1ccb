"""Reading what people type: days, and codes, e-mails or names with suggestions."""

from __future__ import annotations

import difflib
import enum
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

from dateutil import parser as date_parser
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from certify.errors import CertifyError, NotFound
from certify.model import Person, Programme, Region, Site
from certify.rules.wording import Lang, Wording
from certify.rules.written_dates import departure

_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MIDNIGHT = re.compile(r"[ T]0?0:00(:00(\.0+)?)?$")
#: Numbers with separators but no four-digit year: ``3``, ``1/2``, ``1/2/3``, ``1 1 1``.
_SHORT_NUMERIC = re.compile(r"\d{1,2}([/.\s-]+\d{1,2}){0,2}")
#: Longest text read as a day (« mercredi 21 novembre 2026 à 00:00:00 » is shorter).
LONGEST_DAY_TEXT = 60
#: The first and last days the application accepts.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


class DateProblem(enum.Enum):
    """Why a text is not a day, in French and English."""

    NOT_A_DATE = Wording(
        "n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)", "is not a date (DD/MM/YYYY or YYYY-MM-DD)"
    )
    NO_SUCH_DAY = Wording(
        "n'est pas une date valide\u00a0: ce jour n'existe pas", "is not a valid date: no such day"
    )
    INCOMPLETE = Wording(
        "est une date incomplète (jour, mois et année attendus)",
        "is an incomplete date (day, month and year expected)",
    )
    OUT_OF_RANGE = Wording(
        f"est hors des dates possibles ({FIRST_DAY:%d/%m/%Y} à {LAST_DAY:%d/%m/%Y})",
        f"is outside the possible dates ({FIRST_DAY:%d/%m/%Y} to {LAST_DAY:%d/%m/%Y})",
    )


class NotADay(ValueError):
    """A text that is not a whole day, and why."""

    def __init__(self, problem: DateProblem) -> None:
        """Keep why."""
        super().__init__(problem.value.en)
        #: Why the text is not a day.
        self.problem = problem


def read_day(text: str) -> date:
    """A day written DD/MM/YYYY (or with dots or dashes) or YYYY-MM-DD; nothing is guessed.

    The one date reader of the CLI, the TUI and the imports. Other spellings go to
    python-dateutil (day first), which must find a day, a month and a year: a date it would
    complete from today (``3``, ``1/2``) or a two-digit year (``1/2/3``) is refused, and so
    is a day outside :data:`FIRST_DAY` … :data:`LAST_DAY` (see :func:`within_range`).
    """
    text = _MIDNIGHT.sub("", text.strip())
    if len(text) > LONGEST_DAY_TEXT:
        raise NotADay(DateProblem.NOT_A_DATE)
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    elif match := _ISO_DAY.fullmatch(text):
        year, month, day = match.groups()
    else:
        return within_range(_read_other_day(text))
    try:
        read = date(int(year), int(month), int(day))
    except ValueError:
        raise NotADay(DateProblem.NO_SUCH_DAY) from None
    return within_range(read)


def within_range(day: date) -> date:
    """``day``, or :class:`NotADay` when it is before 1900 or after 2100 (a typo, surely)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise NotADay(DateProblem.OUT_OF_RANGE)
    return day


def _read_other_day(text: str) -> date:
    """A date in another spelling, provided dateutil needs no default to complete it."""
    if _SHORT_NUMERIC.fullmatch(text):
        raise NotADay(DateProblem.NOT_A_DATE)
    try:
        first = date_parser.parse(text, dayfirst=True, default=datetime(1, 1, 1))
        second = date_parser.parse(text, dayfirst=True, default=datetime(2, 2, 2))
    except (ValueError, OverflowError):
        raise NotADay(DateProblem.NOT_A_DATE) from None
    if first.date() != second.date():
        raise NotADay(DateProblem.INCOMPLETE)
    return first.date()


def parse_date(text: str, what: str = "date") -> date:
    """:func:`read_day`, refused in one line naming ``what`` (a date typed on the CLI)."""
    try:
        return read_day(text)
    except NotADay as error:
        why = error.problem.value
        raise CertifyError(f"{what} {text!r} {why.fr}", f"{what} {text!r} {why.en}") from None


def fold(text: str) -> str:
    """Lower case without accents, for matching what people type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def suggestion(value: str, known: Iterable[str]) -> Wording:
    """A « did you mean X » suffix in both languages, empty when nothing is close to ``value``."""
    candidates = {fold(k): k for k in known}
    close = difflib.get_close_matches(fold(value), candidates, n=1, cutoff=0.75)
    if not close:
        return Wording("", "")
    best = candidates[close[0]]
    return Wording(
        f" — vouliez-vous dire «\u00a0{best}\u00a0»\u00a0?",
        f" — did you mean “{best}”?",
    )


def _unknown(kind: Wording, value: str, known: Iterable[str]) -> NotFound:
    """The error for a ``kind`` (« programme inconnu » / "unknown programme") nobody has."""
    hint = suggestion(value, known)
    return NotFound(f"{kind.fr} {value!r}{hint.fr}", f"{kind.en} {value!r}{hint.en}")


def find_programme(session: Session, code: str) -> Programme:
    """The programme with this code (any case), or NotFound with a suggestion."""
    programme = session.scalar(select(Programme).where(func.upper(Programme.code) == code.upper()))
    if programme is None:
        known = session.scalars(select(Programme.code))
        raise _unknown(Wording("programme inconnu", "unknown programme"), code, known)
    return programme


def find_site(session: Session, code: str) -> Site:
    """The site with this code (any case), or NotFound with a suggestion."""
    site = session.scalar(select(Site).where(func.upper(Site.code) == code.upper()))
    if site is None:
        known = session.scalars(select(Site.code))
        raise _unknown(Wording("site inconnu", "unknown site"), code, known)
    return site


def find_region(session: Session, name: str) -> Region:
    """The region with this name (any case and accents), or NotFound with a suggestion."""
    regions = session.scalars(select(Region)).all()
    for region in regions:
        if fold(region.name) == fold(name):
            return region
    known = (r.name for r in regions)
    raise _unknown(Wording("région inconnue", "unknown region"), name, known)


def _named(person: Person, lang: Lang) -> str:
    """« Léa Girard <lea.girard@…> », marked « (parti·e le 4 juillet 2024) » if they left."""
    named = f"{person.full_name} <{person.email}>"
    if person.active_until is not None and person.active_until < date.today():
        named += f" ({departure(person.active_until).in_(lang)})"
    return named


def find_person(session: Session, key: str) -> Person:
    """The staff member with this e-mail or id, or whose name alone matches ``key``."""
    text = key.strip()
    if text.isdigit() and (person := session.get(Person, int(text))) is not None:
        return person
    person = session.scalar(select(Person).where(func.lower(Person.email) == text.lower()))
    if person is not None:
        return person
    pattern = f"%{text}%"
    matches = session.scalars(
        select(Person)
        .where(
            or_(
                (Person.given_name + " " + Person.family_name).ilike(pattern),
                Person.email.ilike(pattern),
            )
        )
        .limit(6)
    ).all()
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = Wording(*(", ".join(_named(p, lang) for p in matches[:5]) for lang in ("fr", "en")))
        raise NotFound(
            f"{key!r} correspond à plusieurs personnes : {names.fr} ; donnez l'adresse e-mail",
            f"{key!r} matches several people: {names.en}; give the e-mail",
        )
    raise NotFound(
        f"aucun membre du personnel ne correspond à {key!r} "
        "(donnez une adresse e-mail, un numéro ou un nom)",
        f"no staff member matches {key!r} (give an e-mail, an id or a name)",
    )
