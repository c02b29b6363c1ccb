"""The issuer's keys for administrators: the active key's fingerprint and state, or, on a
network without keys, the form ``certify keys init`` asks the same questions as."""

from __future__ import annotations

import os
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Static

from certificates.issuer_setup import (
    DEFAULT_ISSUER_NAME,
    KeyStatus,
    NewIssuer,
    confirmed_passphrase,
)
from certificates.keys import MIN_PASSPHRASE_LENGTH, PASSPHRASE_ENV
from certify.access.permissions import Action
from certify.rules.written_dates import written_date
from tui import admin, wording
from tui.i18n import N_, _, language
from tui.screens.base import Audience, CertifyScreen
from tui.workers import deliver


class KeysScreen(CertifyScreen[None]):
    """The key ring certificates are signed with: its state, or its creation."""

    NAME = N_("Issuer keys")
    AUDIENCE = Audience(action=Action.MANAGE_KEYS)
    HELP = N_(
        "The issuer's signing key: its id, fingerprint (SHA-256 of the public key, to "
        "compare with what verifiers pinned), when it was made and how many keys it "
        "replaced. Without keys, certificates cannot be signed: type the issuer's home "
        "page and name and a passphrase (twice, 12 characters or more), then ctrl+s "
        "creates the keys as “certify keys init” does. The passphrase is never stored: "
        "keep it safe, it is asked to sign certificates. A new key is made with "
        "“certify keys rotate”."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            N_("Create the keys"),
            id="keys.create",
            tooltip=N_("Create the issuer's key ring, as certify keys init does"),
        ),
        Binding("escape", "app.pop_screen", N_("Back"), id="keys.back"),
    ]

    def __init__(self) -> None:
        """Nothing read yet."""
        super().__init__()
        #: The active key, once read (``None``: no key ring here).
        self.status: KeyStatus | None = None
        #: Whether the key ring was read.
        self.read = False

    def compose(self) -> ComposeResult:
        """The key's state, and the creation form (shown when there are no keys)."""
        yield Header()
        with VerticalScroll(classes="form"):
            yield Static(_("Loading…"), id="keys-status")
            with VerticalScroll(id="keys-form"):
                yield Label(_("Issuer's home page"))
                yield Input(placeholder=_("e.g. https://www.cites-des-metiers.org"), id="url")
                yield Label(_("Issuer's name (on every certificate)"))
                yield Input(DEFAULT_ISSUER_NAME, id="name")
                if self.passphrase_from_environment():
                    yield Static(
                        _("The passphrase is the one in {variable}.").format(
                            variable=PASSPHRASE_ENV
                        )
                    )
                else:
                    yield Label(
                        _("Passphrase ({count} characters or more)").format(
                            count=MIN_PASSPHRASE_LENGTH
                        )
                    )
                    yield Input(password=True, id="passphrase")
                    yield Label(_("Passphrase again"))
                    yield Input(password=True, id="again")
                yield Button(_("Create the keys"), id="create", variant="primary")
        yield Footer()

    @staticmethod
    def passphrase_from_environment() -> bool:
        """Whether ``$CERTIFY_KEY_PASSPHRASE`` gives the passphrase (as for the CLI)."""
        return bool(os.environ.get(PASSPHRASE_ENV))

    def on_mount(self) -> None:
        """Read the key ring."""
        self.query_one("#keys-form").display = False
        self.load()

    @work(thread=True, exit_on_error=False, group="read")
    def load(self) -> None:
        """Read the ring's index in the background."""
        deliver(self.app, self.show, admin.issuer_keys())

    def show(self, status: KeyStatus | None) -> None:
        """The active key, or the form to create one."""
        self.status, self.read = status, True
        self.query_one("#keys-form").display = status is None
        self.query_one("#keys-status", Static).update(self.describe(status))
        if status is None:
            self.query_one("#url", Input).focus()
        self.refresh_bindings()

    def describe(self, status: KeyStatus | None) -> str:
        """The key's state in a few lines."""
        if status is None:
            return _(
                "This network has no issuer keys yet: certificates cannot be signed. "
                "Create them here."
            )
        lines = [
            _("Issuer: {name} <{id}>").format(
                name=status.issuer.profile.name, id=status.issuer.profile.id
            ),
            _("Active key: {key}").format(key=status.key_id),
            _("Fingerprint (SHA-256): {fingerprint}").format(fingerprint=status.fingerprint),
            _("Made on {day}").format(day=written_date(status.created.date(), language())),
            _("Retired keys: {retired} · compromised: {compromised}").format(
                retired=wording.number(status.retired),
                compromised=wording.number(status.compromised),
            ),
            _("Status list: {url}").format(url=status.issuer.status_list_url),
            _("Key ring: {folder}").format(folder=status.folder),
        ]
        return "\n".join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Creating is offered only where there are no keys."""
        if action == "save" and not (self.read and self.status is None):
            return False
        return super().check_action(action, parameters)

    def typed(self, name: str) -> str:
        """What the field ``name`` holds."""
        return self.query_one(f"#{name}", Input).value

    @on(Button.Pressed, "#create")
    def action_save(self) -> None:
        """Create the keys in the background."""
        new = NewIssuer(self.typed("url"), self.typed("name"))
        if self.passphrase_from_environment():
            self.create(new, None, None)
        else:
            self.create(new, self.typed("passphrase"), self.typed("again"))

    @work(thread=True, exit_on_error=False, group="write")
    def create(self, new: NewIssuer, passphrase: str | None, again: str | None) -> None:
        """Make the ring (the passphrase typed twice must match), then show its key."""
        if passphrase is not None:
            passphrase = confirmed_passphrase(passphrase, again or "")
        status = admin.create_issuer_keys(self.backend, self.actor, new, passphrase)
        deliver(self.app, self.created, status)

    def created(self, status: KeyStatus) -> None:
        """Say so and show the new key."""
        self.notify(_("Issuer keys created. Keep the passphrase safe."))
        self.show(status)

    def worker_failed(self, error: BaseException) -> None:
        """A refusal (weak passphrase…): the passphrases are typed again."""
        if self.status is None and not self.passphrase_from_environment() and self.read:
            for name in ("passphrase", "again"):
                self.query_one(f"#{name}", Input).value = ""
