"""``certify user add|passwd|unlock|list``: local accounts and their roles."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from certify.cli.common import acting, add_actor_option, open_database
from certify.cli.language import Say
from certify.errors import CertifyError
from certify.model import Role
from certify.services.account_admin import NewAccount, add_account, confirmed_password
from certify.services.accounts import change_password, list_accounts
from certify.services.sign_in import unlock

#: Environment variable read for a password instead of prompting.
PASSWORD_ENV = "CERTIFY_PASSWORD"


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``certify user``."""
    user = commands.add_parser(
        "user", help=say("comptes de connexion et rôles", "sign-in accounts and roles")
    )
    actions = user.add_subparsers(
        title=say("commandes de user", "user commands"),
        metavar=say("ACTION", "ACTION"),
        required=True,
    )

    add = actions.add_parser(
        "add",
        help=say(
            "créer un compte pour un membre du personnel", "create an account for a staff member"
        ),
    )
    add.add_argument(
        "username",
        metavar=say("identifiant", "username"),
        help=say("l'identifiant du compte", "the account's user name"),
    )
    add.add_argument(
        "--person",
        required=True,
        metavar=say("PERSONNE", "PERSON"),
        help=say(
            "le membre du personnel\u00a0: e-mail, n° ou nom",
            "the staff member: e-mail, id or name",
        ),
    )
    add.add_argument(
        "--role",
        action="append",
        choices=[r.value for r in Role],
        help=say(
            "les rôles de la personne (répéter pour en donner plusieurs)",
            "set the person's roles (repeat for several)",
        ),
    )
    add.add_argument(
        "--scope",
        action="append",
        metavar=say("site:CODE|region:NOM|network", "site:CODE|region:NAME|network"),
        help=say(
            "ce que couvre un·e coordinateur·rice (répéter pour plusieurs\u00a0; "
            "par défaut\u00a0: network, tout le réseau)",
            "what a coordinator covers (repeat for several; default: network)",
        ),
    )
    add_actor_option(add, say)
    add.set_defaults(func=add_command)

    passwd = actions.add_parser(
        "passwd", help=say("changer le mot de passe d'un compte", "set an account's password")
    )
    passwd.add_argument(
        "username",
        metavar=say("identifiant", "username"),
        help=say("l'identifiant du compte", "the account's user name"),
    )
    add_actor_option(passwd, say)
    passwd.set_defaults(func=passwd_command)

    unlocking = actions.add_parser(
        "unlock",
        help=say(
            "laisser un identifiant se connecter de nouveau après des échecs (administrateurs)",
            "let a user name sign in again after failed attempts (admins)",
        ),
    )
    unlocking.add_argument(
        "username",
        metavar=say("identifiant", "username"),
        help=say("l'identifiant du compte", "the account's user name"),
    )
    add_actor_option(unlocking, say)
    unlocking.set_defaults(func=unlock_command)

    listing = actions.add_parser(
        "list", help=say("lister les comptes et leurs rôles", "list accounts with their roles")
    )
    add_actor_option(listing, say)
    listing.set_defaults(func=list_command)


def read_password(say: Say) -> str:
    """The new password: from $CERTIFY_PASSWORD, else typed twice in a terminal."""
    if password := os.environ.get(PASSWORD_ENV):
        return password
    if not sys.stdin.isatty():
        raise CertifyError(
            f"aucun terminal où taper un mot de passe\u00a0: définissez {PASSWORD_ENV}",
            f"no terminal to type a password in: set {PASSWORD_ENV}",
        )
    first = getpass.getpass(say("Mot de passe\u00a0: ", "Password: "))
    return confirmed_password(first, getpass.getpass(say("Encore une fois\u00a0: ", "Again: ")))


def add_command(args: argparse.Namespace) -> int:
    """Create the account (and set roles when given)."""
    database, say = open_database(args), Say(args.lang)
    password = read_password(say)
    new = NewAccount(
        args.username,
        args.person,
        password,
        frozenset(Role(r) for r in args.role or ()),
        tuple(args.scope or ()),
    )
    with database.transaction() as session:
        person = add_account(session, acting(session, args), new)
    print(
        say(
            f"compte {args.username} créé pour {person.full_name} <{person.email}>",
            f"account {args.username} created for {person.full_name} <{person.email}>",
        )
    )
    return 0


def passwd_command(args: argparse.Namespace) -> int:
    """Change a password."""
    database, say = open_database(args), Say(args.lang)
    password = read_password(say)
    with database.transaction() as session:
        change_password(session, acting(session, args), args.username, password)
    print(say(f"mot de passe de {args.username} changé", f"password of {args.username} changed"))
    return 0


def unlock_command(args: argparse.Namespace) -> int:
    """Forget a user name's failed sign-ins and lock."""
    database, say = open_database(args), Say(args.lang)
    with database.transaction() as session:
        unlocked = unlock(session, acting(session, args), args.username)
    if unlocked:
        print(say(f"{args.username} débloqué", f"{args.username} unlocked"))
    else:
        print(say(f"{args.username} n'était pas bloqué", f"{args.username} was not throttled"))
    return 0


def list_command(args: argparse.Namespace) -> int:
    """Print the accounts, under a line of headings."""
    database, say = open_database(args), Say(args.lang)
    with database.reading() as session:
        rows = list_accounts(session, acting(session, args))
    name, roles = say("nom", "name"), say("rôles", "roles")
    print(f"{say('identifiant', 'username'):<20} {name:<32} {'e-mail':<40} {roles}")
    for row in rows:
        state = say(" (désactivé)", " (disabled)") if not row.active else ""
        listed = ", ".join(row.roles) or "-"
        print(f"{row.username:<20} {row.name:<32} {row.email:<40} {listed}{state}")
    return 0
