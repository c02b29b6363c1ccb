"""Accounts: Argon2id password hashes, sign-in, roles and coordinator scopes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, PermissionDenied, authorize_admin, load_actor
from certify.errors import CertifyError
from certify.model import CoordinatorScope, Person, PersonRole, Region, Role, Site, UserAccount
from certify.rules.wording import Wording
from certify.store.audit import Change, record

#: Argon2id with the library's recommended memory-hard parameters.
HASHER = PasswordHasher()
#: Shortest password accepted.
MIN_PASSWORD_LENGTH = 8


@cache
def dummy_hash() -> str:
    """The hash verified when the user does not exist, so that timing does not tell.

    Made once per process; the app makes it as its sign-in screen opens, before an attempt
    can be typed, so that the first unknown user costs one verification, like a known one.
    """
    return HASHER.hash("certify: no such user")


class AuthenticationFailed(CertifyError):
    """Wrong user name or password (deliberately not saying which)."""

    def __init__(self) -> None:
        """One message for every failure."""
        super().__init__(
            "utilisateur inconnu ou mot de passe erroné", "unknown user or wrong password"
        )


class SelfLockout(CertifyError):
    """A change that would leave an administrator, or the network, without administrators."""


def _check_password(password: str) -> str:
    """Refuse passwords too short to be safe; return the Argon2id hash of the others."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CertifyError(
            f"mot de passe trop court\u00a0: au moins {MIN_PASSWORD_LENGTH} caractères",
            f"password too short: at least {MIN_PASSWORD_LENGTH} characters",
        )
    return HASHER.hash(password)


