"""The administrators' accounts screen: every account with its roles and scope; new
accounts, new roles, disabling and enabling again; the issuer's keys one key away."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from certify.access.permissions import Action
from certify.services.accounts import AccountRow
from tui import admin, wording
from tui.i18n import N_, _, ngettext
from tui.screens.account_form import AccountFormScreen, RolesDialog
from tui.screens.base import Audience, CertifyScreen
from tui.screens.dialogs import ConfirmDialog
from tui.workers import deliver

#: Scope items as the list shows them: notation prefix → marked label.
SCOPE_LABELS: dict[str, str] = {"site": N_("site {value}"), "region": N_("region {value}")}


def scope_label(scope: tuple[str, ...]) -> str:
    """A coordinator's scope in words (« whole network », « site NIMES »…)."""
    shown = []
    for item in scope:
        kind, _sep, value = item.partition(":")
        label = SCOPE_LABELS.get(kind)
        shown.append(_(label).format(value=value) if label else _("whole network"))
    return ", ".join(shown)


class AccountsScreen(CertifyScreen[None]):
    """Who may sign in, with which roles: administrators only."""

    NAME = N_("Accounts")
    AUDIENCE = Audience(action=Action.MANAGE_ACCOUNTS)
    HELP = N_(
        "Every sign-in account, with its staff member, roles, coordinator's scope and "
        "whether it may sign in. n opens an account for a staff member already in the "
        "network (import staff first, F8); r changes the roles and scope of the account "
        "under the cursor; d disables it (it can no longer sign in) or enables it again. "
        "Nobody can remove their own administrator role or disable their own account, "
        "and the network always keeps an active administrator. k shows the issuer's keys, "
        "and creates them when there are none."
    )
    AUTO_FOCUS = "#accounts"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New account"), id="accounts.new", tooltip=N_("Open an account")),
        Binding(
            "r",
            "roles",
            N_("Roles"),
            id="accounts.roles",
            tooltip=N_("Change the roles and scope of the account under the cursor"),
        ),
        Binding(
            "d",
            "switch",
            N_("Disable/enable"),
            id="accounts.toggle",
            tooltip=N_("Disable the account under the cursor, or enable it again"),
        ),
        Binding(
            "k",
            "keys",
            N_("Issuer keys"),
            id="accounts.keys",
            tooltip=N_("The keys certificates are signed with: their state, or create them"),
        ),
    ]

    def __init__(self) -> None:
        """Nothing read yet."""
        super().__init__()
        #: The accounts shown, by user name.
        self.accounts: dict[str, AccountRow] = {}

    def compose(self) -> ComposeResult:
        """The table and a count."""
        yield Header()
        yield DataTable(id="accounts", cursor_type="row", zebra_stripes=True)
        yield Static(_("Loading…"), id="accounts-status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the accounts."""
        self.query_one(DataTable).add_columns(
            _("User name"), _("Name"), _("E-mail"), _("Roles"), _("Scope"), _("State")
        )
        self.load()

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def load(self) -> None:
        """Read the accounts in the background."""
        deliver(self.app, self.show, admin.account_list(self.backend, self.actor))

    def show(self, rows: list[AccountRow]) -> None:
        """Fill the table, keeping the cursor on the same account."""
        table = self.query_one(DataTable)
        current = self.current()
        self.accounts = {row.username: row for row in rows}
        table.clear()
        for row in rows:
            table.add_row(
                row.username,
                row.name,
                row.email,
                wording.roles(frozenset(row.roles)),
                scope_label(row.scope),
                _("active") if row.active else _("disabled"),
                key=row.username,
            )
        if current is not None and current.username in self.accounts:
            table.move_cursor(row=table.get_row_index(current.username))
        self.query_one("#accounts-status", Static).update(
            ngettext("{count} account", "{count} accounts", len(rows)).format(
                count=wording.number(len(rows))
            )
        )

    def current(self) -> AccountRow | None:
        """The account under the cursor, if any."""
        table = self.query_one(DataTable)
        if not self.accounts or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.accounts.get(str(key))

    def changed(self, saved: bool | None) -> None:
        """After a form or dialog: read the accounts again if something was saved."""
        if saved:
            self.load()

    def action_new(self) -> None:
        """Open the new-account form."""
        self.app.push_screen(AccountFormScreen(), self.changed)

    def action_roles(self) -> None:
        """Change the roles of the account under the cursor."""
        if (account := self.current()) is not None:
            self.app.push_screen(RolesDialog(account), self.changed)

    def action_switch(self) -> None:
        """Disable the account under the cursor (after asking), or enable it again."""
        account = self.current()
        if account is None:
            return
        if not account.active:
            self.set_active(account.username, True)
            return
        question = _(
            "Disable the account {username} ({name})? They will no longer be able to sign in."
        ).format(username=account.username, name=account.name)

        def answered(agreed: bool | None) -> None:
            """Disable it if the admin agreed."""
            if agreed:
                self.set_active(account.username, False)

        self.app.push_screen(ConfirmDialog(question, _("Disable")), answered)

    @work(thread=True, exit_on_error=False, group="write")
    def set_active(self, username: str, active: bool) -> None:
        """Disable or enable in the background, then read the list again."""
        admin.set_active(self.backend, self.actor, username, active)
        said = _("Account {username} enabled.") if active else _("Account {username} disabled.")
        deliver(self.app, self.notify, said.format(username=username))
        deliver(self.app, self.load)

    def action_keys(self) -> None:
        """The issuer's keys."""
        from tui.screens.keys import KeysScreen  # loaded on first use

        self.app.push_screen(KeysScreen())

    @on(DataTable.RowSelected)
    def selected(self) -> None:
        """Enter on an account: change its roles."""
        self.action_roles()
