"""One person's certificates: status, verification, the PDF to save; revoke and reissue.

Verification is what a verifier would conclude today (signature against the issuer's
pinned keys, status from the revocation list): it is read in a worker of its own after the
list is shown, since it unlocks the issuer's key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from certify.access.permissions import Action
from certify.model import CertificateState
from certify.rules.dates import CertificateStatus
from certify.views.certificate_lines import CertificateLine
from tui import saving, wording
from tui.failures import ReportsFailures, describe
from tui.i18n import N_, _, language
from tui.screens.base import AppParts
from tui.screens.dialogs import ConfirmDialog, TextDialog
from tui.screens.passphrase import (
    when_signing_ready,
    with_issuer_keys,
)
from tui.widgets.columns import spare_width, widths
from tui.widgets.progress import lang
from tui.workers import deliver

if TYPE_CHECKING:
    from certificates.checks import CertificateCheck, Verification

#: Each status's words (marked, translated when shown) and colour.
STATUSES: dict[CertificateStatus, tuple[str, str]] = {
    CertificateStatus.VALID: (N_("valid"), "green"),
    CertificateStatus.IN_WINDOW: (N_("valid, renewal window open"), "yellow"),
    CertificateStatus.EXPIRED: (N_("expired"), "red"),
    CertificateStatus.REVOKED: (N_("revoked"), "red"),
    CertificateStatus.SUPERSEDED: (N_("replaced"), "dim"),
    CertificateStatus.NOT_YET_VALID: (N_("not yet valid"), "cyan"),
}
#: The action behind each key that changes a certificate.
CHANGES: dict[str, Action] = {
    "revoke": Action.REVOKE_CERTIFICATE,
    "reissue": Action.REISSUE_CERTIFICATE,
}


def status(line: CertificateLine) -> Text:
    """The certificate's status today, with the revocation's reason or the replacement."""
    words, style = STATUSES[line.status]
    text = _(words)
    if line.status is CertificateStatus.REVOKED and line.revocation_reason:
        text = _("revoked: {reason}").format(reason=line.revocation_reason)
    elif line.status is CertificateStatus.SUPERSEDED and line.superseded_by:
        text = _("replaced by {serial}").format(serial=line.superseded_by)
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def in_language(bilingual: str) -> str:
    """The part of a « français / English » sentence in the language in use."""
    french, _slash, english = bilingual.partition(" / ")
    return french if language() == "fr" or not english else english


class CertificatesView(AppParts, ReportsFailures, Vertical):
    """A person's certificates, newest first, with what a verifier would conclude."""

    #: Keys only those allowed to change certificates are offered.
    KEYS_NEED: ClassVar[Mapping[str, Action]] = CHANGES

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "save",
            N_("Save PDF"),
            id="certificates.save",
            tooltip=N_("Save the highlighted certificate as a PDF"),
        ),
        Binding(
            "v",
            "revoke",
            N_("Revoke"),
            id="certificates.revoke",
            tooltip=N_("Revoke the highlighted certificate, giving the reason"),
        ),
        Binding(
            "i",
            "reissue",
            N_("Reissue"),
            id="certificates.reissue",
            tooltip=N_("Replace the highlighted certificate by a new one with today's names"),
        ),
    ]

    class Changed(Message):
        """A certificate was revoked or reissued: the person's standing may have changed."""

    def __init__(self, *, id: str | None = None) -> None:
        """Empty until :meth:`show` is given certificates."""
        super().__init__(id=id, classes="certificates")
        #: Whose certificates are shown.
        self.person_id: int | None = None
        #: The certificates shown, newest first.
        self.lines: list[CertificateLine] = []
        #: Each certificate's verification, by id (``None`` while being read).
        self.checks: dict[int, CertificateCheck] | None = None
        #: Why the certificates could not be verified, if so.
        self.unavailable: str | None = None
        #: Which of revoke and reissue the user may do here.
        self.changes: frozenset[Action] = frozenset()

    def compose(self) -> ComposeResult:
        """The certificates, then the details of the current one."""
        yield DataTable(cursor_type="row", zebra_stripes=True, id="certificate-list")
        yield Static(_("Loading…"), id="certificate-detail")

    def show(
        self,
        person_id: int,
        lines: Sequence[CertificateLine],
        changes: frozenset[Action] = frozenset(),
    ) -> None:
        """Show ``lines`` of ``person_id``; offer ``changes``; then verify them."""
        self.person_id, self.lines, self.changes = person_id, list(lines), changes
        self.checks, self.unavailable = None, None
        self.fill()
        self.verify()

    @work(thread=True, exit_on_error=False, group="verify", exclusive=True)
    def verify(self) -> None:
        """Verify every certificate as a verifier would, today."""
        assert self.person_id is not None
        verification = self.backend.certificate_checks(self.actor, self.person_id)
        deliver(self.app, self.verified, verification)

    def verified(self, verification: Verification) -> None:
        """Show the verdicts, or why there are none."""
        self.checks = verification.checks
        error = verification.unavailable
        if error is not None:
            self.unavailable = in_language(describe(error)[1])
        self.fill()

    def worker_failed(self, error: BaseException) -> None:
        """A verification that failed (notified) leaves its column empty."""
        if self.checks is None:
            self.checks, self.unavailable = {}, _("see the message")
            self.fill()

    def verdict(self, line: CertificateLine) -> str:
        """The verifier's verdict on ``line``, or why there is none yet."""
        if self.checks is None:
            return "…"
        check = self.checks.get(line.id)
        if check is None:
            return _("unavailable") if self.unavailable else _("not signed")
        verdict = check.result.verdict
        return wording.pick(verdict.label_fr, verdict.label_en)

    def fill(self) -> None:
        """List the certificates, the cursor staying where it was."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        labels = [_("Serial"), _("Programme"), _("Issued"), _("Until"), _("Verification")]
        rows = [
            [
                line.serial,
                line.programme.code,
                wording.day(line.issued_on),
                wording.day(line.valid_until),
                self.verdict(line),
            ]
            for line in self.lines
        ]
        sizes = widths(labels, rows)
        table.clear(columns=True)
        for label, size in zip(labels, sizes, strict=True):
            table.add_column(label, width=size)
        table.add_column(_("Status"), width=spare_width(table, sizes))
        for cells, line in zip(rows, self.lines, strict=True):
            table.add_row(*cells, status(line), key=str(line.id))
        if not self.lines:
            self.query_one("#certificate-detail", Static).update(_("No certificate yet."))
            return
        table.move_cursor(row=min(row, len(self.lines) - 1))
        self.describe()

    def on_resize(self) -> None:
        """The status takes the width there is."""
        if self.lines:
            self.fill()

    def current(self) -> CertificateLine | None:
        """The certificate under the cursor."""
        row = self.query_one(DataTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    @on(DataTable.RowHighlighted, "#certificate-list")
    def describe(self) -> None:
        """The current certificate: programme, status, verification code and verdict."""
        line = self.current()
        self.refresh_bindings()
        if line is None:
            return
        programme = wording.pick(line.programme.title_fr, line.programme.title_en)
        text = Text.assemble(
            (f"{line.serial} · {line.programme.code} {programme}", "bold"),
            "\n",
            _("Valid from {start} to {end} · ").format(
                start=wording.day(line.valid_from), end=wording.day(line.valid_until)
            ),
            status(line),
        )
        if line.revoked_on is not None:
            text.append(_(" (from {day})").format(day=wording.day(line.revoked_on)))
        if line.supersedes:
            text.append(_(" · replaces {serial}").format(serial=line.supersedes))
        text.append("\n")
        text.append_text(self.verification(line))
        self.query_one("#certificate-detail", Static).update(text)

    def verification(self, line: CertificateLine) -> Text:
        """The verification code and what a verifier concludes, with why."""
        if self.checks is None:
            return Text(_("Verification under way…"), style="dim")
        check = self.checks.get(line.id)
        if check is None:
            reason = self.unavailable or _(
                "not signed yet: saving its PDF signs it (the issuer's passphrase is asked)"
            )
            return Text(_("Verification unavailable: {reason}").format(reason=reason), style="dim")
        verdict = check.result.verdict
        style = "bold green" if verdict.name == "VALID" else "bold red"
        return Text.assemble(
            _("Verification code: "),
            (check.code, "bold"),
            " · ",
            (wording.pick(verdict.label_fr, verdict.label_en), style),
            " — ",
            in_language(check.result.detail),
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Revoke and reissue for those allowed, on a standing certificate; save on any."""
        line = self.current()
        if action in CHANGES:
            if CHANGES[action] not in self.changes:
                return False
            return True if line is not None and line.state is CertificateState.ISSUED else None
        if action == "save":
            return True if line is not None else None
        return True

    def action_save(self) -> None:
        """Save the current certificate's PDF (the document of record): at once for a signed
        one, else once the issuer's keys are unlocked to sign it (the passphrase is asked)."""
        line = self.current()
        if line is None:
            return
        actor, backend, language_used = self.actor, self.backend, lang()
        signed = self.checks is not None and line.id in self.checks

        def produce() -> bytes:
            """In a worker: the PDF; the verdicts again if it was signed for this."""
            pdf = backend.certificate_pdf(actor, line.id, language_used)
            if not signed:
                deliver(self.app, self.verify)
            return pdf

        def save() -> None:
            """Offer the PDF."""
            name = _("certificate-{serial}.pdf").format(serial=line.serial)
            saving.save(self.screen, name, "application/pdf", produce)

        if signed:
            save()
        else:
            with_issuer_keys(self, backend, save)

    def action_revoke(self) -> None:
        """Ask why, confirm, then revoke the current certificate."""
        line = self.current()
        if line is None:
            return
        self.ask_reason(
            _("Why revoke certificate {serial}? (required)").format(serial=line.serial),
            _("Revoke certificate {serial}? This cannot be undone.").format(serial=line.serial),
            _("Revoke"),
            lambda reason: self.revoke(line.serial, reason),
        )

    def action_reissue(self) -> None:
        """Ask why, confirm, then reissue the current certificate."""
        line = self.current()
        if line is None:
            return
        self.ask_reason(
            _("Why reissue certificate {serial}? (required)").format(serial=line.serial),
            _("Reissue certificate {serial}? It will be replaced by one with a new serial.").format(
                serial=line.serial
            ),
            _("Reissue"),
            lambda reason: when_signing_ready(
                self, self.backend, lambda: self.reissue(line.serial, reason)
            ),
        )

    def ask_reason(
        self, title: str, question: str, yes: str, then: Callable[[str], object]
    ) -> None:
        """Ask for a reason (required), then confirm ``question``, then run ``then(reason)``."""

        def ask() -> None:
            """Ask for the reason."""
            self.app.push_screen(TextDialog(title, placeholder=_("Reason")), confirm)

        def confirm(reason: str | None) -> None:
            """Ask again for an empty reason; otherwise ask to confirm (escape: stop)."""
            if reason is None:
                return
            if not reason.strip():
                self.notify(_("A reason is required."), severity="warning")
                ask()
                return

            def answered(agreed: bool | None) -> None:
                """Run ``then`` with the reason if the user agreed."""
                if agreed:
                    then(reason)

            self.app.push_screen(ConfirmDialog(question, yes), answered)

        ask()

    @work(thread=True, exit_on_error=False, group="write")
    def revoke(self, serial: str, reason: str) -> None:
        """Revoke, then say so."""
        self.backend.revoke_certificate(self.actor, serial, reason)
        deliver(self.app, self.changed, _("Certificate {serial} revoked.").format(serial=serial))

    @work(thread=True, exit_on_error=False, group="write")
    def reissue(self, serial: str, reason: str) -> None:
        """Reissue, then say which serial replaces the old one."""
        new = self.backend.reissue_certificate(self.actor, serial, reason)
        deliver(
            self.app,
            self.changed,
            _("Certificate {serial} replaced by {new}.").format(serial=serial, new=new),
        )

    def changed(self, message: str) -> None:
        """Say what was done; the screen reloads the person."""
        self.notify(message)
        self.post_message(self.Changed())
