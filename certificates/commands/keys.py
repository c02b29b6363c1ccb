"""``certify keys init|rotate|export`` and ``certify status-list export`` (with the audit
checkpoint)."""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from certificates.checkpoints import CHECKPOINT_FILE
from certificates.commands.common import (
    add_keys_option,
    keys_folder,
    passphrase,
    status_list_signing,
)
from certificates.issuer_setup import DEFAULT_ISSUER_NAME, NewIssuer, start_issuer
from certificates.keys import export_public_keys, rotate_key
from certificates.status_publication import (
    DEFAULT_VALID_DAYS,
    STATUS_LIST_FILE,
    export_checkpoint,
    export_status_list,
    write_json_file,
)
from certify.access.permissions import Actor


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``keys`` and ``status-list``."""
    keys = commands.add_parser("keys", help="the issuer's signing keys (Ed25519)")
    actions = keys.add_subparsers(title="keys commands", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="create the key ring and the issuer's profile")
    init.add_argument("--issuer-url", required=True, help="the issuer's home page (https://…)")
    init.add_argument("--issuer-name", default=DEFAULT_ISSUER_NAME, help="the issuer's name")
    init.add_argument("--issuer-id", help="URL identifying the issuer (default: --issuer-url)")
    init.add_argument(
        "--status-list-url",
        help="where the status list is published (default: <issuer-url>/certify/status-list.json)",
    )
    init.add_argument(
        "--site-url",
        help="where certify publish's site is served (default: the folder of --issuer-id)",
    )
    add_keys_option(init)
    init.set_defaults(func=keys_init_command)
    rotate = actions.add_parser("rotate", help="make a new signing key; the old one is kept")
    add_keys_option(rotate)
    rotate.set_defaults(func=keys_rotate_command)
    export = actions.add_parser("export", help="the public keys a verifier pins, as JSON")
    export.add_argument("--out", type=Path, metavar="FILE", help="write there (default: stdout)")
    add_keys_option(export)
    export.set_defaults(func=keys_export_command)

    status = commands.add_parser("status-list", help="the signed revocation list")
    status_actions = status.add_subparsers(
        title="status-list commands", metavar="ACTION", required=True
    )
    publish = status_actions.add_parser(
        "export",
        help="sign the list of revoked certificates for verifiers, and a checkpoint of the "
        f"audit trail ({CHECKPOINT_FILE} beside it, a copy kept in the keys folder)",
    )
    publish.add_argument(
        "--out", type=Path, metavar="FILE", help=f"default: {STATUS_LIST_FILE} in the keys folder"
    )
    publish.add_argument(
        "--days", type=int, default=DEFAULT_VALID_DAYS, help="days the list stays valid"
    )
    add_keys_option(publish)
    publish.set_defaults(func=status_list_export_command)


def keys_init_command(args: argparse.Namespace) -> int:
    """Create the ring with its first key, and save the issuer's profile beside it."""
    new = NewIssuer(
        args.issuer_url, args.issuer_name, args.issuer_id, args.status_list_url, args.site_url
    )
    new.settings()  # a wrong address is refused before the passphrase is asked
    folder = keys_folder(args)
    settings, key = start_issuer(Actor.system(), new, passphrase(confirm=True), folder)
    print(f"Trousseau créé / key ring created: {folder}")
    print(f"  clé / key: {key.key_id}")
    print(f"  émetteur / issuer: {settings.profile.name} <{settings.profile.id}>")
    print(f"  liste de révocation / status list: {settings.status_list_url}")
    return 0


def keys_rotate_command(args: argparse.Namespace) -> int:
    """Make a new active key (the demo's ring keeps its published passphrase)."""
    from certificates.demo_issuer import is_demo_ring  # the demo is loaded for this only

    folder = keys_folder(args)
    key = rotate_key(directory=folder, passphrase=passphrase(), demo=is_demo_ring(folder))
    print(f"Nouvelle clé active / new active key: {key.key_id}")
    return 0


def keys_export_command(args: argparse.Namespace) -> int:
    """Print or write the pinned keys."""
    write_json(export_public_keys(keys_folder(args)).to_json(), args.out)
    return 0


def status_list_export_command(args: argparse.Namespace) -> int:
    """Sign the current revocation list and write it."""
    signing = status_list_signing(args)
    folder, issuer, key, now = signing.folder, signing.issuer, signing.key, signing.now
    with signing.database.reading() as session:
        listed = export_status_list(
            session, folder, issuer, key, now, timedelta(days=args.days), args.out
        )
        print(
            f"Liste de révocation signée / signed status list: {listed.path} "
            f"(valide jusqu'au / valid until {listed.document['validUntil']}; "
            f"à publier sur / to publish at {issuer.status_list_url})"
        )
        checkpoint = export_checkpoint(session, folder, issuer, key, now, listed.path)
    print(
        f"Point de contrôle de la piste d'audit / audit trail checkpoint: "
        f"{checkpoint.path} ({checkpoint.document['eventCount']} événement(s) / "
        f"events; copie gardée / copy kept: {checkpoint.kept})"
    )
    return 0


def write_json(document: Any, target: Path | None) -> None:
    """``document`` as indented UTF-8 JSON, to ``target`` or standard output."""
    if target is None:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        write_json_file(document, target)
