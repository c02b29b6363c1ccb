"""Who sees what in the read views: a coordinator's scope narrowed by filters, a site, oneself.

A coordinator's view is their :func:`~certify.access.permissions.visible_scope` (everything for
an admin) intersected with the filters chosen on screen; it is applied in SQL, so a
person outside it never reaches Python. Staff see only themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, PermissionDenied, Reason, visible_scope
from certify.access.scope import Scope
from certify.errors import NotFound
from certify.model import Person, Site
from certify.rules.wording import Wording


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
    def people(self) -> Select[tuple[int]] | None:
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
