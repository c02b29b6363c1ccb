"""What a trainer picks from: modules, session sites (as permissions allow), competencies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from certify.access.permissions import Action, PermissionDenied, authorize_site
from certify.model import Site
from certify.store.db import Database
from certify.views.catalogue import (
    competencies_by_code,
    modules,
    search_competencies,
    session_sites,
)
from tests.network import STAFF, SmallNetwork, build_small_network


@pytest.fixture
def network(database: Database) -> SmallNetwork:
    """The small network of tests/network.py."""
    return build_small_network(database)


def test_modules_and_competencies(network: SmallNetwork) -> None:
    """Modules by code; competencies found by part of a code or label, with their scale."""
    with network.database.reading() as session:
        assert [m.code for m in modules(session)] == ["M01"]
        [found] = search_competencies(session, "tence 2")
        assert search_competencies(session, "eth-0") == search_competencies(session, "ETH")
        assert search_competencies(session, "nothing like this") == []
        assert competencies_by_code(session, ["ETH-02", "ETH-02", "NONE"]) == {"ETH-02": found}
    assert (found.code, found.label_en) == ("ETH-02", "Competency 2")
    assert [level for level, _, _ in found.levels] == [0, 1, 2, 3]


@pytest.mark.parametrize("person_id", sorted(STAFF))
def test_session_sites_are_those_permissions_allow(network: SmallNetwork, person_id: int) -> None:
    """For everyone of the small network, the sites offered are exactly the authorised ones."""
    actor = network.actor(person_id)
    with network.database.reading() as session:
        offered = {site.id for site in session_sites(session, actor)}
        allowed = set()
        for site_id in session.scalars(select(Site.id)):
            try:
                authorize_site(session, actor, Action.MANAGE_SESSION, site_id)
            except PermissionDenied:
                continue
            allowed.add(site_id)
    assert offered == allowed
