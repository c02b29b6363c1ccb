"""``certify user add|passwd|unlock|list``: local accounts and their roles."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from certify.cli.common import acting, add_actor_option, open_database
from certify.errors import CertifyError
from certify.model import Role
from certify.services.account_admin import NewAccount, add_account, confirmed_password
from certify.services.accounts import change_password, list_accounts
from certify.services.sign_in import unlock

#: Environment variable read for a password instead of prompting.
PASSWORD_ENV = "CERTIFY_PASSWORD"


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``certify user``."""
    user = commands.add_parser("user", help="sign-in accounts and roles")
    actions = user.add_subparsers(title="user commands", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="create an account for a staff member")
    add.add_argument("username")
    add.add_argument("--person", required=True, help="the staff member: e-mail, id or name")
    add.add_argument(
        "--role",
        action="append",
        choices=[r.value for r in Role],
        help="set the person's roles (repeat for several)",
    )
    add.add_argument(
        "--scope",
        action="append",
        metavar="site:CODE|region:NAME|network",
        help="what a coordinator covers (repeat for several; default: network)",
    )
    add_actor_option(add)
    add.set_defaults(func=add_command)

    passwd = actions.add_parser("passwd", help="set an account's password")
    passwd.add_argument("username")
    add_actor_option(passwd)
    passwd.set_defaults(func=passwd_command)

    unlocking = actions.add_parser(
        "unlock", help="let a user name sign in again after failed attempts (admins)"
    )
    unlocking.add_argument("username")
    add_actor_option(unlocking)
    unlocking.set_defaults(func=unlock_command)

    listing = actions.add_parser("list", help="list accounts with their roles")
    add_actor_option(listing)
    listing.set_defaults(func=list_command)


def read_password() -> str:
    """The new password: from $CERTIFY_PASSWORD, else typed twice in a terminal."""
    if password := os.environ.get(PASSWORD_ENV):
        return password
    if not sys.stdin.isatty():
        raise CertifyError(
            f"aucun terminal où taper un mot de passe\u00a0: définissez {PASSWORD_ENV}",
            f"no terminal to type a password in: set {PASSWORD_ENV}",
        )
    first = getpass.getpass("Mot de passe / password: ")
    return confirmed_password(first, getpass.getpass("Encore / again: "))


def add_command(args: argparse.Namespace) -> int:
    """Create the account (and set roles when given)."""
    database = open_database(args)
    password = read_password()
    new = NewAccount(
        args.username,
        args.person,
        password,
        frozenset(Role(r) for r in args.role or ()),
        tuple(args.scope or ()),
    )
    with database.transaction() as session:
        person = add_account(session, acting(session, args), new)
    print(f"account {args.username} created for {person.full_name} <{person.email}>")
    return 0


def passwd_command(args: argparse.Namespace) -> int:
    """Change a password."""
    database = open_database(args)
    password = read_password()
    with database.transaction() as session:
        change_password(session, acting(session, args), args.username, password)
    print(f"password of {args.username} changed")
    return 0


def unlock_command(args: argparse.Namespace) -> int:
    """Forget a user name's failed sign-ins and lock."""
    database = open_database(args)
    with database.transaction() as session:
        unlocked = unlock(session, acting(session, args), args.username)
    print(f"{args.username} unlocked" if unlocked else f"{args.username} was not throttled")
    return 0


def list_command(args: argparse.Namespace) -> int:
    """Print the accounts."""
    database = open_database(args)
    with database.reading() as session:
        rows = list_accounts(session, acting(session, args))
    for row in rows:
        state = "" if row.active else " (disabled)"
        roles = ", ".join(row.roles) or "-"
        print(f"{row.username:<20} {row.name:<32} {row.email:<40} {roles}{state}")
    return 0
