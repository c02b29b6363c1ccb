"""The coordinator's watchlists and heat map: scope, horizons, issuing a selection in
batches (and stopping midway), the heat map's colours, and CSV exports of whole lists."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import DataTable

from certificates import keys
from certificates.issuer import save_issuer
from certificates.keys import init_ring
from certify.access.narrowing import DashboardFilters
from certify.access.permissions import Actor
from certify.model import Certificate, CertificateState, Site
from certify.services.documents import stored_pdfs, stored_signatures
from certify.store.audit import AuditEvent
from certify.views.watchlists import HORIZONS
from tests.pdf_helpers import PASSPHRASE, SETTINGS
from tests.tui.eligible import HeldInSecondBatch, make_eligible
from tests.tui.helpers import TODAY, Notices, settle, sign_in
from tui.app import CertifyApp
from tui.saving import DOWNLOADS_ENV
from tui.screens import issuing
from tui.screens.dialogs import ConfirmDialog, TextDialog
from tui.screens.heatmap import HeatmapScreen, level_style
from tui.screens.issuing import IssueDialog
from tui.screens.paged import PagedScreen
from tui.screens.passphrase import PassphraseDialog
from tui.screens.watchlists import EligibleQueueScreen, ExpiringScreen

pytestmark = pytest.mark.asyncio

#: The whole view: no dashboard filter.
EVERYTHING = DashboardFilters()


async def open_screen(pilot: Pilot[None], username: str, screen: PagedScreen[object]) -> None:
    """Sign in as ``username`` and open ``screen`` (as the dashboard's keys do)."""
    await sign_in(pilot, username)
    pilot.app.push_screen(screen)
    await settle(pilot)


def actor_of(app: CertifyApp) -> Actor:
    """The signed-in user."""
    assert app.actor is not None
    return app.actor


def cells(app: CertifyApp, column: int) -> list[str]:
    """The text of one column of the screen's table, page shown."""
    table = app.screen.query_one(DataTable)
    return [str(table.get_cell_at((row, column))) for row in range(table.row_count)]


def status(app: CertifyApp, selector: str) -> str:
    """The text of a status line."""
    return str(app.screen.query_one(selector).render())


async def confirm(pilot: Pilot[None]) -> None:
    """Agree to the confirmation shown."""
    assert isinstance(pilot.app.screen, ConfirmDialog)
    await pilot.click("#yes")


async def test_a_site_coordinator_sees_only_their_site_in_both_lists(
    demo_app: Callable[..., CertifyApp], demo_url: str
) -> None:
    """coord.paris: only PARIS people, expiring or eligible; as many as the services say."""
    make_eligible(demo_url, 3, site="PARIS")
    make_eligible(demo_url, 3, site="MARSEILLE")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, "coord.paris", ExpiringScreen(EVERYTHING))
        await pilot.press("3")
        await settle(pilot)
        paris = paris_sites(app)
        assert paris > {"PARIS"}  # PARIS and its centres
        expiring = app.backend.expiring(actor_of(app), 180, EVERYTHING)
        assert expiring.total == len(cells(app, 1)) > 0
        assert set(cells(app, 1)) <= paris
        app.pop_screen()
        app.push_screen(EligibleQueueScreen(EVERYTHING))
        await settle(pilot)
        queue = app.backend.eligible_queue(actor_of(app), EVERYTHING)
        assert queue.total == len(cells(app, 2)) >= 3
        assert set(cells(app, 2)) <= paris
        everyone = app.backend.eligible_queue(Actor.system(), EVERYTHING)
        assert "MARSEILLE" in {line.person.site.code for line in everyone.items}


def paris_sites(app: CertifyApp) -> set[str]:
    """The codes of PARIS and of the centres attached to it."""
    with app.backend.database.reading() as session:
        paris = session.scalar(select(Site.id).where(Site.code == "PARIS"))
        return set(
            session.scalars(select(Site.code).where((Site.id == paris) | (Site.parent_id == paris)))
        )


