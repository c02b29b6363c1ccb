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
from certificates.timestamps import parse_instant
from certify.access.permissions import Actor
from certify.cli.language import Say
from certify.rules.wording import Wording, count
from certify.rules.written_dates import written_date


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``keys`` and ``status-list``."""
    keys = commands.add_parser(
        "keys",
        help=say(
            "les clés de signature de l'émetteur (Ed25519)", "the issuer's signing keys (Ed25519)"
        ),
    )
    actions = keys.add_subparsers(
        title=say("commandes de keys", "keys commands"),
        metavar=say("ACTION", "ACTION"),
        required=True,
    )
    init = actions.add_parser(
        "init",
        help=say(
            "créer le trousseau de clés et le profil de l'émetteur",
            "create the key ring and the issuer's profile",
        ),
    )
    init.add_argument(
        "--issuer-url",
        required=True,
        help=say(
            "la page d'accueil de l'émetteur (https://…)", "the issuer's home page (https://…)"
        ),
    )
    init.add_argument(
        "--issuer-name",
        default=DEFAULT_ISSUER_NAME,
        help=say("le nom de l'émetteur", "the issuer's name"),
    )
    init.add_argument(
        "--issuer-id",
        help=say(
            "l'URL qui identifie l'émetteur (par défaut\u00a0: --issuer-url)",
            "URL identifying the issuer (default: --issuer-url)",
        ),
    )
    init.add_argument(
        "--status-list-url",
        help=say(
            "où la liste de révocation est publiée (par défaut\u00a0: "
            "<issuer-url>/certify/status-list.json)",
            "where the status list is published (default: <issuer-url>/certify/status-list.json)",
        ),
    )
    init.add_argument(
        "--site-url",
        help=say(
            "où le site de certify publish est servi (par défaut\u00a0: le dossier de --issuer-id)",
            "where certify publish's site is served (default: the folder of --issuer-id)",
        ),
    )
    add_keys_option(init, say)
    init.set_defaults(func=keys_init_command)
    rotate = actions.add_parser(
        "rotate",
        help=say(
            "créer une nouvelle clé de signature\u00a0; l'ancienne est gardée",
            "make a new signing key; the old one is kept",
        ),
    )
    add_keys_option(rotate, say)
    rotate.set_defaults(func=keys_rotate_command)
    export = actions.add_parser(
        "export",
        help=say(
            "les clés publiques qu'un vérificateur épingle, en JSON",
            "the public keys a verifier pins, as JSON",
        ),
    )
    export.add_argument(
        "--out",
        type=Path,
        metavar=say("FICHIER", "FILE"),
        help=say(
            "l'écrire là (par défaut\u00a0: la sortie standard)", "write there (default: stdout)"
        ),
    )
    add_keys_option(export, say)
    export.set_defaults(func=keys_export_command)

    status = commands.add_parser(
        "status-list", help=say("la liste de révocation signée", "the signed revocation list")
    )
    status_actions = status.add_subparsers(
        title=say("commandes de status-list", "status-list commands"),
        metavar=say("ACTION", "ACTION"),
        required=True,
    )
    publish = status_actions.add_parser(
        "export",
        help=say(
            "signer pour les vérificateurs la liste des certificats révoqués, et un point de "
            f"contrôle de la piste d'audit ({CHECKPOINT_FILE} à côté, une copie gardée dans le "
            "dossier des clés)",
            "sign the list of revoked certificates for verifiers, and a checkpoint of the "
            f"audit trail ({CHECKPOINT_FILE} beside it, a copy kept in the keys folder)",
        ),
    )
    publish.add_argument(
        "--out",
        type=Path,
        metavar=say("FICHIER", "FILE"),
        help=say(
            f"par défaut\u00a0: {STATUS_LIST_FILE} dans le dossier des clés",
            f"default: {STATUS_LIST_FILE} in the keys folder",
        ),
    )
    publish.add_argument(
        "--days",
        type=int,
        default=DEFAULT_VALID_DAYS,
        metavar=say("JOURS", "DAYS"),
        help=say("jours de validité de la liste", "days the list stays valid"),
    )
    add_keys_option(publish, say)
    publish.set_defaults(func=status_list_export_command)


def keys_init_command(args: argparse.Namespace) -> int:
    """Create the ring with its first key, and save the issuer's profile beside it."""
    new = NewIssuer(
        args.issuer_url, args.issuer_name, args.issuer_id, args.status_list_url, args.site_url
    )
    new.settings()  # a wrong address is refused before the passphrase is asked
    folder = keys_folder(args)
    settings, key = start_issuer(Actor.system(), new, passphrase(args.lang, confirm=True), folder)
    issuer, listed = f"{settings.profile.name} <{settings.profile.id}>", settings.status_list_url
    say = Say(args.lang)
    print(say(f"Trousseau de clés créé\u00a0: {folder}", f"Key ring created: {folder}"))
    print(say(f"  clé\u00a0: {key.key_id}", f"  key: {key.key_id}"))
    print(say(f"  émetteur\u00a0: {issuer}", f"  issuer: {issuer}"))
    print(say(f"  liste de révocation\u00a0: {listed}", f"  status list: {listed}"))
    return 0


def keys_rotate_command(args: argparse.Namespace) -> int:
    """Make a new active key (the demo's ring keeps its published passphrase)."""
    from certificates.demo_issuer import is_demo_ring  # the demo is loaded for this only

    folder = keys_folder(args)
    secret = passphrase(args.lang)
    key = rotate_key(directory=folder, passphrase=secret, demo=is_demo_ring(folder))
    print(
        Say(args.lang)(f"Nouvelle clé active\u00a0: {key.key_id}", f"New active key: {key.key_id}")
    )
    return 0


def keys_export_command(args: argparse.Namespace) -> int:
    """Print or write the pinned keys."""
    write_json(export_public_keys(keys_folder(args)).to_json(), args.out)
    return 0


def status_list_export_command(args: argparse.Namespace) -> int:
    """Sign the current revocation list and write it."""
    signing = status_list_signing(args)
    folder, issuer, key, now = signing.folder, signing.issuer, signing.key, signing.now
    say = Say(args.lang)
    with signing.database.reading() as session:
        listed = export_status_list(
            session, folder, issuer, key, now, timedelta(days=args.days), args.out
        )
        print(listed_line(listed.path, listed.document["validUntil"], issuer.status_list_url, say))
        checkpoint = export_checkpoint(session, folder, issuer, key, now, listed.path)
    events = checkpoint.document["eventCount"]
    counted = Wording(f"{count(events).fr} événement(s)", f"{count(events).en} event(s)").agreed(
        events
    )
    print(
        say(
            f"Point de contrôle de la piste d'audit\u00a0: {checkpoint.path} ({counted.fr}\u00a0; "
            f"copie gardée\u00a0: {checkpoint.kept})",
            f"Audit trail checkpoint: {checkpoint.path} ({counted.en}; copy kept: "
            f"{checkpoint.kept})",
        )
    )
    return 0


def listed_line(path: Path, valid_until: str, url: str, say: Say) -> str:
    """Where the signed status list was written, until when it is valid, where to publish it."""
    until = parse_instant(valid_until)
    return say(
        f"Liste de révocation signée\u00a0: {path} (valable jusqu'au "
        f"{written_date(until.date(), 'fr')} à {until:%H:%M} UTC\u00a0; à publier sur {url})",
        f"Signed status list: {path} (valid until {valid_until}; to publish at {url})",
    )


def write_json(document: Any, target: Path | None) -> None:
    """``document`` as indented UTF-8 JSON, to ``target`` or standard output."""
    if target is None:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        write_json_file(document, target)