def authenticate(session: Session, username: str, password: str) -> Actor:
    """The actor for a correct user name and password; the same error otherwise."""
    account = session.scalar(select(UserAccount).where(UserAccount.username == username))
    try:
        HASHER.verify(account.password_hash if account else dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        raise AuthenticationFailed() from None
    if account is None or not account.is_active:
        raise AuthenticationFailed()
    return load_actor(session, account.person_id, account.username)


def accounts_opened_by(session: Session, password: str) -> list[str]:
    """The active accounts ``password`` signs in to (``serve`` refuses the demo's password)."""
    accounts = session.scalars(
        select(UserAccount).where(UserAccount.is_active).order_by(UserAccount.username)
    )
    return [account.username for account in accounts if _verifies(account.password_hash, password)]


def _verifies(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (a malformed hash matches nothing)."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_for(session: Session, username: str) -> Actor:
    """The actor of an existing account, without a password (command line ``--as``)."""
    account = session.scalar(select(UserAccount).where(UserAccount.username == username))
    if account is None or not account.is_active:
        raise CertifyError(
            f"aucun compte actif nommé {username!r}", f"no active account named {username!r}"
        )
    return load_actor(session, account.person_id, account.username)


def create_account(
    session: Session, actor: Actor, person_id: int, username: str, password: str
) -> UserAccount:
    """Create an account for a staff member (admins only)."""
    authorize_admin(actor, Action.MANAGE_ACCOUNTS)
    if session.scalar(select(UserAccount.id).where(UserAccount.username == username)):
        raise CertifyError(
            f"un compte nommé {username!r} existe déjà",
            f"an account named {username!r} already exists",
        )
    if session.scalar(select(UserAccount.id).where(UserAccount.person_id == person_id)):
        name = session.get_one(Person, person_id).full_name
        raise CertifyError(f"{name} a déjà un compte", f"{name} already has an account")
    account = UserAccount(
        username=username, person_id=person_id, password_hash=_check_password(password)
    )
    session.add(account)
    session.flush()
    record(
        session,
        actor.person_id,
        Change(
            "account.created",
            "user_account",
            account.id,
            after={"person_id": person_id, "username": username},
        ),
    )
    return account


def change_password(session: Session, actor: Actor, username: str, password: str) -> None:
    """Set a new password: one's own, or anyone's for an admin."""
    account = find_account(session, username)
    if account.person_id != actor.person_id and not actor.is_admin:
        raise PermissionDenied(
            actor, Action.MANAGE_ACCOUNTS, Wording(f"compte {username}", f"account {username}")
        )
    account.password_hash = _check_password(password)
    record(session, actor.person_id, account_change("account.password_changed", account))


def set_roles(
    session: Session,
    actor: Actor,
    person_id: int,
    roles: set[Role],
    scope: list[tuple[int | None, int | None]] | None = None,
) -> None:
    """Replace a person's roles and, for coordinators, their scope rows (site, region).

    Admins cannot take their own administrator role away, nor leave no active administrator.
    """
    authorize_admin(actor, Action.MANAGE_ACCOUNTS)
    if Role.ADMIN not in roles and _is_admin(session, person_id):
        if person_id == actor.person_id:
            raise SelfLockout(
                "vous ne pouvez pas retirer votre propre rôle d'administrateur",
                "you cannot remove your own administrator role",
            )
        _keep_an_admin(session, person_id)
    before = sorted(
        session.scalars(select(PersonRole.role).where(PersonRole.person_id == person_id))
    )
    session.execute(delete(PersonRole).where(PersonRole.person_id == person_id))
    session.add_all(PersonRole(person_id=person_id, role=role) for role in roles)
    session.execute(delete(CoordinatorScope).where(CoordinatorScope.person_id == person_id))
    if Role.COORDINATOR in roles:
        session.add_all(
            CoordinatorScope(person_id=person_id, site_id=site, region_id=region)
            for site, region in (scope or [(None, None)])
        )
    session.flush()
    record(
        session,
        actor.person_id,
        Change(
            "person.roles_changed",
            "person",
            person_id,
            before={"roles": before},
            after={"roles": sorted(roles), "scope": scope},
        ),
    )


def set_active(session: Session, actor: Actor, username: str, active: bool) -> None:
    """Let an account sign in again, or no longer (admins; never their own, nor the last
    active administrator's)."""
    authorize_admin(actor, Action.MANAGE_ACCOUNTS)
    account = find_account(session, username)
    if account.is_active == active:
        return
    if not active:
        if account.person_id == actor.person_id:
            raise SelfLockout(
                "vous ne pouvez pas désactiver votre propre compte",
                "you cannot disable your own account",
            )
        if _is_admin(session, account.person_id):
            _keep_an_admin(session, account.person_id)
    account.is_active = active
    action = "account.enabled" if active else "account.disabled"
    record(session, actor.person_id, account_change(action, account))


def account_change(action: str, account: UserAccount) -> Change:
    """The audit event of a change to an account: by its id, about its person."""
    return Change(action, "user_account", account.id, subject_id=account.person_id)


def find_account(session: Session, username: str) -> UserAccount:
    """The account named ``username``; a plain error when there is none."""
    account = session.scalar(select(UserAccount).where(UserAccount.username == username))
    if account is None:
        raise CertifyError(f"aucun compte nommé {username!r}", f"no account named {username!r}")
    return account


def _is_admin(session: Session, person_id: int) -> bool:
    """Whether the person holds the administrator role."""
    return (
        session.scalar(
            select(PersonRole.person_id).where(
                PersonRole.person_id == person_id, PersonRole.role == Role.ADMIN
            )
        )
        is not None
    )


def _keep_an_admin(session: Session, person_id: int) -> None:
    """Refuse a change that leaves no other active administrator account than ``person_id``'s."""
    others = session.scalar(
        select(UserAccount.id)
        .join(PersonRole, PersonRole.person_id == UserAccount.person_id)
        .where(
            PersonRole.role == Role.ADMIN,
            UserAccount.is_active,
            UserAccount.person_id != person_id,
        )
        .limit(1)
    )
    if others is None:
        raise SelfLockout(
            "le réseau n'aurait plus aucun administrateur actif",
            "the network would have no active administrator left",
        )


@dataclass(frozen=True)
class AccountRow:
    """One line of the account list."""

    #: Sign-in name.
    username: str
    #: The staff member's name.
    name: str
    #: Their e-mail.
    email: str
    #: Their roles.
    roles: tuple[Role, ...]
    #: Whether the account may sign in.
    active: bool
    #: What a coordinator covers: ``network``, ``site:CODE`` or ``region:NAME`` (else empty).
    scope: tuple[str, ...] = ()


def list_accounts(session: Session, actor: Actor) -> list[AccountRow]:
    """Every account with its person and roles (admins only)."""
    authorize_admin(actor, Action.MANAGE_ACCOUNTS)
    rows = session.execute(
        select(UserAccount, Person).join(Person).order_by(UserAccount.username)
    ).all()
    roles: dict[int, list[Role]] = {}
    for person_id, role in session.execute(select(PersonRole.person_id, PersonRole.role)):
        roles.setdefault(person_id, []).append(role)
    scopes = coordinator_scopes(session)
    return [
        AccountRow(
            account.username,
            person.full_name,
            person.email,
            tuple(sorted(roles.get(person.id, []))),
            account.is_active,
            scopes.get(person.id, ()) if Role.COORDINATOR in roles.get(person.id, []) else (),
        )
        for account, person in rows
    ]


def coordinator_scopes(session: Session) -> dict[int, tuple[str, ...]]:
    """Each coordinator's scope rows as ``certify user add --scope`` writes them, by person."""
    rows = session.execute(
        select(CoordinatorScope.person_id, Site.code, Region.name)
        .outerjoin(Site, Site.id == CoordinatorScope.site_id)
        .outerjoin(Region, Region.id == CoordinatorScope.region_id)
        .order_by(CoordinatorScope.id)
    )
    scopes: dict[int, list[str]] = {}
    for person_id, site, region in rows:
        item = f"site:{site}" if site else f"region:{region}" if region else "network"
        scopes.setdefault(person_id, []).append(item)
    return {person_id: tuple(items) for person_id, items in scopes.items()}
