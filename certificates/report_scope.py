"""The part of the network a report asked for from the dashboard covers: its filters, within
the actor's scope.

A site filtered on gives that site (and its centres); a region gives the region, or only
the sites of it the actor sees when their scope covers part of it; no filter gives the
actor's scope. Programme and employer filters do not narrow a report: the progress and
Qualiopi reports cover every programme and employer of their sites.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from certificates.scopes import NamedScope, requested_scope
from certify.access.narrowing import DashboardFilters
from certify.access.permissions import Action, Actor, PermissionDenied, Reason, visible_scope
from certify.access.scope import Scope
from certify.errors import NotFound
from certify.model import Region, Site
from certify.rules.wording import Wording


def report_scope(session: Session, actor: Actor, filters: DashboardFilters) -> NamedScope:
    """The site filtered on, else the region (the part of it the actor sees), else the
    actor's scope; :class:`PermissionDenied` for a site or region wholly outside it."""
    if filters.site_id is not None:
        code = session.scalar(select(Site.code).where(Site.id == filters.site_id))
        if code is None:
            raise NotFound(f"aucun site n° {filters.site_id}", f"no site with id {filters.site_id}")
        return requested_scope(session, actor, code, None)
    if filters.region_id is None:
        return requested_scope(session, actor, None, None)
    region = session.get(Region, filters.region_id)
    if region is None:
        raise NotFound(
            f"aucune région n° {filters.region_id}", f"no region with id {filters.region_id}"
        )
    return _visible_part(session, actor, region)


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
