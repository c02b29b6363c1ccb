"""A brand-new network (no framework, module or programme yet) is counted, listed and
refreshed like any other: nothing fails for want of a renewal or validity period."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from certify.access.permissions import Actor
from certify.cli import main
from certify.rules.progress import standings
from certify.rules.scope import Scope
from certify.services.bootstrap import FirstAdmin, start_network
from certify.store.db import Database
from certify.store.standings_cache import RefreshKind, refresh
from certify.views.dashboard import dashboard
from certify.views.staff_directory import staff_page
from certify.views.watchlists import eligible_queue, expiring

#: The day the network starts.
TODAY = date(2026, 11, 21)
#: Who starts it.
DRAFT = FirstAdmin(
    site_code="nimes",
    site_name="Cité des métiers de Nîmes et du Gard",
    region="Occitanie",
    country="FR",
    given_name="Aïcha",
    family_name="Benali",
    email="aicha.benali@nimes.example",
    username="aicha",
    password="motdepasse-solide",
)


@pytest.fixture
def admin(database: Database) -> Actor:
    """The administrator of a network just started: one site, one person, nothing else."""
    with database.transaction() as session:
        return start_network(session, DRAFT, TODAY)


def test_an_empty_database_has_no_standings(database: Database) -> None:
    """Not one person nor programme: the standings are an empty set, not an error."""
    with database.reading() as session:
        assert session.execute(select(standings(session, TODAY, Scope.network()))).all() == []


def test_the_first_refresh_of_a_new_network_is_full_and_empty(
    database: Database, admin: Actor
) -> None:
    """The standings cache refreshes fully; with no programme nobody has a row in it."""
    with database.transaction() as session:
        done = refresh(session, TODAY)
    assert done.kind is RefreshKind.FULL and done.people == 0


def test_a_new_network_reads_as_empty_and_lists_its_administrator(
    database: Database, admin: Actor
) -> None:
    """The dashboard and the watchlists are empty; the staff list holds the administrator."""
    with database.transaction() as session:
        refresh(session, TODAY)
    with database.reading() as session:
        board = dashboard(session, admin, TODAY)
        assert (board.rows, board.totals) == ((), ())
        assert eligible_queue(session, admin, TODAY).total == 0
        assert expiring(session, admin, TODAY, 90).total == 0
        staff = staff_page(session, admin, TODAY)
    assert [line.person.name for line in staff.items] == ["Aïcha Benali"]
    assert staff.total == 1


def test_db_refresh_on_an_empty_database_says_what_it_did(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """``certify db refresh`` on a database without modules or programmes: no traceback."""
    assert main(["--db", database.url, "db", "refresh", "--as-of", TODAY.isoformat()]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "21 novembre 2026" in captured.out
