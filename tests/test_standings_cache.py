"""The standings cache: it agrees with the rules, follows the services' writes person by
person, recomputes everything for a new day or an unknown change, and is never read stale."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Subquery, select
from sqlalchemy.orm import Session

from certify.access.narrowing import DashboardFilters
from certify.model import AssessmentMethod
from certify.rules.progress import standings
from certify.rules.scope import Scope
from certify.services.assessments import NewAssessment, record_assessments
from certify.services.issuance import issue_certificate, revoke_certificate
from certify.store.audit import Change, record
from certify.store.standings_cache import Refresh, RefreshKind, is_current, refresh, standing_rows
from certify.views.dashboard import dashboard
from certify.views.watchlists import eligible_queue
from tests.test_dashboard import counted, expected
from tests.test_progress import populate
from tests.views_network import AS_OF, ViewsNetwork, views_network

#: The views' scenario, on each backend.
views = pytest.fixture(views_network, name="views")


def rows_of(session: Session, standing: Subquery) -> set[tuple[Any, ...]]:
    """Every row of a standings query."""
    return {tuple(row) for row in session.execute(select(standing))}


def live(session: Session, day: date = AS_OF) -> set[tuple[Any, ...]]:
    """What the rules answer now for the whole network."""
    return rows_of(session, standings(session, day, Scope.network()))


def cached(session: Session, day: date = AS_OF) -> set[tuple[Any, ...]]:
    """What the cache holds (it must be current)."""
    assert is_current(session, day)
    return rows_of(session, standing_rows(session, day, Scope.network()))


def queued(session: Session, views: ViewsNetwork) -> list[int]:
    """The persons in the network's issuing queue."""
    return [line.person.id for line in eligible_queue(session, views.admin, AS_OF).items]


@pytest.mark.parametrize("seed", [4, 5])
def test_a_full_refresh_agrees_with_the_rules(views: ViewsNetwork, seed: int) -> None:
    """Random staff: the cache holds the rules' rows; the dashboard read from it agrees
    with the rules for every scope and filter."""
    populate(views.net, seed, people=24)
    session = views.net.session
    done = refresh(session, AS_OF)
    assert done.kind is RefreshKind.FULL
    assert cached(session) == live(session)
    assert counted(dashboard(session, views.admin, AS_OF)) == expected(views, Scope.network())
    paris = Scope.sites(views.site("PARIS"))
    assert counted(dashboard(session, views.paris, AS_OF)) == expected(views, paris)
    acc = views.programme("CERT-ACC")
    board = dashboard(session, views.admin, AS_OF, DashboardFilters(programme_id=acc))
    assert counted(board) == expected(views, Scope.network(), acc)
    employer = views.employers["Mission locale"].id
    board = dashboard(session, views.admin, AS_OF, DashboardFilters(employer_id=employer))
    assert counted(board) == expected(views, Scope.network(), employer_id=employer)
    assert refresh(session, AS_OF).kind is RefreshKind.NONE


def test_writes_refresh_only_the_persons_they_touch(views: ViewsNetwork) -> None:
    """An assessment, an issue and a revocation each make the cache stale; reads then
    answer live; the refresh recomputes that one person and agrees with the rules."""
    session = views.net.session
    refresh(session, AS_OF)
    helene, ready = views.id("helene"), views.id("ready")
    competency = views.net.competencies["ETH-02"].id
    entry = NewAssessment(helene, competency, 3, AS_OF, AssessmentMethod.OBSERVATION)
    record_assessments(session, views.sqy, [entry], AS_OF)
    assert not is_current(session, AS_OF)
    assert counted(dashboard(session, views.admin, AS_OF)) == expected(views, Scope.network())
    assert refresh(session, AS_OF) == Refresh(RefreshKind.PEOPLE, 1)
    assert cached(session) == live(session)

    acc = views.programme("CERT-ACC")
    assert ready in queued(session, views)
    issued = issue_certificate(session, views.admin, ready, acc, AS_OF)
    assert refresh(session, AS_OF) == Refresh(RefreshKind.PEOPLE, 1)
    assert ready not in queued(session, views)
    revoke_certificate(session, views.admin, issued.certificate.serial, AS_OF, "Erreur de saisie")
    assert refresh(session, AS_OF) == Refresh(RefreshKind.PEOPLE, 1)
    assert cached(session) == live(session)


def test_a_new_day_or_an_untraced_change_recomputes_everything(views: ViewsNetwork) -> None:
    """Dates move statuses (a certificate ends): a new day is a full refresh. So is any
    event the cache cannot trace to persons, such as an import."""
    session = views.net.session
    refresh(session, AS_OF)
    later = AS_OF + timedelta(days=400)
    assert not is_current(session, later)
    assert refresh(session, later).kind is RefreshKind.FULL
    assert cached(session, later) == live(session, later)
    assert cached(session, later) != live(session)
    record(session, None, Change("person.imported", "person", "nouvelle@example.org"))
    assert refresh(session, later).kind is RefreshKind.FULL
    record(session, None, Change("account.created", "user_account", "nouvelle"))
    assert refresh(session, later).kind is RefreshKind.NONE
