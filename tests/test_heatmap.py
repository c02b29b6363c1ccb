"""A site's competency heat map: the levels of competency_statuses, paged, within the scope."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from certify.access.permissions import PermissionDenied
from certify.errors import NotFound
from certify.rules.competencies import competency_statuses
from certify.rules.evidence import LevelRef
from certify.store.db import Database
from certify.views.heatmap import competency_heatmap
from tests.factories import SCALE, MiniNetwork
from tests.views_network import AS_OF, ViewsNetwork, build_views_network


@pytest.fixture
def views(database: Database) -> Iterator[ViewsNetwork]:
    """The views' scenario, with an expired and a corrected assessment at PARIS."""
    with database.transaction() as session:
        views = build_views_network(MiniNetwork.build(session))
        lapsed = views.people["lapsed"]
        views.net.assess(lapsed, "CON-01", 3, on=date(2022, 1, 5))
        wrong = views.net.assess(views.people["certified"], "CON-01", 3, on=date(2026, 2, 1))
        views.net.assess(
            views.people["certified"], "CON-01", 1, on=date(2026, 2, 1), supersedes=wrong
        )
        yield views


def test_cells_are_the_valid_levels_of_competency_statuses(views: ViewsNetwork) -> None:
    """PARIS's own active staff by name (its centre's René apart, as the dashboard's PARIS
    line counts them); expired or never assessed: None."""
    session = views.net.session
    heatmap = competency_heatmap(session, views.paris, views.site("PARIS"), AS_OF)
    assert [row.person.name for row in heatmap.rows.items] == [
        "Claire Certifiée",
        "Laure Lapse",
        "Jean Martin",
    ]
    assert [column.code for column in heatmap.columns] == [
        "ETH-01",
        "ETH-02",
        "ETH-03",
        "ACC-01",
        "CON-01",
    ]
    assert {column.min_level for column in heatmap.columns} == {None}
    ids = [row.person.id for row in heatmap.rows.items]
    statuses = competency_statuses(session, ids, AS_OF)
    for row in heatmap.rows.items:
        for column, level in zip(heatmap.columns, row.levels, strict=True):
            status = statuses.get((row.person.id, column.id))
            assert level == (status.level if status else None)
    by_name = {row.person.name: row.levels for row in heatmap.rows.items}
    assert by_name["Laure Lapse"] == (1, 2, 2, 2, None)
    assert by_name["Claire Certifiée"] == (2, 2, 2, 2, 1)
    assert by_name["Jean Martin"] == (None,) * 5
    assert heatmap.scale.threshold == 2
    assert heatmap.scale.levels == tuple(LevelRef(*level) for level in SCALE)
    assert (heatmap.site.code, heatmap.as_of, heatmap.programme) == ("PARIS", AS_OF, None)


def test_a_programme_shows_its_competencies_and_levels(views: ViewsNetwork) -> None:
    """CERT-CONS: CON-01 at 2 and ETH-01 at 3, in the framework's order."""
    cons = views.programme("CERT-CONS")
    heatmap = competency_heatmap(views.net.session, views.admin, views.site("SQY"), AS_OF, cons)
    assert [(c.code, c.min_level) for c in heatmap.columns] == [("ETH-01", 3), ("CON-01", 2)]
    assert heatmap.programme is not None and heatmap.programme.code == "CERT-CONS"
    by_name = {row.person.name: row.levels for row in heatmap.rows.items}
    assert by_name == {
        "Sacha Coord": (None, None),
        "Hélène Dupré": (2, None),
        "Prune Prête": (2, None),
    }


def test_rows_are_paged(views: ViewsNetwork) -> None:
    """Two per page; the total counts the site's active staff."""
    session, paris = views.net.session, views.site("PARIS")
    first = competency_heatmap(session, views.paris, paris, AS_OF, limit=2)
    second = competency_heatmap(session, views.paris, paris, AS_OF, offset=2, limit=2)
    assert (first.rows.total, len(first.rows.items), len(second.rows.items)) == (3, 2, 1)
    assert [row.person.name for row in first.rows.items + second.rows.items] == [
        "Claire Certifiée",
        "Laure Lapse",
        "Jean Martin",
    ]


def test_only_sites_of_the_scope(views: ViewsNetwork) -> None:
    """PARIS's coordinator may not see SQY's; staff see no heat map; unknown site."""
    session = views.net.session
    with pytest.raises(PermissionDenied):
        competency_heatmap(session, views.paris, views.site("SQY"), AS_OF)
    with pytest.raises(PermissionDenied):
        competency_heatmap(session, views.staff, views.site("PARIS"), AS_OF)
    assert competency_heatmap(session, views.paris, views.site("PARIS-N"), AS_OF).rows.total == 1
    with pytest.raises(NotFound):
        competency_heatmap(session, views.admin, 9999, AS_OF)
