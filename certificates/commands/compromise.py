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
from certify.cli.language import Say
from certify.errors import CertifyError
from certify.rules.wording import Wording, count
from certify.services.documents import standing_signed_by
from certify.services.issuance import reissue_certificate

#: The reason recorded on each certificate reissued.
REASON = "clé de signature compromise / signing key compromised"


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``keys revoke``."""
    keys = subcommand(commands, "keys")
    [actions] = [a for a in keys._actions if isinstance(a, argparse._SubParsersAction)]
    revoke = actions.add_parser(
        "revoke",
        help=say(
            "déclarer une clé compromise\u00a0: plus rien de ce qu'elle a signé n'est fiable, et "
            "chaque certificat en vigueur qu'elle a signé est réédité, signé par la clé active",
            "declare a key compromised: nothing it signed is trusted, and every standing "
            "certificate it signed is reissued, signed by the active key",
        ),
    )
    revoke.add_argument(
        "key",
        metavar=say("CLÉ", "KEY"),
        help=say(
            "l'identifiant de la clé, tel que «\u00a0keys export\u00a0» le donne",
            "the key's id, as 'keys export' lists it",
        ),
    )
    revoke.add_argument(
        "--compromised",
        action="store_true",
        required=True,
        help=say("la clé a été volée ou a fuité", "the key was stolen or leaked"),
    )
    add_date_option(revoke, say, say("jour des rééditions", "day of the reissues"))
    add_keys_option(revoke, say)
    add_actor_option(revoke, say)
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
    secret = passphrase(args.lang)
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
    say = Say(args.lang)
    print(
        say(f"Clé déclarée compromise\u00a0: {args.key}", f"Key declared compromised: {args.key}")
    )
    print(say(f"Clé active\u00a0: {active.key_id}", f"Active key: {active.key_id}"))
    done = len(replacements)
    reissued = Wording(
        f"{count(done).fr} certificat(s) réédité(s)", f"{count(done).en} certificate(s) reissued"
    ).agreed(done)
    print(reissued.in_(args.lang))
    for old, new in zip(affected, replacements, strict=True):
        print(f"  {old.serial} → {new.serial}")
    return 0
