"""The staff list: paging, search without case or accents, filters, scope, statuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from certify.access.narrowing import Presence
from certify.access.permissions import PermissionDenied
from certify.errors import NotFound
from certify.model import Role
from certify.parsing import find_person
from certify.rules.dates import CertificateStatus
from certify.rules.progress import ProgressStatus, progress
from certify.rules.scope import Scope
from certify.views.staff_directory import StaffOrder, StaffQuery, staff_lines, staff_page
from tests.views_network import AS_OF, ViewsNetwork, views_network

#: The views' scenario, on each backend.
views = pytest.fixture(views_network, name="views")


def names(views: ViewsNetwork, **query: Any) -> list[str]:
    """The names the admin's list shows for ``query`` (one page of 50)."""
    page = staff_page(views.net.session, views.admin, AS_OF, StaffQuery(**query))
    return [line.person.name for line in page.items]


def test_pages_cover_the_active_staff_once_in_order(views: ViewsNetwork) -> None:
    """Three per page, by family name; the total counts everyone active, and only them."""
    session = views.net.session
    pages = [
        staff_page(session, views.admin, AS_OF, StaffQuery(offset=offset, limit=3))
        for offset in (0, 3, 6, 9)
    ]
    assert [page.total for page in pages] == [8] * 4
    assert [len(page.items) for page in pages] == [3, 3, 2, 0]
    assert [line.person.name for page in pages for line in page.items] == [
        "Claire Certifiée",
        "Sacha Coord",
        "Hélène Dupré",
        "Laure Lapse",
        "Jean Martin",
        "Prune Prête",
        "René Renouvelle",
        "Łukasz Wróbel",
    ]


def test_orders(views: ViewsNetwork) -> None:
    """By site code then name, or by e-mail."""
    by_site = staff_page(views.net.session, views.admin, AS_OF, StaffQuery(order=StaffOrder.SITE))
    assert [line.person.site.code for line in by_site.items] == sorted(
        line.person.site.code for line in by_site.items
    )
    by_email = staff_page(views.net.session, views.admin, AS_OF, StaffQuery(order=StaffOrder.EMAIL))
    emails = [line.person.email for line in by_email.items]
    assert emails == sorted(emails)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("helene", ["Hélène Dupré"]),
        ("HÉLÈNE", ["Hélène Dupré"]),
        ("dupre hel", ["Hélène Dupré"]),
        ("  Dupré  ", ["Hélène Dupré"]),
        ("lukasz wrob", ["Łukasz Wróbel"]),
        ("renee", []),
        ("rene", ["René Renouvelle"]),
        ("prete", ["Prune Prête"]),
        ("jean.martin@", ["Jean Martin"]),
        ("*", []),
        ("[a]", []),
        ("%", []),
        ("", None),
    ],
)
def test_search_ignores_case_and_accents(
    views: ViewsNetwork, text: str, found: list[str] | None
) -> None:
    """Every word typed, folded, is found in the name or e-mail, in any order."""
    got = names(views, text=text)
    assert got == found if found is not None else len(got) == 8


def test_search_stays_within_the_coordinators_scope(views: ViewsNetwork) -> None:
    """Hélène works at SQY: PARIS's coordinator never finds her; SQY's does."""
    session = views.net.session
    query = StaffQuery(text="helene")
    assert staff_page(session, views.paris, AS_OF, query).total == 0
    assert [line.person.name for line in staff_page(session, views.sqy, AS_OF, query).items] == [
        "Hélène Dupré"
    ]
    everyone = staff_page(session, views.paris, AS_OF, StaffQuery())
    assert {line.person.site.code for line in everyone.items} == {"PARIS", "PARIS-N"}
    with pytest.raises(PermissionDenied):
        staff_page(session, views.staff, AS_OF, StaffQuery())


