"""The coordinator's dashboard: counts agree with progress, filters, scope, filter choices."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from certify.access.narrowing import DashboardFilters
from certify.access.permissions import PermissionDenied
from certify.model import Person
from certify.rules.progress import ProgressStatus, progress
from certify.rules.scope import Scope
from certify.views.dashboard import Dashboard, StatusCounts, dashboard, filter_choices
from tests.test_progress import populate
from tests.views_network import AS_OF, ViewsNetwork, views_network

#: The views' scenario, on each backend.
views = pytest.fixture(views_network, name="views")


def counted(board: Dashboard) -> dict[tuple[int, int, ProgressStatus], int]:
    """The dashboard's non-zero counts per site, programme and status."""
    return {
        (row.site.site.id, row.programme.id, status): row.counts.count(status)
        for row in board.rows
        for status in ProgressStatus
        if row.counts.count(status)
    }


def expected(
    views: ViewsNetwork,
    scope: Scope,
    programme_id: int | None = None,
    employer_id: int | None = None,
) -> Counter[tuple[int, int, ProgressStatus]]:
    """progress() of the scope (and programme) counted per site, programme and status."""
    persons = {person.id: person for person in views.net.session.scalars(select(Person))}
    programmes = None if programme_id is None else [programme_id]
    return Counter(
        (persons[row.person_id].site_id, row.programme_id, row.status)
        for row in progress(views.net.session, AS_OF, scope, programmes)
        if employer_id in (None, persons[row.person_id].employer_id)
    )


@pytest.mark.parametrize("seed", [4, 5])
def test_counts_agree_with_progress(views: ViewsNetwork, seed: int) -> None:
    """Random staff: every site × programme × status count is progress() counted."""
    populate(views.net, seed, people=24)
    board = dashboard(views.net.session, views.admin, AS_OF)
    assert counted(board) == expected(views, Scope.network())
    for total in board.totals:
        rows = [row.counts for row in board.rows if row.programme.id == total.programme.id]
        assert total.counts.total == sum(counts.total for counts in rows)
        for status in ProgressStatus:
            assert total.counts.count(status) == sum(counts.count(status) for counts in rows)
    assert [(row.site.site.code, row.programme.code) for row in board.rows] == sorted(
        (row.site.site.code, row.programme.code) for row in board.rows
    )


def test_each_status_is_counted(views: ViewsNetwork) -> None:
    """CERT-ACC at PARIS, PARIS-N and SQY: the scenario's people land in their column."""
    board = dashboard(
        views.net.session,
        views.admin,
        AS_OF,
        DashboardFilters(programme_id=views.programme("CERT-ACC")),
    )
    by_site = {row.site.site.code: row.counts for row in board.rows}
    assert by_site["PARIS"] == StatusCounts(certified=1, expired=1, in_progress=1)
    assert by_site["PARIS-N"] == StatusCounts(in_window=1)
    assert by_site["SQY"] == StatusCounts(eligible=1, in_progress=2)
    assert by_site["LYON"] == StatusCounts(in_progress=1)
    assert [total.programme.code for total in board.totals] == ["CERT-ACC"]
    assert board.totals[0].counts.total == 8
    assert by_site["PARIS"].total == 3


def test_filters_narrow_the_counts(views: ViewsNetwork) -> None:
    """Region, site (with its centre), programme and employer: as progress() narrowed."""
    populate(views.net, 6, people=18)
    session, admin = views.net.session, views.admin
    paris, lyon = views.site("PARIS"), views.site("LYON")
    cons = views.programme("CERT-CONS")
    region = views.net.sites["LYON"].region_id
    france_travail = views.employers["France Travail"].id

    def board(**filters: int) -> dict[tuple[int, int, ProgressStatus], int]:
        """The admin's counts with these filters."""
        return counted(dashboard(session, admin, AS_OF, DashboardFilters(**filters)))

    assert board(region_id=region) == expected(views, Scope.regions(region))
    assert board(site_id=paris) == expected(views, Scope.sites(paris))
    assert {site for site, _, _ in board(site_id=paris)} == {paris, views.site("PARIS-N")}
    assert board(programme_id=cons) == expected(views, Scope.network(), programme_id=cons)
    assert board(employer_id=france_travail) == expected(
        views, Scope.network(), employer_id=france_travail
    )
    assert board(site_id=lyon, programme_id=cons) == expected(
        views, Scope.sites(lyon), programme_id=cons
    )
    assert board(region_id=region, site_id=paris) == {}


def test_a_site_coordinator_sees_only_their_scope(views: ViewsNetwork) -> None:
    """PARIS and its centre only; asking for another site shows nothing."""
    session = views.net.session
    board = dashboard(session, views.paris, AS_OF)
    assert {row.site.site.code for row in board.rows} == {"PARIS", "PARIS-N"}
    assert counted(board) == expected(views, Scope.sites(views.site("PARIS")))
    other = DashboardFilters(site_id=views.site("SQY"))
    assert dashboard(session, views.paris, AS_OF, other).rows == ()


def test_staff_see_no_dashboard(views: ViewsNetwork) -> None:
    """A counsellor has no coordinator scope."""
    with pytest.raises(PermissionDenied):
        dashboard(views.net.session, views.staff, AS_OF)
    with pytest.raises(PermissionDenied):
        filter_choices(views.net.session, views.staff)


def test_filter_choices_stay_within_the_scope(views: ViewsNetwork) -> None:
    """Sites, regions and employers of the scope; every programme."""
    session = views.net.session
    everything = filter_choices(session, views.admin)
    assert [line.site.code for line in everything.sites] == ["LYON", "PARIS", "PARIS-N", "SQY"]
    assert [name for _, name in everything.regions] == ["Auvergne-Rhône-Alpes", "Île-de-France"]
    assert [employer.name for employer in everything.employers] == [
        "France Travail",
        "Mission locale",
    ]
    assert [p.code for p in everything.programmes] == ["CERT-ACC", "CERT-CONS"]
    paris = filter_choices(session, views.paris)
    assert [line.site.code for line in paris.sites] == ["PARIS", "PARIS-N"]
    assert [line.parent_id for line in paris.sites] == [None, views.site("PARIS")]
    assert [name for _, name in paris.regions] == ["Île-de-France"]
    assert [employer.name for employer in paris.employers] == ["France Travail"]
