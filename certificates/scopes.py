"""The part of the network a command covers: the site or region asked for, within the actor's.

Without ``--site`` or ``--region`` a coordinator gets their own scope (an administrator
the whole network); asking for a site or region outside it is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, PermissionDenied, Reason, visible_scope
from certify.access.scope import Scope
from certify.model import Region, Site
from certify.parsing import find_region, find_site
from certify.rules.wording import Wording

#: The name of the whole network in titles.
NETWORK = Wording("Réseau des Cités des métiers", "Cités des métiers network")


@dataclass(frozen=True)
class NamedScope:
    """A scope and how titles name it."""

    #: The sites covered.
    scope: Scope
    #: Its name (a site, a region, the network, or a coordinator's sites and regions).
    name: Wording


def requested_scope(
    session: Session, actor: Actor, site_code: str | None, region_name: str | None
) -> NamedScope:
    """The site or region asked for (else the actor's scope), refused if the actor can't see it."""
    visible = visible_scope(actor)
    if site_code:
        site = find_site(session, site_code)
        wanted = NamedScope(Scope.sites(site.id), Wording(site.name, site.name))
    elif region_name:
        region = find_region(session, region_name)
        wanted = NamedScope(Scope.regions(region.id), Wording(region.name, region.name))
    else:
        return NamedScope(visible, _name(session, visible))
    sites = session.execute(
        select(Site.id, Site.parent_id, Site.region_id).where(wanted.scope.site_filter(Site))
    ).all()
    if not all(visible.covers(*site) for site in sites):
        raise PermissionDenied(actor, Action.VIEW_PROGRESS, wanted.name, Reason.OUTSIDE_SCOPE)
    return wanted


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