def test_filters(views: ViewsNetwork) -> None:
    """Site (with its centres), region, employer."""
    region = views.net.sites["LYON"].region_id
    assert names(views, site_id=views.site("SQY")) == ["Sacha Coord", "Hélène Dupré", "Prune Prête"]
    assert names(views, region_id=region) == ["Łukasz Wróbel"]
    assert names(views, employer_id=views.employers["Mission locale"].id) == ["Prune Prête"]
    paris = names(views, site_id=views.site("PARIS"))
    assert "René Renouvelle" in paris
    assert names(views, site_id=views.site("PARIS"), region_id=region) == []


def test_status_filter_agrees_with_progress(views: ViewsNetwork) -> None:
    """On one programme, or on any programme."""
    session = views.net.session
    acc = views.programme("CERT-ACC")
    rows = progress(session, AS_OF, Scope.network())
    for status in ProgressStatus:
        for programme_id in (acc, None):
            page = staff_page(
                session,
                views.admin,
                AS_OF,
                StaffQuery(programme_id=programme_id, status=status),
            )
            assert {line.person.id for line in page.items} == {
                row.person_id
                for row in rows
                if row.status is status and programme_id in (None, row.programme_id)
            }, (status, programme_id)


def test_lines_carry_site_employer_roles_and_statuses(views: ViewsNetwork) -> None:
    """Each line's statuses are its person's progress rows, one per programme by code."""
    session = views.net.session
    page = staff_page(session, views.admin, AS_OF, StaffQuery())
    rows = {
        (row.person_id, row.programme_id): row for row in progress(session, AS_OF, Scope.network())
    }
    for line in page.items:
        assert [cell.programme.code for cell in line.statuses] == ["CERT-ACC", "CERT-CONS"]
        for cell in line.statuses:
            row = rows[line.person.id, cell.programme.id]
            assert (cell.status, cell.valid_until, cell.missing) == (
                row.status,
                row.valid_until,
                row.missing,
            )
    by_id = {line.person.id: line for line in page.items}
    certified = by_id[views.id("certified")]
    assert certified.employer == "France Travail"
    assert certified.person.site.code == "PARIS"
    assert certified.roles == (Role.COUNSELLOR,)
    assert by_id[views.net.assessor.id].roles == (Role.TRAINER, Role.COORDINATOR)
    acc = certified.status_on(views.programme("CERT-ACC"))
    assert acc is not None and acc.status is ProgressStatus.CERTIFIED
    assert by_id[views.id("ready")].employer == "Mission locale"
    assert by_id[views.id("helene")].employer is None


@pytest.mark.parametrize(
    "query",
    [
        StaffQuery(),
        StaffQuery(text="lukasz"),
        StaffQuery(order=StaffOrder.EMAIL),
        StaffQuery(status=ProgressStatus.CERTIFIED),
    ],
    ids=["all", "search", "by-email", "status"],
)
def test_an_export_has_every_page_of_the_list(views: ViewsNetwork, query: StaffQuery) -> None:
    """staff_lines() is the pages of staff_page() end to end, whatever its page asks."""
    session = views.net.session
    pages = [
        staff_page(session, views.admin, AS_OF, replace(query, offset=offset, limit=3))
        for offset in range(0, 12, 3)
    ]
    paged = tuple(line for page in pages for line in page.items)
    assert paged and staff_lines(session, views.admin, AS_OF, replace(query, limit=3)) == paged


def test_an_export_stays_within_the_coordinators_scope(views: ViewsNetwork) -> None:
    """A site coordinator's export holds their site's staff only; staff get none."""
    session = views.net.session
    lines = staff_lines(session, views.sqy, AS_OF)
    assert {line.person.site.code for line in lines} == {"SQY"}
    with pytest.raises(PermissionDenied):
        staff_lines(session, views.staff, AS_OF)


