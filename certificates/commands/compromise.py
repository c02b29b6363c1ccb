"""``certify keys revoke KEY --compromised``: a stolen key trusted no more, its work redone.

The key is marked compromised in the ring (and so in every export verifiers pin): nothing
it signed verifies any more. Every standing certificate it signed is reissued, in one
transaction, signed by the ring's active key (a new one, if the compromised key was it).
"""

from __future__ import annotations

import argparse

from certificates.commands.common import add_keys_option, keys_folder, passphrase
from certificates.keys import declare_compromised, export_public_keys
from certificates.signing import Signer, sign_certificates, signing_now
from certify.cli.common import (
    acting,
    add_actor_option,
    add_date_option,
    chosen_date,
    open_database,
    subcommand,
)
from certify.errors import CertifyError
from certify.services.documents import standing_signed_by
from certify.services.issuance import reissue_certificate

#: The reason recorded on each certificate reissued.
REASON = "clé de signature compromise / signing key compromised"


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``keys revoke``."""
    keys = subcommand(commands, "keys")
    [actions] = [a for a in keys._actions if isinstance(a, argparse._SubParsersAction)]
    revoke = actions.add_parser(
        "revoke",
        help="declare a key compromised: nothing it signed is trusted, and every standing "
        "certificate it signed is reissued, signed by the active key",
    )
    revoke.add_argument("key", help="the key's id, as 'keys export' lists it")
    revoke.add_argument(
        "--compromised", action="store_true", required=True, help="the key was stolen or leaked"
    )
    add_date_option(revoke, "day of the reissues")
    add_keys_option(revoke)
    add_actor_option(revoke)
    revoke.set_defaults(func=keys_revoke_command)


def keys_revoke_command(args: argparse.Namespace) -> int:
    """Mark the key compromised, then reissue what it signed, in one batch.

    Run again after a failure: the key stays compromised and the rest is reissued.
    """
    from certificates.demo_issuer import is_demo_ring  # the demo is loaded for this only

    folder = keys_folder(args)
    ring = export_public_keys(folder)
    if args.key not in {key.key_id for key in ring.keys}:
        raise CertifyError(
            f"clé inconnue dans ce trousseau\u00a0: {args.key}",
            f"no such key in this ring: {args.key}",
        )
    secret = passphrase()
    demo = is_demo_ring(folder)
    database = open_database(args)
    with database.transaction() as session:
        actor = acting(session, args)
        affected = standing_signed_by(session, args.key)
        active = declare_compromised(args.key, directory=folder, passphrase=secret, demo=demo)
        signer = Signer.load(folder, secret)
        replacements = [
            reissue_certificate(session, actor, certificate.serial, REASON, chosen_date(args))
            for certificate in affected
        ]
        sign_certificates(session, replacements, signer, signing_now())
    print(f"Clé déclarée compromise / key declared compromised: {args.key}")
    print(f"Clé active / active key: {active.key_id}")
    pairs = zip(affected, replacements, strict=True)
    print(f"{len(replacements)} certificat(s) réédité(s) / certificate(s) reissued")
    for old, new in pairs:
        print(f"  {old.serial} → {new.serial}")
    return 0
