"""The issuer's key passphrase, asked when a certificate must be signed (verifying needs none).

Asked only when ``$CERTIFY_KEY_PASSPHRASE`` does not unlock the key ring; once typed, the
passphrase stays in the backend's memory until sign-out, never written anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.widgets import Input, Static

from certificates.errors import PassphraseMissing, WrongPassphrase
from tui.backend import Backend
from tui.i18n import _
from tui.screens.base import CertifyDialog
from tui.screens.dialogs import CANCEL
from tui.workers import deliver

#: What a passphrase typed now would cure (other key ring problems are only reported).
LOCKED = (PassphraseMissing, WrongPassphrase)


class PassphraseDialog(CertifyDialog[bool]):
    """The passphrase, masked: enter unlocks the keys (``True``), escape gives up."""

    BINDINGS: ClassVar[list[BindingType]] = [CANCEL]

    def compose(self) -> ComposeResult:
        """Title, why it is asked, the masked field and a hint."""
        with Vertical(classes="dialog"):
            yield Static(_("Issuer's key passphrase"), classes="box-title")
            yield Static(
                _(
                    "Certificates are signed and verified with the issuer's keys. "
                    "The passphrase is kept in memory until you sign out."
                )
            )
            yield Input(password=True, placeholder=_("Passphrase"), id="passphrase")
            yield Static(_("Enter: unlock · Escape: cancel"), classes="hint")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Try the passphrase typed (an empty one is not tried)."""
        if event.value:
            self.unlock(event.value)

    @work(thread=True, exit_on_error=False, group="unlock", exclusive=True)
    def unlock(self, passphrase: str) -> None:
        """Decrypt the issuer's key with ``passphrase``; close once it opens."""
        self.backend.unlock_keys(passphrase)
        deliver(self.app, self.dismiss, True)

    def worker_failed(self, error: BaseException) -> None:
        """A wrong passphrase (the user was told): empty the field to type it again."""
        field = self.query_one(Input)
        field.value = ""
        field.focus()

    def action_cancel(self) -> None:
        """Escape: give up (nothing is signed or verified)."""
        self.dismiss(False)


def ask_passphrase(app: App[object], then: Callable[[], object]) -> None:
    """Ask for the passphrase, then run ``then`` once it unlocks the keys (not if cancelled).

    A dialog already open is not doubled.
    """
    if not any(isinstance(screen, PassphraseDialog) for screen in app.screen_stack):

        def answered(unlocked: bool | None) -> None:
            """Run ``then`` if the keys were unlocked."""
            if unlocked:
                then()

        app.push_screen(PassphraseDialog(), answered)


def with_issuer_keys(node: DOMNode, backend: Backend, then: Callable[[], object]) -> None:
    """Run ``then`` once ``backend``'s issuer keys are unlocked, asking for the passphrase
    if needed.

    ``node`` (a widget or screen of the app) runs the check: with no key ring at all, its
    failure handler tells the user an administrator must make one.
    """
    app = node.app

    def check() -> None:
        """In a worker: the keys open as they are (kept or environment passphrase), or ask."""
        try:
            backend.unlock_keys()
        except LOCKED:
            deliver(app, ask_passphrase, app, then)
            return
        deliver(app, then)

    node.run_worker(check, thread=True, exit_on_error=False, group="unlock")


def when_signing_ready(node: DOMNode, backend: Backend, then: Callable[[], object]) -> None:
    """Run ``then``, which issues certificates, once they can be signed: at once with no key
    ring here (they are issued unsigned), else once the issuer's keys are unlocked."""
    if backend.has_key_ring:
        with_issuer_keys(node, backend, then)
    else:
        then()
