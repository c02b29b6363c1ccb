"""The administrator's part of the backend: accounts and roles, and the issuer's keys."""

from __future__ import annotations

from collections.abc import Sequence

from certificates.issuer_setup import KeyStatus, NewIssuer, key_status, start_issuer
from certify.access.permissions import Actor
from certify.model import Role
from certify.services import account_admin, accounts
from certify.services.account_admin import NewAccount
from certify.services.accounts import AccountRow
from tui.backend import Backend


def account_list(backend: Backend, actor: Actor) -> list[AccountRow]:
    """Every account with its roles, scope and whether it may sign in."""
    with backend.database.reading() as session:
        return accounts.list_accounts(session, actor)


def add_account(backend: Backend, actor: Actor, new: NewAccount) -> None:
    """Open an account with its roles and scope (``certify user add``)."""
    with backend.database.transaction() as session:
        account_admin.add_account(session, actor, new)


def change_roles(
    backend: Backend, actor: Actor, username: str, roles: frozenset[Role], scope: Sequence[str]
) -> None:
    """Replace an account's roles and a coordinator's scope."""
    with backend.database.transaction() as session:
        account_admin.change_roles(session, actor, username, roles, scope)


def set_active(backend: Backend, actor: Actor, username: str, active: bool) -> None:
    """Disable an account, or let it sign in again."""
    with backend.database.transaction() as session:
        accounts.set_active(session, actor, username, active)


def issuer_keys() -> KeyStatus | None:
    """The issuer's active key here; ``None`` without a key ring."""
    return key_status()


def create_issuer_keys(
    backend: Backend, actor: Actor, new: NewIssuer, passphrase: str | None
) -> KeyStatus:
    """Create the key ring as ``certify keys init`` does (``passphrase``, else
    ``$CERTIFY_KEY_PASSPHRASE``), keep it unlocked for this sign-in, and return its status."""
    start_issuer(actor, new, passphrase)
    backend.unlock_keys(passphrase)
    status = key_status()
    assert status is not None, "the ring was just made"
    return status
