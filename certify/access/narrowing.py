"""Who sees what in the read views: a coordinator's scope narrowed by filters, a site, oneself.

A coordinator's view is their :func:`~certify.access.permissions.visible_scope` (everything for
an admin) intersected with the filters chosen on screen; it is applied in SQL, so a
person outside it never reaches Python. Staff see only themselves.

A report or a command asks for a site or a region (:func:`narrowed_scope`): a site must be
wholly in the actor's scope; a region gives the part of it the actor sees; nothing asked
gives the actor's scope.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, PermissionDenied, Reason, visible_scope
from certify.errors import NotFound
from certify.model import Person, Region, Site
from certify.parsing import find_region, find_site
from certify.rules.scope import Scope
from certify.rules.wording import Wording

#: The name of the whole network in titles.
NETWORK = Wording("Réseau des Cités des métiers", "Cités des métiers network")


@dataclass(frozen=True)
class DashboardFilters:
    """What a coordinator narrows a view to (``None``: no filter)."""

    #: Only the sites of this region.
    region_id: int | None = None
    #: Only this site and the centres attached to it.
    site_id: int | None = None
    #: Only this programme.
    programme_id: int | None = None
    #: Only the staff of this employer.
    employer_id: int | None = None


@dataclass(frozen=True)
class CoordinatorView:
    """The part of the network a coordinator's view covers, as SQL conditions."""

    #: What the actor may see.
    scope: Scope
    #: What the actor chose to look at within it.
    filters: DashboardFilters

    @property
    def programme_ids(self) -> list[int] | None:
        """The programmes shown (``None``: all)."""
        programme_id = self.filters.programme_id
        return None if programme_id is None else [programme_id]

    def site_condition(self) -> ColumnElement[bool]:
        """SQL on ``Site``: in the actor's scope and in the region and site filtered on."""
        conditions = [self.scope.site_filter(Site)]
        if self.filters.site_id is not None:
            conditions.append(Scope.sites(self.filters.site_id).site_filter(Site))
        if self.filters.region_id is not None:
            conditions.append(Site.region_id == self.filters.region_id)
        return and_(*conditions)

    def person_condition(self) -> ColumnElement[bool]:
        """SQL on ``Person``: within the view (on a site of it, of the employer chosen)."""
        condition = Person.site_id.in_(select(Site.id).where(self.site_condition()))
        if self.filters.employer_id is not None:
            condition = and_(condition, Person.employer_id == self.filters.employer_id)
        return condition

    @property
    def people(self) -> Select[int] | None:
        """The persons the filters narrow the scope to, for :mod:`certify.rules.progress`.

        ``None`` when no filter narrows the actor's scope.
        """
        filters = self.filters
        if (filters.site_id, filters.region_id, filters.employer_id) == (None, None, None):
            return None
        return select(Person.id).where(self.person_condition())


def coordinator_view(actor: Actor, filters: DashboardFilters) -> CoordinatorView:
    """The actor's view narrowed by ``filters``; :class:`PermissionDenied` for staff."""
    return CoordinatorView(visible_scope(actor), filters)


def active_on(day: date) -> ColumnElement[bool]:
    """SQL: the person is active in the network on ``day``."""
    return and_(
        Person.active_from <= day, or_(Person.active_until.is_(None), Person.active_until >= day)
    )


class Presence(enum.StrEnum):
    """Whom a list of staff holds: those active today, those who have left, or both."""

    #: Active on the day (the lists' default).
    CURRENT = "current"
    #: Left before the day: their last day of activity is past.
    DEPARTED = "departed"
    #: Everyone, whatever their dates.
    ALL = "all"

    def condition(self, day: date) -> ColumnElement[bool]:
        """SQL on ``Person``: whether the person is one of those on ``day``."""
        if self is Presence.CURRENT:
            return active_on(day)
        if self is Presence.DEPARTED:
            return departed_before(day)
        return true()


def departed_before(day: date) -> ColumnElement[bool]:
    """SQL: the person's last day of activity is before ``day``."""
    return Person.active_until < day


