"""Driving the app in tests: waiting for workers, signing in, freezing what blinks."""

from __future__ import annotations

from datetime import date

from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Input

#: The day the demo network is generated as of, and the app's today in tests.
TODAY = date(2026, 11, 21)
#: Password of every demo account.
PASSWORD = "certify-demo"


async def settle(pilot: Pilot[None]) -> None:
    """Wait until no worker runs and the screen has caught up with what they did."""
    app = pilot.app
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            return
    raise AssertionError("workers keep running")


async def sign_in(pilot: Pilot[None], username: str, password: str = PASSWORD) -> None:
    """Type a user name and password on the sign-in screen."""
    await settle(pilot)
    await pilot.press(*username, "enter", *password, "enter")
    await settle(pilot)


async def freeze(pilot: Pilot[None]) -> None:
    """Before a snapshot: no blinking cursor, no transient notification."""
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


class Notices:
    """A ``run_test`` message hook keeping the text of every notification."""

    def __init__(self) -> None:
        """Nothing notified yet."""
        #: Each notification's message, in order.
        self.messages: list[str] = []

    def __call__(self, message: Message) -> None:
        """Keep a notification's message."""
        if isinstance(message, Notify):
            self.messages.append(message.notification.message)

    @property
    def last(self) -> str:
        """The latest notification's message."""
        return self.messages[-1]
