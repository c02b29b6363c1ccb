"""The coordinator's expiry reminders: the next due within their scope only, those sent
(most recent first) once a run recorded some, and no such screen for staff or trainers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from textual.command import CommandPalette

from certify.access.narrowing import DashboardFilters
from certify.access.permissions import Actor, PermissionDenied
from certify.model import Certificate, CertificateState, ExpiryReminder, Person, Site
from certify.rules.reminders import DEFAULT_THRESHOLDS
from certify.services.reminders import plan_reminders, send_reminders
from certify.store.db import Database
from tests.tui.helpers import TODAY, settle, sign_in
from tests.tui.test_modes import offered
from tests.tui.test_watchlist_screens import actor_of, cells, status
from tui.app import CertifyApp
from tui.screens.watchlists import ExpiringScreen, RemindersScreen

pytestmark = pytest.mark.asyncio

#: When the reminders recorded in these tests were sent (fixed, for the snapshots).
SENT_AT = datetime(2026, 11, 21, 6, 15, tzinfo=UTC)


def expire_soon(url: str, site: str, days: int = 25) -> str:
    """Make a certificate of someone at ``site`` (the one of its holder and programme ending
    last) end ``days`` days after the demo's day; return its serial."""
    database = Database(url)
    try:
        with database.transaction() as session:
            certificate = session.scalars(
                select(Certificate)
                .join(Person, Person.id == Certificate.person_id)
                .join(Site, Site.id == Person.site_id)
                .where(
                    Site.code == site,
                    Certificate.state == CertificateState.ISSUED,
                    Certificate.valid_until > TODAY + timedelta(days=days),
                    Person.active_until.is_(None),
                )
                .order_by(Certificate.valid_until.desc(), Certificate.id)
            ).first()
            assert certificate is not None, f"no certificate at {site}"
            certificate.valid_until = TODAY + timedelta(days=days)
            return certificate.serial
    finally:
        database.dispose()


def send_due(url: str) -> tuple[int, int]:
    """Run ``certify remind`` as of the demo's day, every e-mail accepted, the reminders
    recorded as sent at :data:`SENT_AT`; return the e-mails and the reminders recorded sent."""
    database = Database(url)
    try:
        with database.reading() as session:
            plan = plan_reminders(session, TODAY, DEFAULT_THRESHOLDS)
        report = send_reminders(database, Actor.system(), plan, lambda _to, _message: None)
        with database.transaction() as session:
            session.execute(update(ExpiryReminder).values(sent_at=SENT_AT))
            recorded = session.scalar(select(func.count()).where(ExpiryReminder.skipped.is_(False)))
        return len(report.sent), recorded or 0
    finally:
        database.dispose()


async def test_a_site_coordinator_sees_the_reminders_due_on_their_site_only(
    demo_app: Callable[..., CertifyApp], demo_url: str
) -> None:
    """coord.paris, from the expiring list (m): their PARIS certificate due its 30-day
    reminder today, not MARSEILLE's; the network coordinator sees both, and more sites."""
    paris = expire_soon(demo_url, "PARIS")
    marseille = expire_soon(demo_url, "MARSEILLE")
    app = demo_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        app.push_screen(ExpiringScreen(DashboardFilters()))
        await settle(pilot)
        await pilot.press("m")
        assert isinstance(app.screen, RemindersScreen)
        await settle(pilot)
        assert cells(app, 1) == ["PARIS"]
        assert cells(app, 3) == [paris]
        assert cells(app, 4) == [(TODAY + timedelta(days=25)).strftime("%d/%m/%Y")]
        assert cells(app, 5) == ["25"]
        assert cells(app, 6) == ["30 jours avant"]
        assert cells(app, 7) == ["aujourd'hui"]
        assert cells(app, 8) == ["non"]
        assert "1 rappel à venir" in status(app, "#watch-status")
        await pilot.press("2")
        await settle(pilot)
        assert "Aucun rappel envoyé pour l'instant" in status(app, "#watch-status")
        assert app.screen.query_one("#watchlist").row_count == 0
    app = demo_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await sign_in(pilot, "coord.reseau")
        app.push_screen(RemindersScreen())
        await settle(pilot)
        sites = cells(app, 1)
        assert {"PARIS", "MARSEILLE"} < set(sites)
        assert {paris, marseille} < set(cells(app, 3))
        total = app.backend.due_reminders(actor_of(app)).total
        assert len(sites) == total > 2


async def test_the_reminders_sent_show_most_recent_first_within_scope(
    demo_app: Callable[..., CertifyApp], demo_url: str
) -> None:
    """After a run: coord.paris sees their PARIS reminder sent to the holder and in the
    digest; the network coordinator every reminder sent, and none due any more today."""
    paris = expire_soon(demo_url, "PARIS")
    emails, recorded = send_due(demo_url)
    assert emails and recorded
    app = demo_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        app.push_screen(RemindersScreen())
        await settle(pilot)
        assert cells(app, 7) == ["09/12/2026"]  # 30 days gone; the 7-day one comes next
        assert cells(app, 6) == ["7 jours avant"]
        await pilot.press("2")
        await settle(pilot)
        assert cells(app, 0) == ["21/11/2026", "21/11/2026"]
        assert cells(app, 2) == ["PARIS", "PARIS"]
        assert cells(app, 4) == [paris, paris]
        assert sorted(cells(app, 5)) == ["coordinateurs", "titulaire"]
        assert cells(app, 6) == ["30 jours avant", "30 jours avant"]
        assert "2 rappels envoyés" in status(app, "#watch-status")
    app = demo_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await sign_in(pilot, "coord.reseau")
        app.push_screen(RemindersScreen())
        await settle(pilot)
        assert "aujourd'hui" not in cells(app, 7)
        await pilot.press("2")
        await settle(pilot)
        sent = app.backend.sent_reminders(actor_of(app))
        assert sent.total == recorded
        assert [line.sent_at for line in sent.items] == sorted(
            (line.sent_at for line in sent.items), reverse=True
        )


@pytest.mark.parametrize("username", ["formateur", "conseiller"])
async def test_trainers_and_staff_have_no_reminders(
    demo_app: Callable[..., CertifyApp], username: str
) -> None:
    """Neither a trainer nor a counsellor finds the reminders in the palette, and the
    backend refuses them the lists."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, username)
        await pilot.press("ctrl+p", *"rappel")
        await settle(pilot)
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert not [hit for hit in offered(palette) if "appel" in hit]
        with pytest.raises(PermissionDenied):
            app.backend.due_reminders(actor_of(app))
        with pytest.raises(PermissionDenied):
            app.backend.sent_reminders(actor_of(app))


async def test_the_palette_offers_the_reminders_to_a_coordinator(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """coord.paris opens the reminders from the palette."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        await pilot.press("ctrl+p", *"rappels d'")
        await settle(pilot)
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert "Rappels d'échéance" in offered(palette)
