"""Scopes: the part of the network a query or a coordinator covers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, true

from certify.model import Site


@dataclass(frozen=True)
class Scope:
    """Some sites, some regions, or (both ``None``) the whole network.

    A site in scope brings its centres associés and points relais with it.
    """

    #: Sites covered (with the centres attached to them), or ``None``.
    site_ids: frozenset[int] | None = None
    #: Regions covered, or ``None``.
    region_ids: frozenset[int] | None = None

    @classmethod
    def network(cls) -> Scope:
        """The whole network."""
        return cls()

    @classmethod
    def sites(cls, *site_ids: int) -> Scope:
        """These sites and the centres attached to them."""
        return cls(site_ids=frozenset(site_ids))

    @classmethod
    def regions(cls, *region_ids: int) -> Scope:
        """Every site of these regions."""
        return cls(region_ids=frozenset(region_ids))

    @property
    def is_network(self) -> bool:
        """Whether the scope is the whole network."""
        return self.site_ids is None and self.region_ids is None

    def covers(self, site_id: int, parent_id: int | None, region_id: int) -> bool:
        """Whether a site (given its parent and region) is in scope."""
        if self.is_network:
            return True
        sites = self.site_ids or frozenset()
        return (
            site_id in sites or parent_id in sites or region_id in (self.region_ids or frozenset())
        )

    def site_filter(self, site: type[Site] = Site) -> ColumnElement[bool]:
        """An SQL condition on ``site`` (or an alias of it) selecting the sites in scope.

        It is never NULL, so its negation selects exactly the sites out of scope.
        """
        if self.is_network:
            return true()
        conditions = []
        if self.site_ids is not None:
            ids = sorted(self.site_ids)
            conditions += [
                site.id.in_(ids),
                and_(site.parent_id.is_not(None), site.parent_id.in_(ids)),
            ]
        if self.region_ids is not None:
            conditions.append(site.region_id.in_(sorted(self.region_ids)))
        return or_(*conditions)
