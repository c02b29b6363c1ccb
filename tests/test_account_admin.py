"""Administering accounts (CLI and app): a new account with roles and scope, new roles,
disabling — and no administrator can lock themself, or the network, out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from certify.access.permissions import Actor, PermissionDenied
from certify.cli import main
from certify.errors import CertifyError
from certify.model import AuditEvent, Role, UserAccount
from certify.rules.scope import Scope
from certify.services.account_admin import (
    NewAccount,
    add_account,
    change_roles,
    confirmed_password,
)
from certify.services.accounts import (
    AuthenticationFailed,
    SelfLockout,
    authenticate,
    list_accounts,
    set_active,
    set_roles,
)
from certify.store.db import Database
from tests.network import SmallNetwork, build_small_network

#: A password long enough.
PASSWORD = "motdepasse-solide"


@pytest.fixture
def network(database: Database) -> SmallNetwork:
    """The small network (person 1 is its only administrator), with no account for person 5."""
    network = build_small_network(database)
    with database.transaction() as session:
        session.delete(session.scalar(select(UserAccount).where(UserAccount.person_id == 5)))
    return network


def rows(network: SmallNetwork) -> dict[str, tuple[tuple[Role, ...], tuple[str, ...], bool]]:
    """Each account's roles, scope and whether it is active, as the admin lists them."""
    with network.database.reading() as session:
        listed = list_accounts(session, network.actor(1))
    return {row.username: (row.roles, row.scope, row.active) for row in listed}


def test_new_coordinator_account_with_scope(network: SmallNetwork) -> None:
    """The person is found by e-mail; roles and scope rows are set and listed."""
    new = NewAccount(
        "ayse",
        "p5@cdm.example",
        PASSWORD,
        frozenset({Role.COUNSELLOR, Role.COORDINATOR}),
        ("site:nimes", "region:Wallonie"),
    )
    with network.database.transaction() as session:
        person = add_account(session, network.actor(1), new)
    assert person.id == 5
    assert rows(network)["ayse"] == (
        (Role.COORDINATOR, Role.COUNSELLOR),
        ("site:NIMES", "region:Wallonie"),
        True,
    )
    assert network.actor(5).coordinator_scope == Scope(frozenset({1}), frozenset({2}))
    with network.database.reading() as session:
        assert authenticate(session, "ayse", PASSWORD).person_id == 5


def test_coordinator_scope_defaults_to_network(network: SmallNetwork) -> None:
    """Without a scope, a coordinator covers the network; other roles list no scope."""
    with network.database.transaction() as session:
        change_roles(session, network.actor(1), "user7", frozenset({Role.COORDINATOR}), ())
    assert rows(network)["user7"][1] == ("network",)
    assert rows(network)["user4"][1] == ()


@pytest.mark.parametrize(
    ("scope", "message"),
    [(("pays:FR",), "invalid scope 'pays:FR'"), (("site:NOWHERE",), "unknown site")],
)
def test_bad_scope_is_refused(network: SmallNetwork, scope: tuple[str, ...], message: str) -> None:
    """A scope in another notation, or naming no site, is refused in words."""
    new = NewAccount("ayse", "p5@cdm.example", PASSWORD, frozenset({Role.COORDINATOR}), scope)
    with network.database.transaction() as session, pytest.raises(CertifyError, match=message):
        add_account(session, network.actor(1), new)


def test_passwords_typed_twice_must_match() -> None:
    """The same password twice is kept; two different ones are refused."""
    assert confirmed_password(PASSWORD, PASSWORD) == PASSWORD
    with pytest.raises(CertifyError, match="the two passwords differ"):
        confirmed_password(PASSWORD, PASSWORD + "!")


def test_admin_cannot_remove_their_own_admin_role(network: SmallNetwork) -> None:
    """Even with another administrator there, one's own admin role stays."""
    with network.database.transaction() as session:
        set_roles(session, network.actor(1), 2, {Role.COORDINATOR, Role.ADMIN}, [(None, None)])
    for change in (
        lambda session: set_roles(session, network.actor(1), 1, {Role.TRAINER}),
        lambda session: change_roles(
            session, network.actor(1), "user1", frozenset({Role.TRAINER}), ()
        ),
    ):
        with network.database.transaction() as session, pytest.raises(SelfLockout) as error:
            change(session)
        assert error.value.french == "vous ne pouvez pas retirer votre propre rôle d'administrateur"
    assert Role.ADMIN in rows(network)["user1"][0]
    with network.database.transaction() as session:
        set_roles(session, network.actor(1), 2, {Role.COORDINATOR}, [(None, None)])
    assert Role.ADMIN not in rows(network)["user2"][0]


def test_the_last_active_admin_keeps_the_role(network: SmallNetwork) -> None:
    """The command line's system actor cannot take the only administrator's role away."""
    with network.database.transaction() as session, pytest.raises(SelfLockout, match="no active"):
        set_roles(session, Actor.system(), 1, {Role.TRAINER})


def test_disable_and_enable_again(network: SmallNetwork) -> None:
    """A disabled account cannot sign in, is listed as such, and both changes are audited."""
    with network.database.transaction() as session:
        add_account(session, network.actor(1), NewAccount("ayse", "5", PASSWORD))
        set_active(session, network.actor(1), "ayse", False)
    assert rows(network)["ayse"][2] is False
    with network.database.reading() as session, pytest.raises(AuthenticationFailed):
        authenticate(session, "ayse", PASSWORD)
    with network.database.transaction() as session:
        set_active(session, network.actor(1), "ayse", True)
    with network.database.reading() as session:
        assert authenticate(session, "ayse", PASSWORD).person_id == 5
        account = session.scalar(select(UserAccount.id).where(UserAccount.username == "ayse"))
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_key == str(account))
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["account.created", "account.disabled", "account.enabled"]


def test_admin_cannot_disable_themself(network: SmallNetwork) -> None:
    """Disabling one's own account is refused; so is disabling the last active admin's."""
    with network.database.transaction() as session, pytest.raises(SelfLockout) as error:
        set_active(session, network.actor(1), "user1", False)
    assert error.value.french == "vous ne pouvez pas désactiver votre propre compte"
    with network.database.transaction() as session, pytest.raises(SelfLockout, match="no active"):
        set_active(session, Actor.system(), "user1", False)
    assert rows(network)["user1"][2] is True


def test_only_admins_administer_accounts(network: SmallNetwork) -> None:
    """A network coordinator may neither disable an account nor change roles."""
    with network.database.transaction() as session, pytest.raises(PermissionDenied):
        set_active(session, network.actor(2), "user7", False)
    with network.database.transaction() as session, pytest.raises(PermissionDenied):
        change_roles(session, network.actor(2), "user7", frozenset({Role.ADMIN}), ())
    assert rows(network)["user7"] == ((Role.COUNSELLOR,), (), True)


def test_user_add_command_uses_the_same_rules(
    network: SmallNetwork, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``certify user add --role coordinator --scope site:NIMES`` opens the same account."""
    monkeypatch.setenv("CERTIFY_PASSWORD", PASSWORD)
    url = network.database.url
    args = ["--db", url, "user", "add", "ayse", "--person", "p5@cdm.example"]
    code = main([*args, "--role", "coordinator", "--scope", "site:NIMES", "--as", "user1"])
    assert code == 0, capsys.readouterr().err
    assert rows(network)["ayse"] == ((Role.COORDINATOR,), ("site:NIMES",), True)
    code = main(["--db", url, "user", "add", "other", "--person", "p7@cdm.example"])
    refused = capsys.readouterr().err
    assert code != 0 and refused.endswith(" a déjà un compte\n") and "personne 7" not in refused
