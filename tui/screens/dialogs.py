"""Small dialogs: a yes/no question, and one line of text to type."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from certify.errors import CertifyError
from tui.failures import describe
from tui.i18n import N_, _
from tui.screens.base import CertifyDialog

#: Escape closes a dialog without an answer.
CANCEL = Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")


class ConfirmDialog(CertifyDialog[bool]):
    """A question answered yes (``True``) or no."""

    BINDINGS: ClassVar[list[BindingType]] = [CANCEL]

    def __init__(self, question: str, yes: str, no: str | None = None) -> None:
        """Ask ``question``; ``yes`` labels the button that agrees, ``no`` the safe one
        (« Rester » unless said)."""
        super().__init__()
        self._question, self._yes, self._no = question, yes, no

    def compose(self) -> ComposeResult:
        """The question and two buttons, the safe one focused."""
        with Vertical(classes="dialog"):
            yield Static(self._question)
            with Horizontal(classes="buttons"):
                yield Button(self._no or _("Stay"), id="no", variant="primary")
                yield Button(self._yes, id="yes", variant="error")

    @on(Button.Pressed)
    def answer(self, event: Button.Pressed) -> None:
        """Close with the button's answer."""
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        """Escape: no."""
        self.dismiss(False)


#: Refuses a text typed (raises :class:`CertifyError`, saying why), or accepts it.
Check = Callable[[str], object]


class TextDialog(CertifyDialog[str | None]):
    """One line of text (a note, a number of hours…): enter keeps it, escape drops it.

    With a ``check``, a refused text stays in the dialog, the reason under it, to fix.
    """

    BINDINGS: ClassVar[list[BindingType]] = [CANCEL]

    def __init__(
        self,
        title: str,
        value: str = "",
        placeholder: str = "",
        check: Check | None = None,
        note: str = "",
    ) -> None:
        """Ask for ``title``, starting from ``value``; ``note`` says what to mind, if anything."""
        super().__init__()
        self._title, self._value, self._placeholder = title, value, placeholder
        self._check, self._note = check, note

    def compose(self) -> ComposeResult:
        """The title, the field, why a text was refused, the note and a hint."""
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="box-title")
            yield self.field()
            yield Static(id="refusal", classes="refusal")
            if self._note:
                yield Static(self._note, classes="hint")
            yield Static(_("Enter: keep · Escape: cancel"), classes="hint")

    def field(self) -> Input:
        """The field typed in."""
        return Input(self._value, placeholder=self._placeholder)

    @on(Input.Submitted)
    def keep(self, event: Input.Submitted) -> None:
        """Enter: close with the text typed, unless the check refuses it."""
        if self._check is not None:
            try:
                self._check(event.value)
            except CertifyError as error:
                refusal = self.query_one("#refusal", Static)
                refusal.update(describe(error)[1])
                refusal.display = True
                return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Escape: close with nothing."""
        self.dismiss(None)
