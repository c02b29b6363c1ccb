"""What the certificate commands share: the keys folder, the passphrase, a progress bar."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from certificates.errors import PassphraseMissing
from certificates.issuer import IssuerSettings, load_issuer
from certificates.issuer_setup import confirmed_passphrase
from certificates.keys import (
    PASSPHRASE_ENV,
    SigningKey,
    export_public_keys,
    keys_directory,
    load_signing_key,
    signing_now,
)
from certificates.pinned import PinnedKeys
from certify.cli.common import open_database
from certify.cli.language import Say
from certify.rules.wording import Lang
from certify.store.db import Database


def add_keys_option(parser: argparse.ArgumentParser, say: Say) -> None:
    """``--keys-dir DIR``: the issuer's key ring (default: $CERTIFY_KEYS_DIR, else user data)."""
    parser.add_argument(
        "--keys-dir",
        type=Path,
        metavar=say("DOSSIER", "DIR"),
        help=say(
            "le trousseau de clés de l'émetteur (par défaut\u00a0: $CERTIFY_KEYS_DIR, sinon le "
            "dossier de données de l'utilisateur)",
            "the issuer's key ring (default: $CERTIFY_KEYS_DIR, else the user's data folder)",
        ),
    )


def add_pinned_keys_option(parser: argparse.ArgumentParser, say: Say) -> None:
    """``--keys FILE``: the public keys to verify with (default: the local key ring's)."""
    parser.add_argument(
        "--keys",
        type=Path,
        metavar=say("FICHIER", "FILE"),
        help=say(
            "les clés publiques épinglées (certify keys export\u00a0; par défaut\u00a0: celles "
            "du trousseau local)",
            "pinned public keys (certify keys export; default: the local key ring's)",
        ),
    )


def pinned_keys(args: argparse.Namespace) -> PinnedKeys:
    """The keys ``--keys`` names, else those of the local key ring."""
    return PinnedKeys.load(args.keys) if args.keys else export_public_keys(keys_folder(args))


def add_site_or_region(parser: argparse.ArgumentParser, say: Say) -> None:
    """``--site`` or ``--region``, one of them at most."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--site",
        metavar=say("SITE", "SITE"),
        help=say("un site (code) et ses centres", "a site (code) and its centres"),
    )
    where.add_argument(
        "--region",
        metavar=say("RÉGION", "REGION"),
        help=say("une région (nom)", "a region (name)"),
    )


def keys_folder(args: argparse.Namespace) -> Path:
    """The keys directory the command works on."""
    return keys_directory(args.keys_dir)


def passphrase(lang: Lang, confirm: bool = False) -> str | None:
    """``None`` when $CERTIFY_KEY_PASSPHRASE holds it, else asked on the terminal in ``lang``.

    Without the variable and without a terminal, ``PassphraseMissing``.
    """
    if os.environ.get(PASSPHRASE_ENV):
        return None
    if not sys.stdin.isatty():
        raise PassphraseMissing(
            f"Phrase de passe des clés manquante\u00a0: définissez {PASSPHRASE_ENV}.",
            f"Key passphrase missing: set {PASSPHRASE_ENV}.",
        )
    say = Say(lang)
    secret = getpass.getpass(say("Phrase de passe des clés\u00a0: ", "Key passphrase: "))
    if confirm:
        again = getpass.getpass(say("Confirmez\u00a0: ", "Confirm: "))
        return confirmed_passphrase(secret, again)
    return secret


class ProgressBar:
    """A one-line progress bar on standard error, with the rate and the time left."""

    def __init__(self, label: str, width: int = 30) -> None:
        """Start the clock."""
        #: What is progressing.
        self.label = label
        #: Characters of the bar.
        self.width = width
        self._start = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        """Redraw the bar at ``done`` out of ``total``."""
        filled = self.width * done // max(total, 1)
        elapsed = max(time.monotonic() - self._start, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0.0
        print(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{done}/{total}  {rate:.0f}/s  ~{left:.0f}s ",
            end="",
            file=sys.stderr,
        )
        if done == total:
            print(file=sys.stderr)


@dataclass(frozen=True)
class StatusListSigning:
    """What a command signs the status list with, read in this order."""

    #: The key ring's folder.
    folder: Path
    #: The issuer's settings.
    issuer: IssuerSettings
    #: The ring's public keys, as they were before the active key was decrypted.
    pinned: PinnedKeys
    #: The active key, decrypted.
    key: SigningKey
    #: The moment the list is signed at.
    now: datetime
    #: The database listing the certificates.
    database: Database


def status_list_signing(args: argparse.Namespace) -> StatusListSigning:
    """The issuer, its ring's public keys, the active key (the passphrase asked for), the
    moment and the database: what ``publish`` and ``status-list export`` sign with."""
    folder = keys_folder(args)
    issuer = load_issuer(folder)
    pinned = export_public_keys(folder)
    key = load_signing_key(folder, passphrase(args.lang))
    return StatusListSigning(folder, issuer, pinned, key, signing_now(), open_database(args))