def departed_holder(views: ViewsNetwork) -> None:
    """``left`` (PARIS, left on 30 June 2026) holds a CERT-ACC; Max left SQY in 2024."""
    views.net.certify(views.people["left"], "CERT-ACC", valid_from=date(2025, 3, 2))
    views.net.person("Max", "Ancien", site="SQY", active_until=date(2024, 7, 4))
    views.net.session.flush()


@pytest.mark.parametrize(
    ("presence", "found"),
    [
        (Presence.CURRENT, 8),
        (Presence.DEPARTED, ["Max Ancien", "Léo Parti"]),
        (Presence.ALL, 10),
    ],
)
def test_presence_lists_the_current_the_departed_or_everyone(
    views: ViewsNetwork, presence: Presence, found: list[str] | int
) -> None:
    """Departed staff are found only when asked for: alone, or with everyone."""
    departed_holder(views)
    got = names(views, presence=presence)
    assert got == found if isinstance(found, list) else len(got) == found
    assert ("Léo Parti" in got) is (presence is not Presence.CURRENT)
    assert names(views, presence=presence, text="parti") == (
        [] if presence is Presence.CURRENT else ["Léo Parti"]
    )


def test_a_departed_line_carries_the_day_they_left_and_their_certificates(
    views: ViewsNetwork,
) -> None:
    """The last day is given only when past; certificates come with their status today."""
    departed_holder(views)
    session = views.net.session
    page = staff_page(session, views.admin, AS_OF, StaffQuery(presence=Presence.ALL))
    by_name = {line.person.name: line for line in page.items}
    left = by_name["Léo Parti"]
    assert left.left_on == date(2026, 6, 30)
    assert [(c.programme.code, c.status) for c in left.certificates] == [
        ("CERT-ACC", CertificateStatus.VALID)
    ]
    assert by_name["Max Ancien"].left_on == date(2024, 7, 4)
    assert by_name["Max Ancien"].certificates == ()
    certified = by_name["Claire Certifiée"]
    assert certified.left_on is None
    assert [c.programme.code for c in certified.certificates] == ["CERT-ACC"]
    on_last_day = staff_page(session, views.admin, date(2026, 6, 30), StaffQuery(text="parti"))
    assert [line.left_on for line in on_last_day.items] == [None]
    assert staff_lines(session, views.admin, AS_OF, StaffQuery(presence=Presence.ALL)) == (
        page.items
    )


def test_a_coordinator_finds_only_the_departed_staff_of_their_scope(views: ViewsNetwork) -> None:
    """Léo left PARIS, Max left SQY: each site's coordinator finds their own only."""
    departed_holder(views)
    session = views.net.session
    departed = StaffQuery(presence=Presence.DEPARTED)
    for actor, found in ((views.paris, ["Léo Parti"]), (views.sqy, ["Max Ancien"])):
        page = staff_page(session, actor, AS_OF, departed)
        assert [line.person.name for line in page.items] == found
        assert [line.person.name for line in staff_lines(session, actor, AS_OF, departed)] == found
    assert staff_page(session, views.sqy, AS_OF, replace(departed, text="parti")).total == 0


def test_the_clis_person_lookup_finds_departed_staff_and_marks_them(views: ViewsNetwork) -> None:
    """``certify why PERSON`` finds someone who left by name, as the staff list does; when a
    name matches several people, those who left are marked with the day."""
    departed_holder(views)
    session = views.net.session
    assert find_person(session, "Léo Parti").id == views.id("left")
    assert find_person(session, views.people["left"].email).id == views.id("left")
    partiel = views.net.person("Léa", "Partiel")
    session.flush()
    with pytest.raises(NotFound) as refused:
        find_person(session, "parti")
    left = views.people["left"].email
    assert f"Léo Parti <{left}> (parti·e le 30 juin 2026)" in refused.value.in_("fr")
    assert f"Léo Parti <{left}> (left on 30 June 2026)" in refused.value.in_("en")
    assert f"Léa Partiel <{partiel.email}>\u00a0; donnez" in refused.value.in_("fr")
