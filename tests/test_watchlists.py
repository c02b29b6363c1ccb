"""What coordinators watch: certifications ending within 30/90/180 days, the issuing queue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from certify.access.narrowing import DashboardFilters
from certify.access.permissions import PermissionDenied
from certify.model import CertificateState
from certify.rules.dates import add_months
from certify.rules.progress import ProgressStatus
from certify.rules.scope import Scope
from certify.services.issuance import batch_candidates
from certify.store.db import Database
from certify.views.watchlists import HORIZONS, eligible_queue, expiring
from tests.factories import MiniNetwork
from tests.test_progress import populate
from tests.views_network import AS_OF, ViewsNetwork, build_views_network

#: Days from AS_OF to the last valid day of the certificates of the boundary people.
ENDINGS = (-1, 0, 30, 31, 90, 91, 180, 181)


@pytest.fixture
def views(database: Database) -> Iterator[ViewsNetwork]:
    """The views' scenario, with one SQY person per ending and a few special cases."""
    with database.transaction() as session:
        views = build_views_network(MiniNetwork.build(session))
        net = views.net
        for days in ENDINGS:
            person = views.people[f"ends{days:+d}"] = net.person("Fin", f"J{days:+04d}", site="SQY")
            until = AS_OF + timedelta(days=days)
            net.certify(person, "CERT-ACC", valid_from=add_months(until, -36), valid_until=until)
        net.qualify(views.people["ends+30"], "CERT-ACC", on=date(2026, 10, 1))
        renewed = views.people["renewed"] = net.person("Déjà", "Renouvelé", site="SQY")
        net.certify(renewed, "CERT-ACC", valid_from=date(2023, 12, 1))
        net.certify(renewed, "CERT-ACC", valid_from=date(2026, 10, 1))
        revoked = views.people["revoked"] = net.person("Plus", "Révoqué", site="SQY")
        net.certify(
            revoked,
            "CERT-ACC",
            valid_from=date(2023, 12, 1),
            state=CertificateState.REVOKED,
            revoked_on=date(2026, 11, 1),
        )
        yield views


@pytest.mark.parametrize("within", HORIZONS)
def test_expiring_within_each_horizon_on_its_boundaries(views: ViewsNetwork, within: int) -> None:
    """From the day itself to the horizon's last day, both included; soonest first."""
    page = expiring(views.net.session, views.admin, AS_OF, within)
    ends = [line.days_left for line in page.items]
    assert ends == sorted(ends)
    assert page.total == len(page.items)
    renewing = (date(2027, 3, 2) - AS_OF).days
    assert set(ends) == {days for days in (*ENDINGS, renewing) if 0 <= days <= within}
    names = {line.person.name for line in page.items}
    assert "Déjà Renouvelé" not in names
    assert "Plus Révoqué" not in names


def test_expiring_lines(views: ViewsNetwork) -> None:
    """Serial, valid-until and whether a renewal may be issued on the day."""
    lines = {
        line.person.id: line for line in expiring(views.net.session, views.admin, AS_OF, 180).items
    }
    ready = lines[views.id("ends+30")]
    assert (ready.valid_until, ready.days_left) == (AS_OF + timedelta(days=30), 30)
    assert (ready.missing, ready.renewable) == (0, True)
    assert ready.serial.startswith("CDM-") and ready.programme.code == "CERT-ACC"
    assert ready.person.site.code == "SQY"
    assert (lines[views.id("ends+90")].missing, lines[views.id("ends+90")].renewable) == (7, False)
    assert lines[views.id("renewing")].renewable


def test_expiring_filters_scope_and_paging(views: ViewsNetwork) -> None:
    """A site coordinator sees their sites only; filters and pages apply."""
    session = views.net.session
    paris = expiring(session, views.paris, AS_OF, 180)
    assert [line.person.name for line in paris.items] == ["René Renouvelle"]
    sqy_only = DashboardFilters(site_id=views.site("SQY"))
    assert expiring(session, views.paris, AS_OF, 180, sqy_only).total == 0
    cons = DashboardFilters(programme_id=views.programme("CERT-CONS"))
    assert expiring(session, views.admin, AS_OF, 180, cons).total == 0
    first = expiring(session, views.admin, AS_OF, 180, sqy_only, limit=2)
    rest = expiring(session, views.admin, AS_OF, 180, sqy_only, offset=2)
    assert (first.total, len(first.items), len(rest.items)) == (6, 2, 4)
    assert [line.days_left for line in first.items + rest.items] == [0, 30, 31, 90, 91, 180]
    with pytest.raises(PermissionDenied):
        expiring(session, views.staff, AS_OF, 30)


def test_queue_of_the_scenario(views: ViewsNetwork) -> None:
    """By programme, site and name: the renewal in its window and the first certificate."""
    session = views.net.session
    queue = eligible_queue(session, views.admin, AS_OF)
    assert [(line.person.name, line.person.site.code, line.status) for line in queue.items] == [
        ("René Renouvelle", "PARIS-N", ProgressStatus.IN_WINDOW),
        ("Fin J+030", "SQY", ProgressStatus.IN_WINDOW),
        ("Prune Prête", "SQY", ProgressStatus.ELIGIBLE),
    ]
    assert queue.items[0].valid_until == date(2027, 3, 2)
    assert queue.items[2].valid_until is None
    paris = eligible_queue(session, views.paris, AS_OF)
    assert [line.person.name for line in paris.items] == ["René Renouvelle"]
    with pytest.raises(PermissionDenied):
        eligible_queue(session, views.staff, AS_OF)


@pytest.mark.parametrize("seed", [7, 8])
def test_queue_equals_batch_candidates(views: ViewsNetwork, seed: int) -> None:
    """Per programme and scope, the queue lists the people a batch would issue to."""
    populate(views.net, seed, people=24)
    session = views.net.session
    for actor, scope in (
        (views.admin, Scope.network()),
        (views.paris, Scope.sites(views.site("PARIS"))),
    ):
        for code in ("CERT-ACC", "CERT-CONS"):
            programme_id = views.programme(code)
            queue = eligible_queue(
                session, actor, AS_OF, DashboardFilters(programme_id=programme_id)
            )
            assert [line.person.id for line in queue.items] == [
                line.person.id for line in queue.items if line.programme.id == programme_id
            ]
            assert sorted(line.person.id for line in queue.items) == batch_candidates(
                session, actor, programme_id, scope, AS_OF
            )
    page = eligible_queue(session, views.admin, AS_OF, offset=1, limit=2)
    everything = eligible_queue(session, views.admin, AS_OF)
    assert page.items == everything.items[1:3]
    assert page.total == everything.total
