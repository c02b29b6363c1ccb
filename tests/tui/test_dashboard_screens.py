"""The coordinator's dashboard and staff list: scope, filters, drill-down, search as you
type, paging and CSV exports, as a coordinator would notice them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static

from certify.access.narrowing import DashboardFilters
from certify.access.permissions import Actor
from certify.exchange import find_kind, import_file
from certify.rules.progress import ProgressStatus
from certify.store.text_search import fold
from certify.views.dashboard import (
    Dashboard,
    DashboardRow,
    FilterChoices,
    ProgrammeTotal,
    dashboard,
    filter_choices,
)
from certify.views.staff_directory import StaffQuery, staff_page
from tests.tui.helpers import PASSWORD, TODAY, Notices, settle, sign_in
from tui.app import CertifyApp
from tui.modes import modes_for
from tui.screens.dashboard import DashboardScreen
from tui.screens.dialogs import TextDialog
from tui.screens.staff_list import StaffListScreen

pytestmark = pytest.mark.asyncio


def signed_in(app: CertifyApp) -> Actor:
    """The signed-in user."""
    assert app.actor is not None
    return app.actor


def service_board(app: CertifyApp, filters: DashboardFilters | None = None) -> Dashboard:
    """The dashboard the service counts for the signed-in user."""
    with app.backend.database.reading() as session:
        return dashboard(session, signed_in(app), TODAY, filters or DashboardFilters())


def service_choices(app: CertifyApp) -> FilterChoices:
    """What the service lets the signed-in user filter on."""
    with app.backend.database.reading() as session:
        return filter_choices(session, signed_in(app))


def table_rows(screen: DashboardScreen | StaffListScreen) -> list[list[str]]:
    """The table's cells as text, row by row."""
    table = screen.query_one(DataTable)
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(row)]
        for row in range(table.row_count)
    ]


def shown_counts(screen: DashboardScreen) -> list[tuple[str, list[str]]]:
    """(programme code, counts) of each line of the dashboard's table."""
    return [(row[1], row[2:]) for row in table_rows(screen)]


#: The count columns of the table, in order (the statuses' order).
STATUS_FIELDS = ("certified", "in_window", "eligible", "expired", "in_progress")


def counts(line: ProgrammeTotal | DashboardRow) -> list[str]:
    """A line's counts as the table shows them."""
    return [str(getattr(line.counts, field)) for field in STATUS_FIELDS]


def expected_counts(board: Dashboard) -> list[tuple[str, list[str]]]:
    """(programme code, counts) of the service's totals, then of its site lines."""
    return [(line.programme.code, counts(line)) for line in [*board.totals, *board.rows]]


async def on_dashboard(pilot: Pilot[None], username: str) -> DashboardScreen:
    """Sign in as ``username``: the dashboard opens first, counted."""
    await sign_in(pilot, username)
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


async def all_staff(pilot: Pilot[None]) -> StaffListScreen:
    """From the dashboard, ``s``: the staff list of the whole view, first page read."""
    await pilot.press("s")
    await settle(pilot)
    staff = pilot.app.screen
    assert isinstance(staff, StaffListScreen)
    return staff