async def test_staff_may_not_open_a_watchlist(demo_app: Callable[..., CertifyApp]) -> None:
    """A counsellor is refused, in plain words, and sees no line."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await open_screen(pilot, "conseiller", ExpiringScreen(EVERYTHING))
        assert app.screen.query_one(DataTable).row_count == 0
        assert "réservé aux coordinateurs" in notices.last


async def test_switching_the_horizon_changes_the_count_as_the_service_says(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """Keys 1, 2, 3: 30, 90 and 180 days, each with the service's count."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, "coord.reseau", ExpiringScreen(EVERYTHING))
        counts = []
        for key, days in zip("123", HORIZONS, strict=True):
            await pilot.press(key)
            await settle(pilot)
            total = app.backend.expiring(actor_of(app), days, EVERYTHING).total
            counts.append(total)
            assert f"{total} certification" in status(app, "#watch-status")
            assert f"{days} jours" in status(app, "#watch-status")
            assert app.screen.query_one(DataTable).row_count == min(total, ExpiringScreen.PAGE)
        assert counts == sorted(counts) and counts[0] < counts[-1]


def certificates_of(app: CertifyApp, person_ids: list[int]) -> list[Certificate]:
    """The certificates the people hold, from the database."""
    with app.backend.database.reading() as session:
        return list(
            session.scalars(select(Certificate).where(Certificate.person_id.in_(person_ids)))
        )


async def test_three_lines_selected_and_issued(
    demo_app: Callable[..., CertifyApp], demo_url: str
) -> None:
    """space on three lines, i, confirmed: three certificates, gone from the queue, their
    serials said."""
    make_eligible(demo_url, 5, site="PARIS")
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await open_screen(pilot, "coord.paris", EligibleQueueScreen(EVERYTHING))
        before = app.backend.eligible_queue(actor_of(app), EVERYTHING)
        chosen = [line.person.id for line in before.items[:3]]
        await pilot.press("space", "space", "space")
        assert cells(app, 0)[:4] == ["✓", "✓", "✓", ""]
        assert "3 sélectionnées sur" in status(app, "#watch-status")
        await pilot.press("i")
        assert "Délivrer 3 certificats\u00a0?" in str(app.screen.query_one("Static").render())
        await confirm(pilot)
        await settle(pilot)
        issued = sorted(c.serial for c in certificates_of(app, chosen))[-3:]
        said = f"3 certificats délivrés. Numéros\u00a0: {issued[0]} … {issued[-1]}."
        assert said in notices.messages
        assert isinstance(app.screen, EligibleQueueScreen)  # no keys here: no PDF offered
        after = app.backend.eligible_queue(actor_of(app), EVERYTHING)
        assert after.total == before.total - 3
        assert not {line.person.id for line in after.items} & set(chosen)
        assert app.screen.query_one(DataTable).row_count == after.total
        assert app.screen.selection == set()
    issued = certificates_of(app, chosen)
    assert sorted(c.person_id for c in issued if c.issued_on == app.backend.today) == sorted(chosen)


async def test_nothing_selected_nothing_issued(demo_app: Callable[..., CertifyApp]) -> None:
    """i without a selection says how to select."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await open_screen(pilot, "coord.paris", EligibleQueueScreen(EVERYTHING))
        await pilot.press("i")
        assert "Sélectionnez d'abord" in notices.last
        assert isinstance(app.screen, EligibleQueueScreen)


async def test_a_big_batch_stopped_midway_leaves_a_consistent_state(
    demo_app: Callable[..., CertifyApp], demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escape during a batch: the batch under way completes, the rest stays in the queue."""
    make_eligible(demo_url, 40)
    monkeypatch.setattr(issuing, "CHUNK", 5)
    hold = HeldInSecondBatch(monkeypatch)
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await open_screen(pilot, "admin", EligibleQueueScreen(EVERYTHING))
        before = app.backend.eligible_queue(actor_of(app), EVERYTHING)
        assert before.total > 30
        with app.backend.database.reading() as session:
            last_before = session.scalar(select(func.max(Certificate.id)))
        await pilot.press("a")
        await settle(pilot)
        assert notices.last == f"Toute la file est sélectionnée\u00a0: {before.total} lignes."
        await pilot.press("i")
        assert f"Délivrer {before.total} certificats\u00a0?" in str(
            app.screen.query_one("Static").render()
        )
        await confirm(pilot)
        await hold.in_second()
        await pilot.pause()
        assert isinstance(app.screen, IssueDialog)
        assert status(app, "#issued-count") == f"5 / {before.total}"
        await pilot.press("escape")
        assert "Arrêt après le lot en cours" in status(app, "#stop-hint")
        hold.go_on.set()
        await settle(pilot)
        assert isinstance(app.screen, EligibleQueueScreen)
        left = before.total - 10  # the batch under way when escape was pressed completed
        assert notices.last.startswith("10 certificats délivrés. Numéros\u00a0: CDM-")
        assert notices.last.endswith(
            f". Arrêté\u00a0: {left} lignes non délivrées restent dans la file."
        )
        after = app.backend.eligible_queue(actor_of(app), EVERYTHING)
        assert after.total == left
        assert len(app.screen.selection) == left
    issued_to = {line.person.id for line in before.items} - {line.person.id for line in after.items}
    with app.backend.database.reading() as session:
        new = list(session.scalars(select(Certificate).where(Certificate.id > last_before)))
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_key.in_([c.serial for c in new]))
        )
    assert len(new) == 10 and {c.person_id for c in new} == issued_to
    assert all(c.state is CertificateState.ISSUED and c.snapshot["holder"] for c in new)
    assert audited == 10


