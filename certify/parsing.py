"""Reading what people type: French dates, and codes, e-mails or names with suggestions."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from datetime import date

from dateutil import parser as date_parser
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from certify.errors import CertifyError, NotFound
from certify.model import Person, Programme, Region, Site
from certify.rules.wording import Wording


def parse_date(text: str, what: str = "date") -> date:
    """A date written day first (``21/11/2026``, ``21.11.2026``) or in ISO (``2026-11-21``)."""
    cleaned = text.strip()
    try:
        iso = len(cleaned) == 10 and cleaned[4] == "-"
        return date_parser.parse(cleaned, dayfirst=not iso, yearfirst=iso).date()
    except (ValueError, OverflowError) as error:
        raise CertifyError(
            f"{what} invalide {text!r} : attendu JJ/MM/AAAA ou AAAA-MM-JJ ({error})",
            f"invalid {what} {text!r}: expected DD/MM/YYYY or YYYY-MM-DD ({error})",
        ) from None


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
    return Wording(f" — vouliez-vous dire « {best} » ?", f" — did you mean « {best} »?")


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
        names = ", ".join(f"{p.full_name} <{p.email}>" for p in matches[:5])
        raise NotFound(
            f"{key!r} correspond à plusieurs personnes : {names} ; donnez l'adresse e-mail",
            f"{key!r} matches several people: {names}; give the e-mail",
        )
    raise NotFound(
        f"aucun membre du personnel ne correspond à {key!r} "
        "(donnez une adresse e-mail, un numéro ou un nom)",
        f"no staff member matches {key!r} (give an e-mail, an id or a name)",
    )
