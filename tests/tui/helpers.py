"""Driving the app in tests: waiting for workers, signing in, freezing what blinks."""

from __future__ import annotations

import asyncio
from datetime import date

from textual.app import App
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from certify.errors import CertifyError

#: The day the demo network is generated as of, and the app's today in tests.
TODAY = date(2026, 11, 21)
#: Password of every demo account.
PASSWORD = "certify-demo"
#: How many rounds of workers starting other workers :func:`settle` waits through.
ROUNDS = 50


def busy(app: App[object], names: tuple[str, ...]) -> list[Worker[object]]:
    """The app's running workers whose group or name is in ``names`` (all if none is)."""
    return [w for w in app.workers if w.is_running and (not names or {w.group, w.name} & {*names})]


async def ended(worker: Worker[object]) -> None:
    """Wait for ``worker`` to end; re-raise its error unless a CertifyError (the app explains)."""
    try:
        await worker.wait()
    except WorkerCancelled:
        pass  # replaced by a newer worker of its group
    except WorkerFailed as failed:
        if not isinstance(failed.error, CertifyError):
            raise failed.error from None


async def settle(pilot: Pilot[None], *names: str) -> None:
    """Wait until no worker (of these groups or names, if any) runs and the screen caught up."""
    calm = 0
    for _ in range(ROUNDS):
        running = busy(pilot.app, names)
        await asyncio.gather(*map(ended, running))
        await pilot.pause()
        calm = 0 if running else calm + 1  # done after two pauses begun with none running
        if calm == 2:
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
