"""The privacy notice: one text per language, the README's section word for word, shown
to anyone (before signing in too) from f10, the command palette and the help."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Markdown

from certify.rules import retention
from certify.rules.wording import NBSP, Lang
from tests.tui.helpers import TODAY, settle, sign_in
from tests.tui.test_audit_log_screen import searched
from tui.app import CertifyApp, create_app
from tui.i18n import LANGUAGES
from tui.screens.help import HelpScreen
from tui.screens.privacy import PrivacyScreen, notice
from tui.screens.sign_in import SignInScreen
from tui.screens.welcome import WelcomeScreen

pytestmark = pytest.mark.asyncio

#: The repository's README.
README = Path(__file__).resolve().parents[2] / "README.md"


def one_level_down(text: str) -> str:
    """Markdown with every heading one level deeper (as the README nests it)."""
    return re.sub(r"^#", "##", text, flags=re.MULTILINE)


async def f10(pilot: Pilot[None]) -> str:
    """Press f10: the notice it shows."""
    await pilot.press("f10")
    await settle(pilot)
    return shown(pilot.app)


def shown(app: App[None]) -> str:
    """The notice on screen."""
    assert isinstance(app.screen, PrivacyScreen)
    return app.screen.query_one(Markdown).source


def test_the_readme_holds_the_notice_word_for_word_french_first() -> None:
    """The README's privacy section is the French notice, then the English one."""
    readme = README.read_text(encoding="utf-8")
    french, english = (one_level_down(notice(lang)) for lang in ("fr", "en"))
    assert french in readme and english in readme
    assert readme.index(french) < readme.index(english)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_notice_is_truthful_about_what_is_kept(lang: Lang) -> None:
    """Each language gives the retention periods the command applies by default, says that
    nothing about the public is kept, and names the CNIL."""
    text = notice(lang)
    said = {
        "fr": (
            f"pseudonymisée {retention.DEPARTED_YEARS} ans après son dernier jour",
            f"supprimée {retention.EVIDENCE_YEARS} ans après avoir cessé de compter",
            f"effacé {retention.SIGN_IN_DAYS} jours après le dernier",
            "Rien sur les publics accueillis",
        ),
        "en": (
            f"pseudonymised {retention.DEPARTED_YEARS} years after their last day",
            f"deleted {retention.EVIDENCE_YEARS} years after it stopped counting",
            f"erased {retention.SIGN_IN_DAYS} days after the last one",
            "Nothing about the public",
        ),
    }[lang]
    assert [words for words in said if words not in text] == []
    assert "CNIL" in text


def test_french_typography() -> None:
    """No-break spaces before « : ; ? ! » and inside « » in the French notice."""
    text = notice("fr")
    assert not re.search(r" [:;?!»]|« ", text)
    assert f"«{NBSP}Ce que vous avez observé{NBSP}»" in text


async def test_before_signing_in_f10_shows_the_notice(demo_app: Callable[..., CertifyApp]) -> None:
    """On the sign-in form f10 opens the French notice; escape goes back to the form."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert await f10(pilot) == notice("fr")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert isinstance(app.focused, Input)


async def test_the_welcome_of_an_empty_network_offers_it_too(empty_url: str) -> None:
    """Before any network exists, f10 shows the notice."""
    app = create_app(empty_url, "en", TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert await f10(pilot) == notice("en")


async def test_staff_find_it_in_the_palette_in_english(demo_app: Callable[..., CertifyApp]) -> None:
    """A staff member in English: ctrl+p « privacy » offers it, and enter opens it."""
    app = demo_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "conseiller")
        assert await searched(pilot, "privacy") == ["Privacy (f10)"]
        await pilot.press("enter")
        await settle(pilot)
        assert shown(app) == notice("en")


async def test_the_help_names_it_and_opens_it(demo_app: Callable[..., CertifyApp]) -> None:
    """The help lists f10 among the keys that work everywhere; f10 there opens the notice."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "formateur")
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "`f10` Confidentialité" in app.screen.document()
        assert await f10(pilot) == notice("fr")