async def test_the_heat_map_shows_the_site_staff_in_level_colours(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """PARIS's staff by name, each cell the colour of its level; the label under the cursor."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        site_id = actor_of(app).site_id
        assert site_id is not None
        app.push_screen(HeatmapScreen(site_id))
        await settle(pilot)
        heatmap = app.backend.heatmap(actor_of(app), site_id, None)
        names = [row.person.name for row in heatmap.rows.items]
        assert cells(app, 0) == names
        table = app.screen.query_one(DataTable)
        for row_index, row in enumerate(heatmap.rows.items):
            for column, level in enumerate(row.levels):
                cell = table.get_cell_at((row_index, column + 1))
                if level is None:
                    assert cell.plain.strip() == "·"
                else:
                    assert cell.plain.strip() == str(level)
                    assert cell.style == level_style(level, heatmap.scale)
        await pilot.press("right")
        first = heatmap.columns[0]
        assert f"{first.code} — {first.label_fr}" in status(app, "#heat-status")
        assert "Niveaux\u00a0:" in status(app, "#heat-legend")


async def test_the_heat_map_of_a_programme_marks_its_minimum_levels(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """A programme chosen: only its competencies, each with its minimum under the code."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        site_id = actor_of(app).site_id
        assert site_id is not None
        programme = app.backend.programmes()[0]
        app.push_screen(HeatmapScreen(site_id, programme.id))
        await settle(pilot)
        heatmap = app.backend.heatmap(actor_of(app), site_id, programme.id)
        table = app.screen.query_one(DataTable)
        labels = [str(column.label) for column in table.columns.values()][1:]
        assert labels == [f"{c.code}\n≥{c.min_level}" for c in heatmap.columns]
        assert "minimum du programme" in status(app, "#heat-legend")


async def test_a_site_coordinator_may_not_see_another_site_heat_map(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """coord.paris on MARSEILLE's heat map: refused, nothing shown."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        with app.backend.database.reading() as session:
            marseille = session.scalar(select(Site.id).where(Site.code == "MARSEILLE"))
        assert marseille is not None
        await open_screen(pilot, "coord.paris", HeatmapScreen(marseille))
        assert app.screen.query_one(DataTable).row_count == 0
        assert "hors de votre périmètre" in notices.last


@pytest.mark.parametrize(
    ("screen", "name", "header"),
    [
        (lambda: ExpiringScreen(EVERYTHING), "echeances-90-jours-2026-11-21.csv", "Numéro"),
        (lambda: EligibleQueueScreen(EVERYTHING), "eligibles-2026-11-21.csv", "Statut"),
        (lambda: HeatmapScreen(1), "carte-competences-PARIS-2026-11-21.csv", "ETH-01"),
    ],
    ids=["expiring", "queue", "heatmap"],
)
async def test_f9_saves_the_whole_list_as_csv(
    demo_app: Callable[..., CertifyApp],
    demo_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screen: Callable[[], PagedScreen[object]],
    name: str,
    header: str,
) -> None:
    """f9, enter on the path offered: a CSV for French Excel with every line of the list."""
    make_eligible(demo_url, 3, site="PARIS")
    monkeypatch.setenv("CERTIFY_DOWNLOADS", str(tmp_path))
    monkeypatch.setattr(PagedScreen, "PAGE", 2)
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        shown = screen()
        await open_screen(pilot, "coord.idf", shown)
        await pilot.press("f9")
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert notices.last == f"Enregistré\u00a0: {tmp_path / name}"
        total = shown.total
    content = (tmp_path / name).read_bytes()
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert header in lines[0].split(";")
    assert len(lines) == total + 1 and total > 2


async def test_pages_in_sql(
    demo_app: Callable[..., CertifyApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pagedown / pageup: the next and previous page, the position said under the list."""
    monkeypatch.setattr(PagedScreen, "PAGE", 5)
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, "admin", ExpiringScreen(EVERYTHING))
        total = app.backend.expiring(actor_of(app), 90, EVERYTHING).total
        first = cells(app, 0)
        await pilot.press("pagedown")
        await settle(pilot)
        second = cells(app, 0)
        assert len(second) == 5 and second != first
        assert f"lignes 6–10 sur {total}" in status(app, "#watch-status")
        await pilot.press("pageup")
        await settle(pilot)
        assert cells(app, 0) == first


async def test_enter_opens_the_person(demo_app: Callable[..., CertifyApp]) -> None:
    """Enter on a line: that person's screen."""
    from tui.screens.person import PersonScreen

    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, "admin", ExpiringScreen(EVERYTHING))
        expected = app.screen.person_at_cursor()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.person_id == expected


