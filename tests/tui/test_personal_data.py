"""A person's data on request from the app: « Mes données » (d) for anyone, « Données
personnelles » (d) on a person's page for those who may export them, saved as JSON; D saves
the same as a PDF to read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from certify.model import Person, UserAccount
from tests.tui.helpers import Notices, settle, sign_in
from tests.tui.test_person_views import offers, open_person
from tui.app import CertifyApp
from tui.saving import DOWNLOADS_ENV
from tui.screens.dialogs import TextDialog
from tui.screens.my_progress import MyProgressScreen

pytestmark = pytest.mark.asyncio

#: The actions of d (JSON) and D (PDF).
JSON, PDF = "personal_data('json')", "personal_data('pdf')"


def person_of(app: CertifyApp, username: str) -> tuple[int, str]:
    """The id and e-mail of the person an account belongs to."""
    with app.backend.database.reading() as session:
        person_id, email = session.execute(
            select(Person.id, Person.email)
            .join(UserAccount, UserAccount.person_id == Person.id)
            .where(UserAccount.username == username)
        ).one()
        return person_id, email


async def saved_by_the_counsellor(
    make: Callable[..., CertifyApp], key: str, folder: Path, suffix: str
) -> tuple[Path, int, str]:
    """Sign in as « conseiller », press ``key`` on « Ma progression » and Enter on the name
    offered: the file saved (checked said so), her id and e-mail."""
    app, notices = make(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await sign_in(pilot, "conseiller")
        screen = app.screen
        assert isinstance(screen, MyProgressScreen) and offers(screen, JSON) and offers(screen, PDF)
        person_id, email = person_of(app, "conseiller")
        await pilot.press(key)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        await settle(pilot)
        saved = folder / f"donnees-personnelles-{person_id}.{suffix}"
        assert notices.last == f"Enregistré\u00a0: {saved}"
    return saved, person_id, email


async def test_a_counsellor_saves_their_own_data(
    demo_app: Callable[..., CertifyApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """d on « Ma progression », Enter on the name offered: her JSON, saved under the name
    offered, about her and with her own e-mail, the password hash withheld."""
    monkeypatch.setenv(DOWNLOADS_ENV, str(tmp_path))
    saved, person_id, email = await saved_by_the_counsellor(demo_app, "d", tmp_path, "json")
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
        assert not offers(page, JSON) and not offers(page, PDF)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is page
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        page = await open_person(pilot, person_id)
        assert offers(page, JSON) and offers(page, PDF)


async def test_shift_d_saves_the_same_as_a_pdf_to_read(
    demo_app: Callable[..., CertifyApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """D on « Ma progression »: the PDF, under its French name, about her."""
    monkeypatch.setenv(DOWNLOADS_ENV, str(tmp_path))
    saved, _, email = await saved_by_the_counsellor(demo_app, "D", tmp_path, "pdf")
    text = " ".join(page.extract_text() for page in PdfReader(saved).pages)
    assert "Vos données dans certify" in text and email in text and "Évaluations" in text