def authorize_site_view(session: Session, actor: Actor, site_id: int) -> None:
    """Allow viewing a site's staff as a whole, or raise :class:`PermissionDenied`."""
    row = session.execute(
        select(Site.id, Site.parent_id, Site.region_id).where(Site.id == site_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"aucun site n° {site_id}", f"no site with id {site_id}")
    if not visible_scope(actor).covers(row.id, row.parent_id, row.region_id):
        raise PermissionDenied(actor, Action.VIEW_PROGRESS, f"site {site_id}", Reason.OUTSIDE_SCOPE)


def own_person_id(actor: Actor) -> int:
    """The staff member behind the actor, whose own records they may see."""
    if actor.person_id is None:
        raise PermissionDenied(
            actor,
            Action.VIEW_PERSON,
            Wording("son propre dossier", "own records"),
            Reason.NO_STAFF_MEMBER,
        )
    return actor.person_id


@dataclass(frozen=True)
class NamedScope:
    """A scope and how titles name it."""

    #: The sites covered.
    scope: Scope
    #: Its name (a site, a region, the network, or a coordinator's sites and regions).
    name: Wording


def narrowed_scope(
    session: Session, actor: Actor, site_id: int | None = None, region_id: int | None = None
) -> NamedScope:
    """The site asked for, else the region (the part of it the actor sees), else the actor's
    scope; :class:`PermissionDenied` for a site or region wholly outside it."""
    visible = visible_scope(actor)
    if site_id is not None:
        site = session.get(Site, site_id)
        if site is None:
            raise NotFound(f"aucun site n° {site_id}", f"no site with id {site_id}")
        wanted = NamedScope(Scope.sites(site.id), Wording(site.name, site.name))
        if not all(visible.covers(*row) for row in _sites(session, wanted.scope)):
            raise PermissionDenied(actor, Action.VIEW_PROGRESS, wanted.name, Reason.OUTSIDE_SCOPE)
        return wanted
    if region_id is None:
        return NamedScope(visible, _name(session, visible))
    region = session.get(Region, region_id)
    if region is None:
        raise NotFound(f"aucune région n° {region_id}", f"no region with id {region_id}")
    return _visible_part(session, actor, region)


def requested_scope(
    session: Session, actor: Actor, site_code: str | None, region_name: str | None
) -> NamedScope:
    """:func:`narrowed_scope` for a site code or a region name as people type them."""
    site_id = find_site(session, site_code).id if site_code else None
    region_id = find_region(session, region_name).id if region_name and not site_id else None
    return narrowed_scope(session, actor, site_id, region_id)


def report_scope(session: Session, actor: Actor, filters: DashboardFilters) -> NamedScope:
    """:func:`narrowed_scope` for the dashboard's filters: programme and employer filters do not
    narrow a report (it covers every programme and employer of its sites)."""
    return narrowed_scope(session, actor, filters.site_id, filters.region_id)


def _sites(session: Session, scope: Scope) -> list[tuple[int, int | None, int]]:
    """Each site of ``scope`` as (id, parent id, region id)."""
    rows = session.execute(
        select(Site.id, Site.parent_id, Site.region_id).where(scope.site_filter(Site))
    )
    return [(site_id, parent_id, region_id) for site_id, parent_id, region_id in rows]


def _visible_part(session: Session, actor: Actor, region: Region) -> NamedScope:
    """A region, or the sites of it within the actor's scope, named after the region and them."""
    visible = visible_scope(actor)
    sites = session.execute(
        select(Site.id, Site.parent_id, Site.region_id, Site.name)
        .where(Site.region_id == region.id)
        .order_by(Site.name)
    ).all()
    seen = [site for site in sites if visible.covers(site.id, site.parent_id, site.region_id)]
    if len(seen) == len(sites):
        return NamedScope(Scope.regions(region.id), Wording(region.name, region.name))
    if not seen:
        name = Wording(region.name, region.name)
        raise PermissionDenied(actor, Action.VIEW_PROGRESS, name, Reason.OUTSIDE_SCOPE)
    ids = {site.id for site in seen}
    main = ", ".join(site.name for site in seen if site.parent_id not in ids)
    text = f"{region.name} — {main}"
    return NamedScope(Scope.sites(*ids), Wording(text, text))


def _name(session: Session, scope: Scope) -> Wording:
    """The network, or the names of a scope's sites and regions."""
    if scope.is_network:
        return NETWORK
    names = list(
        session.scalars(select(Site.name).where(Site.id.in_(sorted(scope.site_ids or ()))))
    )
    names += session.scalars(
        select(Region.name).where(Region.id.in_(sorted(scope.region_ids or ())))
    )
    text = ", ".join(sorted(names))
    return Wording(text, text)