async def test_the_network_coordinator_sees_every_region(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """coord.reseau: every region and site offered, every site with staff counted."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await on_dashboard(pilot, "coord.reseau")
        choices = service_choices(app)
        board = service_board(app)
        regions = screen.query_one("#region-filter", Select)
        assert [value for _, value in regions._options[1:]] == [r[0] for r in choices.regions]
        assert len(choices.regions) > 10
        shown_sites = {row[0].split(" — ")[0] for row in table_rows(screen)}
        assert {row.site.site.code for row in board.rows} <= shown_sites
        assert {"PARIS", "MARSEILLE", "GENEVE"} <= shown_sites
        assert shown_counts(screen) == expected_counts(board)


async def test_a_site_coordinator_sees_only_their_sites(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """coord.paris: the table and the site filter hold Paris's sites only."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await on_dashboard(pilot, "coord.paris")
        allowed = {line.site.code for line in service_choices(app).sites}
        assert "PARIS" in allowed and "MARSEILLE" not in allowed
        site_filter = screen.query_one("#site-filter", Select)
        offered = {str(label).split(" — ")[0] for label, _ in site_filter._options[1:]}
        assert offered == allowed
        lines = table_rows(screen)
        sites = {row[0].split(" — ")[0] for row in lines if row[0] != "Total"}
        assert sites and sites <= allowed
        assert shown_counts(screen) == expected_counts(service_board(app))


async def test_filtering_by_programme_counts_that_programme(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Choosing a programme reloads: the counts are the service's for that programme."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await on_dashboard(pilot, "coord.idf")
        programme = service_choices(app).programmes[1]
        screen.query_one("#programme-filter", Select).value = programme.id
        await settle(pilot)
        expected = service_board(app, DashboardFilters(programme_id=programme.id))
        assert {code for code, _ in shown_counts(screen)} == {programme.code}
        assert shown_counts(screen) == expected_counts(expected)
        assert screen.query_one(DataTable).fixed_rows == 1


async def test_enter_on_a_site_lists_its_staff(demo_app: Callable[..., CertifyApp]) -> None:
    """Enter on a site's line: the staff list of that site (and its centres), as counted."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await on_dashboard(pilot, "coord.reseau")
        board = service_board(app)
        paris = next(row for row in board.rows if row.site.site.code == "PARIS")
        screen.query_one(DataTable).move_cursor(row=screen.lines.index(paris))
        await pilot.press("enter")
        await settle(pilot)
        staff = app.screen
        assert isinstance(staff, StaffListScreen)
        assert staff.filters.site_id == paris.site.site.id
        with app.backend.database.reading() as session:
            expected = staff_page(
                session, signed_in(app), TODAY, StaffQuery(site_id=paris.site.site.id)
            )
        assert [row[0] for row in table_rows(staff)] == [
            line.person.name for line in expected.items
        ]
        heading = str(staff.query_one("#staff-scope", Static).render())
        assert "PARIS" in heading and f"{expected.total} personnes" in heading
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_search_as_you_type_ignores_accents(demo_app: Callable[..., CertifyApp]) -> None:
    """Typing on the list searches: « helene » finds every Hélène, and only matches."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await on_dashboard(pilot, "coord.reseau")
        staff = await all_staff(pilot)
        everyone = staff.total
        await pilot.press(*"helene")
        await settle(pilot)
        names = [row[0] for row in table_rows(staff)]
        assert names and all("hélène" in name.lower() for name in names)
        assert staff.total == len(names) < everyone
        assert staff.query_one("#search").has_focus
        with app.backend.database.reading() as session:
            every = staff_page(session, signed_in(app), TODAY, StaffQuery(limit=None))
        assert len(names) == sum("helene" in fold(line.person.name) for line in every.items)


async def test_pagedown_shows_the_next_page(demo_app: Callable[..., CertifyApp]) -> None:
    """195 staff, 50 a page: pagedown shows people 51 to 100, pageup comes back."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await on_dashboard(pilot, "coord.reseau")
        staff = await all_staff(pilot)
        first = [row[0] for row in table_rows(staff)]
        await pilot.press("pagedown")
        await settle(pilot)
        with app.backend.database.reading() as session:
            second = staff_page(session, signed_in(app), TODAY, StaffQuery(offset=50))
        assert [row[0] for row in table_rows(staff)] == [line.person.name for line in second.items]
        heading = str(staff.query_one("#staff-scope", Static).render())
        assert f"lignes 51–100 sur {second.total}" in heading
        await pilot.press("pageup")
        await settle(pilot)
        assert [row[0] for row in table_rows(staff)] == first


def csv_lines(path: Path) -> list[list[str]]:
    """The cells of a CSV file written for French Excel (BOM, ``;``, CRLF)."""
    content = path.read_bytes()
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    return [line.split(";") for line in text.removesuffix("\r\n").split("\r\n")]


async def save_with_f9(pilot: Pilot[None], notices: Notices, path: Path) -> list[list[str]]:
    """Press f9, keep the offered path, and read the CSV written there."""
    await pilot.press("f9")
    assert isinstance(pilot.app.screen, TextDialog)
    await pilot.press("enter")
    await settle(pilot)
    assert notices.last == f"Enregistré\u00a0: {path}"
    return csv_lines(path)


async def test_f9_saves_the_dashboard_and_the_staff_list_as_csv(
    demo_app: Callable[..., CertifyApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard's CSV has its lines then its totals; the staff list's, every page."""
    monkeypatch.setenv("CERTIFY_DOWNLOADS", str(tmp_path))
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await on_dashboard(pilot, "coord.idf")
        board = service_board(app)
        header, *lines = await save_with_f9(
            pilot, notices, tmp_path / "tableau-de-bord-2026-11-21.csv"
        )
        assert header[:4] == ["Région", "Site", "Nom du site", "Programme"]
        assert len(lines) == len(board.rows) + len(board.totals)
        assert [(line[1], line[3], line[4:9]) for line in lines[: len(board.rows)]] == [
            (row.site.site.code, row.programme.code, counts(row)) for row in board.rows
        ]
        assert {line[1] for line in lines[len(board.rows) :]} == {"Ensemble"}

        staff = await all_staff(pilot)
        header, *lines = await save_with_f9(pilot, notices, tmp_path / "personnel-2026-11-21.csv")
        assert header[:4] == ["Adresse e-mail", "Prénom", "Nom", "Site"]
        with app.backend.database.reading() as session:
            every = staff_page(session, signed_in(app), TODAY, StaffQuery(limit=None))
        assert staff.total == every.total > staff.PAGE
        assert [line[0] for line in lines] == [line.person.email for line in every.items]
        # the list saved imports back as it is, by the coordinator who saved it: no change
        report = import_file(
            app.backend.database,
            signed_in(app),
            find_kind("staff"),
            tmp_path / "personnel-2026-11-21.csv",
            today=TODAY,
            dry_run=True,
        )
        assert not report.problems
        assert (report.plan.created, report.plan.updated) == (0, 0)
        assert report.plan.unchanged == len(lines)


async def test_a_trainer_has_no_dashboard(demo_app: Callable[..., CertifyApp]) -> None:
    """A trainer signs in to their sessions; F7 does not open a dashboard."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "formateur")
        assert "dashboard" not in {mode.name for mode in app.signed_in_modes}
        before = app.screen
        await pilot.press("f7")
        await settle(pilot)
        assert app.screen is before
        assert not isinstance(app.screen, DashboardScreen)


async def test_staff_have_no_dashboard(demo_app: Callable[..., CertifyApp]) -> None:
    """A counsellor gets their own progress and assessments, no dashboard."""
    app = demo_app()
    counsellor = app.backend.sign_in("conseiller", PASSWORD)
    assert counsellor.person_id is not None
    assert "dashboard" not in {mode.name for mode in modes_for(counsellor)}


async def test_a_sites_heat_map_counts_the_people_of_its_dashboard_line(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """c on a site's line opens a heat map of as many people as the line counts (a relay
    site's staff on their own line, not in the heat map of the site above it)."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        board = service_board(app)
        assert board.rows
        for row in board.rows:
            heatmap = app.backend.heatmap(signed_in(app), row.site.site.id, row.programme.id)
            counted = sum(row.counts.count(status) for status in ProgressStatus)
            assert heatmap.rows.total == counted, (row.site.site.code, row.programme.code)
