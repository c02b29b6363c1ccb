"""Start-up: the welcome of an empty database, starting a network, signing in and out."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from textual import events
from textual.widgets import Input, Static

from certify.demo import certification as demo_certification
from certify.demo.certification import DEMO_PASSWORD
from certify.rules.sign_in import FREE_FAILURES
from certify.services import accounts
from certify.services.bootstrap import FirstAdmin
from certify.store.db import Database
from tests.tui.helpers import TODAY, Notices, settle, sign_in
from tui import backend
from tui.app import CertifyApp, create_app
from tui.screens.dashboard import DashboardScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.my_progress import MyProgressScreen
from tui.screens.sign_in import SignInScreen
from tui.screens.start_network import FIELDS, StartNetworkScreen
from tui.screens.welcome import WelcomeScreen

pytestmark = pytest.mark.asyncio

#: What the newcomer types to start a network.
NEWCOMER = {
    "site_name": "Cité des métiers de Nîmes et du Gard",
    "site_code": "nimes",
    "region": "Occitanie",
    "country": "FR",
    "given_name": "Aïcha",
    "family_name": "Benali",
    "email": "aicha.benali@nimes.example",
    "username": "aicha",
    "password": "motdepasse-solide",
}


async def test_an_empty_database_starts_a_network_then_signs_in(empty_url: str) -> None:
    """Welcome → start empty → the form → sign-in with the new name → the admin's modes."""
    app = create_app(empty_url, "fr", TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("s")
        assert isinstance(app.screen, StartNetworkScreen)
        assert set(FIELDS) == {*NEWCOMER, "again"}
        for name, value in {**NEWCOMER, "again": NEWCOMER["password"]}.items():
            app.screen.query_one(f"#{name}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#username", Input).value == "aicha"
        await pilot.press(*"motdepasse-solide", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        names = [mode.name for mode in app.signed_in_modes]
        assert names == ["dashboard", "trainer", "progress", "staff", "imports", "accounts"]


async def test_the_network_form_is_typed_at_once_and_guarded(empty_url: str) -> None:
    """The form opens in its first field; two different passwords are refused and the form
    stays; Escape after typing asks first, and Stay stays."""
    app, notices = create_app(empty_url, "fr", TODAY), Notices()
    async with app.run_test(size=(100, 40), message_hook=notices) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"Cité des métiers de Nîmes")
        form = app.screen
        assert form.query_one("#site_name", Input).value == "Cité des métiers de Nîmes"
        for name, value in {**NEWCOMER, "again": "autre-mot-de-passe"}.items():
            form.query_one(f"#{name}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and "les deux mots de passe diffèrent" in str(notices.last)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form


async def test_the_welcome_loads_the_demo_as_of_today(
    empty_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key d asks first (Stay is the safe answer, and stays); then it loads the demo
    network as of the app's today, and asks to sign in."""
    calls: list[dict[str, Any]] = []

    def fake_demo(database: Database, **options: Any) -> None:
        """Record the call; make a network with one account, as the demo would."""
        calls.append(options)
        backend.Backend(database, TODAY).start_network(
            FirstAdmin(**{**NEWCOMER, "username": "formateur"})
        )

    monkeypatch.setattr(demo_certification, "load_demo", fake_demo)
    app = create_app(empty_url, "fr", TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen) and calls == []
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#username", Input).value == "formateur"
    assert calls == [{"seed": 1993, "as_of": TODAY, "staff": 200}]


async def test_a_browser_is_not_offered_the_demo(
    empty_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``certify serve`` the welcome says to set the network up on the server; « d »
    and « s » do nothing (the demo's accounts open with the published password, and whoever
    started an empty network would be its administrator)."""
    calls: list[object] = []
    monkeypatch.setattr(demo_certification, "load_demo", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(CertifyApp, "is_web", property(lambda app: True))
    app = create_app(empty_url, "fr", TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert not app.screen.query("#demo") and not app.screen.query("#start")
        hint = str(app.screen.query_one("#set-up-on-server", Static).render())
        assert "sur le serveur uniquement" in hint and "«\u00a0certify demo\u00a0»" in hint
        await pilot.press("d", "s")
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen) and calls == []


@pytest.mark.parametrize("username", ["formateur", "nobody-here"])
async def test_a_wrong_password_does_not_say_who_exists(
    demo_app: Callable[..., CertifyApp], username: str
) -> None:
    """An existing and an unknown user get the same words; the password is emptied."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await sign_in(pilot, username, "not-the-password")
        assert isinstance(app.screen, SignInScreen) and app.actor is None
        assert notices.messages == ["Utilisateur inconnu ou mot de passe erroné."]
        assert app.screen.query_one("#password", Input).value == ""


@pytest.mark.parametrize("between", ["tab", "enter"])
async def test_a_name_and_password_typed_in_one_burst_sign_in(
    demo_app: Callable[..., CertifyApp], between: str
) -> None:
    """ "name⇥password⏎" (or ⏎) arriving at once, as a password manager types it, fills
    both fields and signs in: no key reaches a field the focus has already left."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        burst = [*"formateur", between, *DEMO_PASSWORD, "enter"]
        for key in burst:
            character = {"tab": "\t", "enter": "\r"}.get(key, key)
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert app.actor is not None and app.actor.username == "formateur"


async def test_a_form_typed_in_one_burst_fills_each_field(empty_url: str) -> None:
    """« Démarrer un réseau » typed field by field with Tab between, all at once (a browser
    sends keys in bursts): each value lands in its own field, none in the one Tab left."""
    app = create_app(empty_url, "fr", TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        burst: list[str] = []
        for name in ("site_name", "site_code", "region"):
            burst += [*NEWCOMER[name].replace(" ", "\0"), "tab"]
        for key in burst:
            character = {"tab": "\t", "\0": " "}.get(key, key)
            app.post_message(events.Key("space" if key == "\0" else key, character))
        await settle(pilot)
        typed = {name: app.screen.query_one(f"#{name}", Input).value for name in FIELDS}
        assert typed["site_name"] == NEWCOMER["site_name"]
        assert typed["site_code"] == NEWCOMER["site_code"]
        assert typed["region"] == NEWCOMER["region"]


async def test_keys_typed_before_the_sign_in_screen_is_up_reach_it(
    demo_app: Callable[..., CertifyApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A browser sends what is typed as soon as the app's process starts: the keys that come
    before the first screen is up are held for it, in order, and sign in."""
    app = demo_app()
    typed = threading.Event()
    is_empty = app.backend.is_empty

    def once_typed() -> bool:
        """Whether the network is empty, told only after the keys have come."""
        typed.wait(10)
        return is_empty()

    monkeypatch.setattr(app.backend, "is_empty", once_typed)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in [*"formateur", "enter", *DEMO_PASSWORD, "enter"]:
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await pilot.pause()
        assert not isinstance(app.screen, SignInScreen)  # the keys came first
        typed.set()
        await settle(pilot)
        assert app.actor is not None and app.actor.username == "formateur"


async def test_the_sign_in_screen_makes_the_unknown_users_hash_before_any_attempt(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """The first attempt for an unknown user then costs one verification, like a known one."""
    accounts.dummy_hash.cache_clear()
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert accounts.dummy_hash.cache_info().currsize == 1


async def test_failures_in_a_row_make_the_next_sign_in_wait(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """After three wrong passwords the fourth attempt, even right, is told to wait."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await sign_in(pilot, "formateur", "not-the-password")  # the name stays typed
        for _attempt in range(FREE_FAILURES - 1):
            await pilot.press(*"not-the-password", "enter")
            await settle(pilot)
        await pilot.press(*DEMO_PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and app.actor is None
        *failures, wait = notices.messages
        assert failures == ["Utilisateur inconnu ou mot de passe erroné."] * FREE_FAILURES
        assert wait.startswith("trop de tentatives échouées\u00a0: réessayez dans ")


async def test_sign_out_forgets_the_user_and_their_modes(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """After signing out, another user starts afresh with their own modes only."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "formateur")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and app.actor is None
        fields = [
            app.screen.query_one(f"#{name}", Input).value for name in ("username", "password")
        ]
        assert fields == ["", ""]
        await sign_in(pilot, "conseiller")
        assert isinstance(app.screen, MyProgressScreen)
        assert [mode.name for mode in app.signed_in_modes] == ["progress", "staff"]


async def test_the_app_starts_on_the_database_given(demo_url: str) -> None:
    """``create_app`` works as of the day given, or today."""
    assert create_app(demo_url, "en", date(2026, 1, 2)).backend.today == date(2026, 1, 2)
    assert create_app(demo_url).backend.today == date.today()
