"""Administering accounts as ``certify user add`` and the app's accounts screen both do:
a new account with its roles and scope, new roles for an account, the scope's notation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from certify.access.permissions import Actor
from certify.errors import CertifyError
from certify.model import Person, Role
from certify.parsing import find_person, find_region, find_site
from certify.services.accounts import create_account, find_account, set_roles

#: A coordinator's scope rows: (site id, region id), both ``None`` for the whole network.
ScopeRows = list[tuple[int | None, int | None]]


@dataclass(frozen=True)
class NewAccount:
    """What an administrator types to open an account."""

    #: Sign-in name.
    username: str
    #: The staff member: e-mail, id or name.
    person: str
    #: The password (at least :data:`~certify.services.accounts.MIN_PASSWORD_LENGTH`).
    password: str
    #: Roles to give (none: the person keeps theirs).
    roles: frozenset[Role] = frozenset()
    #: What a coordinator covers: ``site:CODE``, ``region:NAME``, ``network`` (default).
    scope: tuple[str, ...] = ()


def confirmed_password(first: str, again: str) -> str:
    """The password typed twice, refused when the two differ."""
    if first != again:
        raise CertifyError("les deux mots de passe diffèrent", "the two passwords differ")
    return first


def parse_scope(session: Session, items: Sequence[str] | None) -> ScopeRows:
    """Turn ``site:CODE``, ``region:NAME`` and ``network`` into (site id, region id) rows."""
    rows: ScopeRows = []
    for item in items or ["network"]:
        kind, _, value = item.strip().partition(":")
        if kind in ("network", "réseau"):
            rows.append((None, None))
        elif kind == "site":
            rows.append((find_site(session, value.strip()).id, None))
        elif kind in ("region", "région"):
            rows.append((None, find_region(session, value.strip()).id))
        else:
            raise CertifyError(
                f"périmètre invalide {item!r}\u00a0: utilisez site:CODE, region:NOM ou network",
                f"invalid scope {item!r}: use site:CODE, region:NAME or network",
            )
    return rows


def add_account(session: Session, actor: Actor, new: NewAccount) -> Person:
    """Open the account for its staff member and, when roles are given, set them; the person."""
    person = find_person(session, new.person)
    create_account(session, actor, person.id, new.username, new.password)
    if new.roles:
        change_roles(session, actor, new.username, new.roles, new.scope)
    return person


def change_roles(
    session: Session, actor: Actor, username: str, roles: frozenset[Role], scope: Sequence[str]
) -> None:
    """Replace the roles of an account's person (and a coordinator's scope)."""
    person_id = find_account(session, username).person_id
    rows = parse_scope(session, scope) if Role.COORDINATOR in roles else None
    set_roles(session, actor, person_id, set(roles), rows)
