"""Plain references to persons, sites and programmes, as the read views' lines carry them."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Label, Row, select, true
from sqlalchemy.orm import Session

from certify.model import Person, Programme, Region, Role, Site
from certify.rules.explanation import PersonRef, ProgrammeRef, SiteRef


@dataclass(frozen=True)
class SiteLine:
    """A site with where it stands in the network."""

    #: The site.
    site: SiteRef
    #: The main site a centre associé or point relais belongs to.
    parent_id: int | None
    #: The site's region.
    region_id: int
    #: The region's name.
    region_name: str


def programme_refs(
    session: Session, programme_ids: Collection[int] | None = None
) -> list[ProgrammeRef]:
    """Every programme (or those of ``programme_ids``), by code."""
    query = select(*programme_columns())
    if programme_ids is not None:
        query = query.where(Programme.id.in_(sorted(programme_ids)))
    return [programme_ref(row) for row in session.execute(query.order_by(Programme.code))]


def site_lines(session: Session, condition: ColumnElement[bool] | None = None) -> list[SiteLine]:
    """The sites meeting ``condition`` (on ``Site``; all without), by code."""
    rows = session.execute(
        select(Site.id, Site.code, Site.name, Site.parent_id, Site.region_id, Region.name)
        .join(Region, Region.id == Site.region_id)
        .where(true() if condition is None else condition)
        .order_by(Site.code)
    )
    return [
        SiteLine(SiteRef(site_id, code, name), parent_id, region_id, region)
        for site_id, code, name, parent_id, region_id, region in rows
    ]


def person_columns() -> tuple[Label[Any], ...]:
    """The columns :func:`person_ref` reads, for a query joining ``Person`` to its ``Site``."""
    return (
        Person.id.label("person_id"),
        (Person.given_name + " " + Person.family_name).label("person_name"),
        Person.email.label("person_email"),
        Site.id.label("site_id"),
        Site.code.label("site_code"),
        Site.name.label("site_name"),
    )


def person_ref(row: Row[Any]) -> PersonRef:
    """The person of a row selected with :func:`person_columns`."""
    return PersonRef(
        row.person_id,
        row.person_name,
        row.person_email,
        SiteRef(row.site_id, row.site_code, row.site_name),
    )


def programme_columns() -> tuple[Label[Any], ...]:
    """The columns :func:`programme_ref` reads, for a query joining ``Programme``."""
    return (
        Programme.id.label("programme_id"),
        Programme.code.label("programme_code"),
        Programme.title_fr.label("programme_title_fr"),
        Programme.title_en.label("programme_title_en"),
    )


def programme_ref(row: Row[Any]) -> ProgrammeRef:
    """The programme of a row selected with :func:`programme_columns`."""
    return ProgrammeRef(
        row.programme_id, row.programme_code, row.programme_title_fr, row.programme_title_en
    )


def in_role_order(roles: Iterable[Role]) -> tuple[Role, ...]:
    """Roles in the order of :class:`Role` (reception first, admin last)."""
    return tuple(sorted(roles, key=list(Role).index))
