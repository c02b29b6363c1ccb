"""A person's data on request from the app: « Mes données » (d) for anyone, « Données
personnelles » (d) on a person's page for those who may export them, saved as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from certify.model import Person, UserAccount
from tests.tui.helpers import Notices, settle, sign_in
from tests.tui.test_person_views import offers, open_person
from tui.app import CertifyApp
from tui.saving import DOWNLOADS_ENV
from tui.screens.dialogs import TextDialog
from tui.screens.my_progress import MyProgressScreen

pytestmark = pytest.mark.asyncio


def person_of(app: CertifyApp, username: str) -> tuple[int, str]:
    """The id and e-mail of the person an account belongs to."""
    with app.backend.database.reading() as session:
        person_id, email = session.execute(
            select(Person.id, Person.email)
            .join(UserAccount, UserAccount.person_id == Person.id)
            .where(UserAccount.username == username)
        ).one()
        return person_id, email


async def test_a_counsellor_saves_their_own_data(
    demo_app: Callable[..., CertifyApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """d on « Ma progression », Enter on the name offered: her JSON, saved under the name
    offered, about her and with her own e-mail, the password hash withheld."""
    monkeypatch.setenv(DOWNLOADS_ENV, str(tmp_path))
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await sign_in(pilot, "conseiller")
        screen = app.screen
        assert isinstance(screen, MyProgressScreen) and offers(screen, "personal_data")
        person_id, email = person_of(app, "conseiller")
        await pilot.press("d")
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        await settle(pilot)
        saved = tmp_path / f"donnees-personnelles-{person_id}.json"
        assert notices.last == f"Enregistré\u00a0: {saved}"
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["header"]["person_id"] == person_id
    assert document["person"]["email"] == email
    assert document["records"]["user_account"] and "password_hash" not in saved.read_text()
    assert document["withheld"] == ["conservé, non exporté\u00a0: empreinte du mot de passe"]


async def test_the_key_is_offered_to_those_who_may_export(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """On a Paris person's page: offered to coord.paris, not to the trainer who may see her
    page, nor to a coordinator elsewhere (who cannot open it)."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "formateur")
        person_id, _ = person_of(app, "conseiller")
        page = await open_person(pilot, person_id)
        assert not offers(page, "personal_data")
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is page
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        page = await open_person(pilot, person_id)
        assert offers(page, "personal_data")