async def test_with_a_key_ring_issuing_asks_the_passphrase_then_signs(
    demo_app: Callable[..., CertifyApp],
    demo_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A ring here: confirmed, the passphrase is asked before anything is issued (escape
    issues nothing); given, the certificates are issued signed and sealed, and their PDFs
    offered: saved in one ZIP, each named by its serial."""
    monkeypatch.setenv(DOWNLOADS_ENV, str(tmp_path))
    monkeypatch.setattr(keys, "KDF_ROUNDS", 1)
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)
    folder = tmp_path / "ring"
    monkeypatch.setenv(keys.KEYS_DIR_ENV, str(folder))
    init_ring(SETTINGS.profile.id, directory=folder, passphrase=PASSPHRASE)
    save_issuer(SETTINGS, folder)
    make_eligible(demo_url, 2, site="PARIS")
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await open_screen(pilot, "coord.paris", EligibleQueueScreen(EVERYTHING))
        chosen = [
            line.person.id
            for line in app.backend.eligible_queue(actor_of(app), EVERYTHING).items[:2]
        ]
        await pilot.press("space", "space", "i")
        await confirm(pilot)
        await settle(pilot)
        assert isinstance(app.screen, PassphraseDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert [c for c in certificates_of(app, chosen) if c.issued_on == app.backend.today] == []
        await pilot.press("i")
        await confirm(pilot)
        await settle(pilot)
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert any(m.startswith("2 certificats délivrés. Numéros") for m in notices.messages)
        assert isinstance(app.screen, ConfirmDialog)
        offer = str(app.screen.query_one("Static").render())
        assert offer.startswith("Enregistrer les PDF des 2 certificats délivrés")
        await pilot.click("#yes")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EligibleQueueScreen)
    serials = sorted(c.serial for c in certificates_of(app, chosen) if c.issued_on == TODAY)
    [saved] = tmp_path.glob("certificats-*.zip")
    with zipfile.ZipFile(saved) as files:
        assert sorted(files.namelist()) == [f"{serial}.pdf" for serial in serials]
        assert all(files.read(name).startswith(b"%PDF-") for name in files.namelist())
    issued = [c.id for c in certificates_of(app, chosen) if c.issued_on == app.backend.today]
    with app.backend.database.reading() as session:
        assert sorted(stored_signatures(session, issued)) == sorted(issued)
        assert len(stored_pdfs(session, issued, "fr")) == len(issued)
