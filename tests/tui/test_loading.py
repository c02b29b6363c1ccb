"""Loading is visible: a list whose data is slow to come says « Chargement… » (which lines,
when the list's length is known), never its empty state; then its data shows."""

from __future__ import annotations

import asyncio
import html
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.events import Key
from textual.pilot import Pilot

from certify.access.narrowing import DashboardFilters
from tests.tui.helpers import PASSWORD, settle, sign_in
from tui.app import CertifyApp
from tui.backend import Backend
from tui.screens.dashboard import DashboardScreen
from tui.screens.help import HelpScreen
from tui.screens.watchlists import ExpiringScreen

pytestmark = pytest.mark.asyncio

#: The longest a test waits for the screen to change.
ROUNDS = 200


class Gate:
    """Holds the backend's answers until :meth:`open` (as a slow database would)."""

    def __init__(self) -> None:
        """Closed."""
        self._open = threading.Event()

    def slow(self, method: Callable[..., Any]) -> Callable[..., Any]:
        """``method``, answering once the gate is open."""

        def held(*args: Any, **kwargs: Any) -> Any:
            """Wait for the gate, then answer."""
            self._open.wait(30)
            return method(*args, **kwargs)

        return held

    def open(self) -> None:
        """Let the answers through."""
        self._open.set()


@pytest.fixture
def gate() -> Iterator[Gate]:
    """A gate, opened after the test whatever happens (no worker left waiting)."""
    held = Gate()
    yield held
    held.open()


def shown(app: CertifyApp) -> str:
    """The screen's text as a person reads it."""
    svg = app.export_screenshot()
    lines = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", " ".join(lines))).replace("\xa0", " ")


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Let the app run until ``condition`` holds."""
    for _ in range(ROUNDS):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the screen never got there")


async def test_the_dashboard_says_loading_until_its_counts_arrive(
    demo_app: Callable[..., CertifyApp], gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signed in on a slow day: « Chargement… », no « nobody », then the counts."""
    monkeypatch.setattr(Backend, "dashboard", gate.slow(Backend.dashboard))
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"coord.paris", "enter", *PASSWORD, "enter")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await until(pilot, lambda: "Chargement…" in shown(app))
        assert "Personne dans" not in shown(app) and "Total" not in shown(app)
        gate.open()
        await settle(pilot)
        text = shown(app)
        assert "Chargement" not in text and "Total" in text


async def test_expiring_says_loading_not_that_nothing_expires(
    demo_app: Callable[..., CertifyApp], gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Échéances while its lines are read: « Chargement… », not « Aucune certification ne
    prend fin… » nor « 0 certification »; then the lines and their count."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        monkeypatch.setattr(Backend, "expiring", gate.slow(Backend.expiring))
        app.push_screen(ExpiringScreen(DashboardFilters()))
        await until(pilot, lambda: "Chargement…" in shown(app))
        text = shown(app)
        assert "Aucune certification" not in text and "0 certification" not in text
        gate.open()
        await settle(pilot)
        text = shown(app)
        assert "Chargement" not in text
        assert re.search(r"\d+ certifications? prend", text)


async def test_the_next_page_says_which_lines_load(
    demo_app: Callable[..., CertifyApp], gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the list's length is known, the next page says which lines it loads."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "admin")
        screen = ExpiringScreen(DashboardFilters())
        screen.PAGE = 2
        app.push_screen(screen)
        await settle(pilot)
        total = screen.total
        assert total > 2
        monkeypatch.setattr(Backend, "expiring", gate.slow(Backend.expiring))
        await pilot.press("pagedown")
        await until(pilot, lambda: "Chargement des lignes" in shown(app))
        assert f"lignes 3–4 sur {total}" in shown(app)
        gate.open()
        await settle(pilot)
        assert "Chargement" not in shown(app)


async def test_help_shows_at_once_and_says_how_far_it_got(
    demo_app: Callable[..., CertifyApp],
) -> None:
    """F1 opens the help at once, « Chargement… » while its sections are written."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "coord.paris")
        # Pressed as a person would: without waiting for the whole help to be written.
        driver = app._driver
        assert driver is not None
        driver.send_message(Key("f1", None))
        seen: list[str] = []
        for _ in range(ROUNDS):
            await asyncio.sleep(0.01)
            if isinstance(app.screen, HelpScreen):
                seen.append(shown(app))
                if "Chargement" not in seen[-1] and "Tableau de bord" in seen[-1]:
                    break
        assert any(re.search(r"Chargement… \d+ sur \d+", text) for text in seen), seen[-3:]
        assert "Tableau de bord" in seen[-1] and "Chargement" not in seen[-1]
