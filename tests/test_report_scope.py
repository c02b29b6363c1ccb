"""The scope of a report asked for from the dashboard: its site or region filter, within the
actor's scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from certify.access.narrowing import NETWORK, DashboardFilters, report_scope
from certify.access.permissions import Actor, PermissionDenied
from certify.errors import NotFound
from certify.model import Region, Role
from certify.rules.scope import Scope
from certify.rules.wording import Wording
from certify.store.db import Database
from tests.factories import MiniNetwork

#: The name of SQY, as titles give it.
SQY_NAME = "Cité des métiers de Saint-Quentin-en-Yvelines"


def build(database: Database) -> dict[str, int]:
    """The mini network plus a site in another region; site and region ids by code or name."""
    with database.transaction() as session:
        network = MiniNetwork.build(session)
        network.site("LYON", "Cité des métiers de Lyon", region="Auvergne-Rhône-Alpes")
        ids = {code: site.id for code, site in network.sites.items()}
        ids.update({region.name: region.id for region in session.scalars(select(Region))})
        return ids


def coordinator_of(*site_ids: int) -> Actor:
    """A coordinator of these sites."""
    return Actor(
        "coord", None, frozenset({Role.COORDINATOR}), coordinator_scope=Scope.sites(*site_ids)
    )


def test_no_filter_gives_the_actor_s_scope(database: Database) -> None:
    """An administrator: the network; a coordinator: their sites."""
    ids = build(database)
    with database.reading() as session:
        assert report_scope(session, Actor.system(), DashboardFilters()).name == NETWORK
        own = report_scope(session, coordinator_of(ids["SQY"]), DashboardFilters())
    assert own.scope == Scope.sites(ids["SQY"]) and own.name == Wording(SQY_NAME, SQY_NAME)


def test_a_site_filter_gives_the_site_if_the_actor_sees_it(database: Database) -> None:
    """SQY for its coordinator; PARIS is refused to them; an unknown id is not found."""
    ids = build(database)
    coordinator = coordinator_of(ids["SQY"])
    with database.reading() as session:
        sqy = report_scope(session, coordinator, DashboardFilters(site_id=ids["SQY"]))
        assert sqy.scope == Scope.sites(ids["SQY"])
        with pytest.raises(PermissionDenied):
            report_scope(session, coordinator, DashboardFilters(site_id=ids["PARIS"]))
        with pytest.raises(NotFound):
            report_scope(session, coordinator, DashboardFilters(site_id=999_999))


def test_a_region_filter_gives_the_part_of_it_the_actor_sees(database: Database) -> None:
    """The whole region for an administrator; SQY alone, named so, for its coordinator;
    a region the coordinator has no site in is refused."""
    ids = build(database)
    idf = ids["Île-de-France"]
    coordinator = coordinator_of(ids["SQY"])
    with database.reading() as session:
        whole = report_scope(session, Actor.system(), DashboardFilters(region_id=idf))
        part = report_scope(session, coordinator, DashboardFilters(region_id=idf))
        paris = report_scope(session, coordinator_of(ids["PARIS"]), DashboardFilters(region_id=idf))
        with pytest.raises(PermissionDenied):
            report_scope(
                session, coordinator, DashboardFilters(region_id=ids["Auvergne-Rhône-Alpes"])
            )
        with pytest.raises(NotFound):
            report_scope(session, coordinator, DashboardFilters(region_id=999_999))
    assert whole.scope == Scope.regions(idf) and whole.name.fr == "Île-de-France"
    assert part.scope == Scope.sites(ids["SQY"])
    assert part.name.fr == f"Île-de-France — {SQY_NAME}"
    assert paris.scope == Scope.sites(ids["PARIS"], ids["PARIS-N"])
    assert paris.name.fr == "Île-de-France — Cité des métiers de Paris-La Villette"
