"""The audit trail screen: who reaches it (key and palette), what each event shows in the
user's language, filters typed from the keyboard, paging by key, and one snapshot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from certify.access.permissions import Actor
from certify.model import AuditEvent, Person, Site
from certify.rules.audit_actions import ACTION_LABELS, action_label
from certify.rules.wording import NBSP
from certify.store.db import Database
from certify.views.audit_log import PARIS, AuditFilters
from tests.tui.helpers import TODAY, Notices, settle, sign_in
from tests.tui.test_modes import offered
from tests.tui.test_snapshots import SnapCompare, shoot
from tui.app import CertifyApp, create_app
from tui.screens.audit_log import AuditLogScreen
from tui.screens.person import PersonScreen

pytestmark = pytest.mark.asyncio

#: When the first demo event is dated in these tests (its real time changes every run).
FIRST_EVENT = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
#: The time between two events so dated.
STEP = timedelta(minutes=37)


@pytest.fixture
def dated_app(demo_url: str) -> Callable[..., CertifyApp]:
    """The demo app, its events dated one every 37 minutes from 1 November 2026."""
    database = Database(demo_url)
    with database.transaction() as session:
        for event_id in session.scalars(select(AuditEvent.id)):
            session.execute(
                update(AuditEvent)
                .where(AuditEvent.id == event_id)
                .values(occurred_at=FIRST_EVENT + STEP * event_id)
            )
    database.dispose()

    def make(lang: str = "fr") -> CertifyApp:
        """The app in ``lang``."""
        return create_app(demo_url, lang, TODAY)

    return make


def column(app: CertifyApp, index: int) -> list[str]:
    """One column of the page shown."""
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


def text_of(app: CertifyApp, selector: str) -> str:
    """What a line of the screen says."""
    return str(app.screen.query_one(selector).render())


def events_read(
    app: CertifyApp, actor: Actor, filters: AuditFilters, person: str = ""
) -> list[int]:
    """The ids of the first page the backend reads for ``actor``."""
    return [line.id for line in app.backend.audit_log(actor, filters, person, None, 50).lines]


def shown_ids(app: CertifyApp) -> list[int]:
    """The ids of the events of the page shown."""
    screen = app.screen
    assert isinstance(screen, AuditLogScreen)
    return [line.id for line in screen.page.lines]


async def open_trail(pilot: Pilot[None], username: str) -> None:
    """Sign in as ``username`` and press f12."""
    await sign_in(pilot, username)
    await pilot.press("f12")
    await settle(pilot)


async def narrow(pilot: Pilot[None], field: str, text: str) -> None:
    """Type ``text`` in a filter field and press enter."""
    pilot.app.screen.query_one(f"#{field}", Input).focus()
    await pilot.press(*text, "enter")
    await settle(pilot)


async def searched(pilot: Pilot[None], text: str) -> list[str]:
    """What the command palette offers for ``text`` (it stays open)."""
    await pilot.press("ctrl+p", *text)
    await settle(pilot)
    await pilot.pause(0.3)
    assert isinstance(pilot.app.screen, CommandPalette)
    return offered(pilot.app.screen)


def actor(app: CertifyApp) -> Actor:
    """The signed-in user."""
    assert app.actor is not None
    return app.actor


async def test_an_admin_reads_every_event_newest_first_in_french(
    dated_app: Callable[..., CertifyApp],
) -> None:
    """f12: the newest 50 events of the network, each with its written date and time in
    Paris, its actor, its action's French label, whom it is about, and its details."""
    app = dated_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_trail(pilot, "admin")
        assert isinstance(app.screen, AuditLogScreen)
        page = app.backend.audit_log(Actor.system(), AuditFilters(), "", None, 50)
        assert shown_ids(app) == [line.id for line in page.lines]
        assert len(page.lines) == 50
        newest = page.lines[0]
        moment = (FIRST_EVENT + STEP * newest.id).astimezone(PARIS)
        written = f"{moment.day} novembre 2026 à {moment:%H}{NBSP}h{NBSP}{moment:%M}"
        assert column(app, 0)[0] == written
        assert column(app, 1)[0] == newest.actor
        assert column(app, 2) == [action_label(line.action).fr for line in page.lines]
        assert column(app, 3)[0] == (newest.person or "")
        details = text_of(app, "#audit-details")
        assert f"n°{NBSP}{newest.id}" in details
        assert all(f"{key}:" in details for key in newest.details.get("after", newest.details))


async def test_labels_are_in_english_in_english(dated_app: Callable[..., CertifyApp]) -> None:
    """The English app writes dates and labels in English."""
    app = dated_app("en")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_trail(pilot, "admin")
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        assert column(app, 2) == [action_label(line.action).en for line in screen.page.lines]
        assert " November 2026 at " in column(app, 0)[0]


async def test_a_coordinator_reads_their_scope_only(dated_app: Callable[..., CertifyApp]) -> None:
    """coord.paris reads what the view gives them: fewer events than an admin, none about
    a person outside their sites unless they acted themselves."""
    app = dated_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_trail(pilot, "coord.paris")
        await narrow(pilot, "audit-action", "certificat")
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        actions = tuple(sorted(action for action in ACTION_LABELS if "certificate" in action))
        filters = AuditFilters(actions=actions)
        assert shown_ids(app) == events_read(app, actor(app), filters)
        with app.backend.database.reading() as session:
            paris = paris_people(session)
        lines = screen.page.lines
        assert lines
        assert all(e.person_id in paris or e.actor == "coord.paris" for e in lines)
        everyone = app.backend.audit_log(Actor.system(), filters, "", None, 50).lines
        assert any(line.person_id not in paris for line in everyone)


