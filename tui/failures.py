"""The one way failures reach the user: plain words in a notification.

Every database call runs in a thread worker of a screen, a widget or the app; when one
fails, :class:`ReportsFailures` (mixed into all of them) hands the error to
:func:`describe` and notifies the user.
"""

from __future__ import annotations

from typing import Any

from textual import log
from textual.app import App
from textual.worker import Worker, WorkerState

from certificates.errors import KeyRingMissing, PassphraseMissing, WrongPassphrase
from certify.access.permissions import PermissionDenied
from certify.errors import CertifyError, DatabaseUnavailable
from certify.services.accounts import AuthenticationFailed
from tui.i18n import _, language


def describe(error: BaseException) -> tuple[str, str]:
    """A notification's title and message for ``error``, in plain words."""
    if isinstance(error, AuthenticationFailed):
        return _("Not signed in"), _("Unknown user or wrong password.")
    if isinstance(error, PermissionDenied):
        lang = language()
        refusal = _("You may not {action}").format(action=error.action.wording.in_(lang))
        if error.why is None:
            return _("Refused"), f"{refusal}."
        reason = error.why.wording.in_(lang)
        return _("Refused"), _("{refusal}: {reason}").format(refusal=refusal, reason=reason) + "."
    if isinstance(error, KeyRingMissing):
        return _("No issuer keys"), _(
            "Certificates cannot be signed or verified here: there is no issuer key ring. "
            "An administrator must run “certify keys init” (see the README)."
        )
    if isinstance(error, WrongPassphrase):
        return _("Wrong passphrase"), _(
            "This passphrase does not unlock the issuer's keys. Type it again."
        )
    if isinstance(error, PassphraseMissing):
        return _("Passphrase needed"), _(
            "The issuer's key passphrase has not been given: certificates cannot be signed."
        )
    if isinstance(error, DatabaseUnavailable):
        return _("Database unavailable"), error.in_(language())
    if isinstance(error, CertifyError):
        return _("Refused"), error.in_(language())
    return _("Unexpected error"), _("{kind}: {error} (details in the Textual log)").format(
        kind=type(error).__name__, error=error
    )


def report(app: App[Any], error: BaseException) -> None:
    """Notify the user of ``error`` in plain words (and log it)."""
    log.error(f"reported to the user: {error!r}")
    title, message = describe(error)
    app.notify(message, title=title, severity="error", timeout=8)


class ReportsFailures:
    """Mixed into the app, screens and widgets: a failed worker's error is notified."""

    #: The running app (provided by Textual's message pumps).
    app: App[Any]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Tell the user why a worker failed, then let its owner recover."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            report(self.app, event.worker.error)
            self.worker_failed(event.worker.error)

    def worker_failed(self, error: BaseException) -> None:
        """Called after the user was told; override to re-enable a form, clear a field…"""
