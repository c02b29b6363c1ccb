"""Accounts: Argon2id hashes, sign-in that does not tell who exists, roles audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from certify.access.permissions import PermissionDenied
from certify.errors import CertifyError
from certify.model import AuditEvent, Role, UserAccount
from certify.rules.scope import Scope
from certify.services.accounts import (
    AuthenticationFailed,
    authenticate,
    change_password,
    create_account,
    list_accounts,
    set_roles,
)
from certify.store.db import Database
from tests.network import SmallNetwork, build_small_network


@pytest.fixture
def network(database: Database) -> SmallNetwork:
    """The small network, with a real account for person 5."""
    network = build_small_network(database)
    with database.transaction() as session:
        session.delete(session.scalar(select(UserAccount).where(UserAccount.person_id == 5)))
        session.flush()
        create_account(session, network.actor(1), 5, "ayse", "motdepasse-solide")
    return network


def test_sign_in(network: SmallNetwork) -> None:
    """The right password gives the person's actor; the hash is Argon2id."""
    with network.database.reading() as session:
        actor = authenticate(session, "ayse", "motdepasse-solide")
        stored = session.scalar(
            select(UserAccount.password_hash).where(UserAccount.username == "ayse")
        )
    assert actor.person_id == 5 and actor.roles == {Role.COUNSELLOR}
    assert stored.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("username", "password"), [("ayse", "wrong-password"), ("nobody", "motdepasse-solide")]
)
def test_failed_sign_in_does_not_say_who_exists(
    network: SmallNetwork, username: str, password: str
) -> None:
    """Wrong password and unknown user give the same message."""
    with network.database.reading() as session, pytest.raises(AuthenticationFailed) as error:
        authenticate(session, username, password)
    assert str(error.value) == "unknown user or wrong password"


def test_password_rules(network: SmallNetwork) -> None:
    """Too short is refused; people change their own; only admins change others'."""
    with network.database.transaction() as session, pytest.raises(CertifyError, match="short"):
        change_password(session, network.actor(5), "ayse", "court")
    with network.database.transaction() as session:
        change_password(session, network.actor(5), "ayse", "nouveau-mot-de-passe")
    with network.database.transaction() as session, pytest.raises(PermissionDenied):
        change_password(session, network.actor(5), "user7", "nouveau-mot-de-passe")
    with network.database.reading() as session:
        authenticate(session, "ayse", "nouveau-mot-de-passe")


def test_roles_and_scope_are_audited(network: SmallNetwork) -> None:
    """Making someone a region coordinator changes their scope and leaves a trace."""
    with network.database.transaction() as session:
        set_roles(
            session, network.actor(1), 5, {Role.COUNSELLOR, Role.COORDINATOR}, scope=[(None, 2)]
        )
    assert network.actor(5).coordinator_scope == Scope.regions(2)
    with network.database.reading() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.action == "person.roles_changed"
    assert event.details["before"] == {"roles": ["counsellor"]}
    with network.database.transaction() as session, pytest.raises(PermissionDenied):
        set_roles(session, network.actor(3), 5, {Role.ADMIN})


def test_account_list_is_for_admins(network: SmallNetwork) -> None:
    """Admins list accounts with names and roles; others are refused."""
    with network.database.reading() as session:
        rows = list_accounts(session, network.actor(1))
        assert ("ayse", "Ayşe Yılmaz") in {(r.username, r.name) for r in rows}
        with pytest.raises(PermissionDenied):
            list_accounts(session, network.actor(5))


def test_a_second_account_is_refused_naming_the_person(network: SmallNetwork) -> None:
    """A person with an account is told by name, not by a database number."""
    with network.database.transaction() as session, pytest.raises(CertifyError) as refused:
        create_account(session, network.actor(1), 5, "ayse2", "motdepasse-solide")
    assert refused.value.in_("fr") == "Ayşe Yılmaz a déjà un compte"