def paris_people(session: Session) -> set[int]:
    """The people of PARIS and its centres."""
    paris = session.scalar(select(Site.id).where(Site.code == "PARIS"))
    sites = select(Site.id).where((Site.id == paris) | (Site.parent_id == paris))
    return set(session.scalars(select(Person.id).where(Person.site_id.in_(sites))))


@pytest.mark.parametrize("username", ["formateur", "conseiller"])
async def test_trainers_and_staff_are_refused(
    demo_app: Callable[..., CertifyApp], username: str
) -> None:
    """A trainer and a staff member: f12 does nothing, the palette has no audit trail, and
    the screen opened anyway says why and shows no event."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await sign_in(pilot, username)
        screen = app.screen
        await pilot.press("f12")
        await settle(pilot)
        assert app.screen is screen
        assert await searched(pilot, "audit") == []
        await pilot.press("escape")
        app.push_screen(AuditLogScreen())
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 0
        assert "lire la piste d'audit" in notices.last


async def test_the_palette_opens_the_trail(demo_app: Callable[..., CertifyApp]) -> None:
    """ctrl+p « piste » offers the audit trail to an admin, and enter opens it."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "admin")
        assert await searched(pilot, "piste") == ["Piste d'audit (f12)"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditLogScreen)
        assert app.screen.query_one(DataTable).row_count == 50


async def test_filters_typed_narrow_the_trail(dated_app: Callable[..., CertifyApp]) -> None:
    """Action words, an account and a person, typed then enter: the events the view gives
    for the same filters; words of labels, comma-separated, name their actions."""
    app = dated_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_trail(pilot, "admin")
        await narrow(pilot, "audit-action", "révoqué, réédité")
        expected = AuditFilters(actions=("certificate.reissued", "certificate.revoked"))
        assert shown_ids(app) == events_read(app, Actor.system(), expected)
        assert set(column(app, 2)) == {"certificat révoqué", "certificat réédité"}
        app.screen.query_one("#audit-action", Input).value = ""
        await narrow(pilot, "audit-actor", "coord.paris")
        expected = AuditFilters(actor="coord.paris")
        assert shown_ids(app) == events_read(app, Actor.system(), expected)
        assert len(shown_ids(app)) == 4
        assert set(column(app, 1)) == {"coord.paris"}
        about = app.backend.audit_log(Actor.system(), expected, "", None, 50).lines[-1]
        person = str(about.person_id)
        await narrow(pilot, "audit-person", person)
        assert shown_ids(app) == events_read(app, Actor.system(), expected, person)
        assert set(column(app, 3)) == {about.person}


async def test_dates_narrow_to_paris_days(dated_app: Callable[..., CertifyApp]) -> None:
    """From and to (Paris days, typed dd/mm/yyyy): only the events of those days."""
    app = dated_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_trail(pilot, "admin")
        await narrow(pilot, "audit-since", "03/11/2026")
        await narrow(pilot, "audit-until", "04/11/2026")
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        days = {line.local_time.date() for line in screen.page.lines}
        assert days == {date(2026, 11, 3), date(2026, 11, 4)}
        assert len(screen.page.lines) == 50
        expected = AuditFilters(since=date(2026, 11, 3), until=date(2026, 11, 4))
        assert shown_ids(app) == events_read(app, Actor.system(), expected)


async def test_bad_filters_are_explained(dated_app: Callable[..., CertifyApp]) -> None:
    """A date that is not one, an unknown action or person: a message naming it, the page
    as it was."""
    app, notices = dated_app(), Notices()
    async with app.run_test(size=(140, 40), notifications=True, message_hook=notices) as pilot:
        await open_trail(pilot, "admin")
        before = shown_ids(app)
        await narrow(pilot, "audit-since", "31/02/2026")
        assert "'31/02/2026'" in notices.last and "date" in notices.last
        app.screen.query_one("#audit-since", Input).value = ""
        await narrow(pilot, "audit-action", "grumpf")
        assert "'grumpf'" in notices.last
        app.screen.query_one("#audit-action", Input).value = ""
        await narrow(pilot, "audit-person", "personne.inconnue@example.org")
        assert "personne.inconnue@example.org" in notices.last
        assert shown_ids(app) == before


async def test_pages_follow_each_other_by_key(dated_app: Callable[..., CertifyApp]) -> None:
    """pagedown: the 50 events before the page's last; pageup: back to the newest."""
    app = dated_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_trail(pilot, "admin")
        first = shown_ids(app)
        await pilot.press("pagedown")
        await settle(pilot)
        second = shown_ids(app)
        assert max(second) < min(first) and len(second) == 50
        assert second == [
            line.id
            for line in app.backend.audit_log(
                Actor.system(), AuditFilters(), "", first[-1], 50
            ).lines
        ]
        assert "événements 51–100 · page 2" in text_of(app, "#audit-position")
        await pilot.press("pageup")
        await settle(pilot)
        assert shown_ids(app) == first


async def test_enter_opens_the_person_an_event_is_about(
    dated_app: Callable[..., CertifyApp],
) -> None:
    """Enter on an event: the page of the person it is about."""
    app = dated_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_trail(pilot, "admin")
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        row = next(i for i, line in enumerate(screen.page.lines) if line.person_id is not None)
        screen.query_one(DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)


def test_snapshot(snap_compare: SnapCompare, dated_app: Callable[..., CertifyApp]) -> None:
    """An admin's audit trail narrowed to revocations and reissues, at 120 × 40."""

    async def steps(pilot: Pilot[None]) -> None:
        """Open the trail and narrow it."""
        await open_trail(pilot, "admin")
        await narrow(pilot, "audit-action", "révoqué, réédité")

    assert shoot(snap_compare, dated_app(), (120, 40), steps)
