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
from certify.store.db import Database


def add_keys_option(parser: argparse.ArgumentParser) -> None:
    """``--keys-dir DIR``: the issuer's key ring (default: $CERTIFY_KEYS_DIR, else user data)."""
    parser.add_argument(
        "--keys-dir",
        type=Path,
        metavar="DIR",
        help="the issuer's key ring (default: $CERTIFY_KEYS_DIR, else the user's data folder)",
    )


def add_pinned_keys_option(parser: argparse.ArgumentParser) -> None:
    """``--keys FILE``: the public keys to verify with (default: the local key ring's)."""
    parser.add_argument(
        "--keys",
        type=Path,
        metavar="FILE",
        help="pinned public keys (certify keys export; default: the local key ring's)",
    )


def pinned_keys(args: argparse.Namespace) -> PinnedKeys:
    """The keys ``--keys`` names, else those of the local key ring."""
    return PinnedKeys.load(args.keys) if args.keys else export_public_keys(keys_folder(args))


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    """``--lang fr|en`` after the command too; without it, the global ``--lang`` holds."""
    parser.add_argument(
        "--lang",
        choices=["fr", "en"],
        default=argparse.SUPPRESS,
        help="language of the document (default: the global --lang, $CERTIFY_LANG, else fr)",
    )


def keys_folder(args: argparse.Namespace) -> Path:
    """The keys directory the command works on."""
    return keys_directory(args.keys_dir)


def passphrase(confirm: bool = False) -> str | None:
    """``None`` when $CERTIFY_KEY_PASSPHRASE holds it, else asked on the terminal.

    Without the variable and without a terminal, ``PassphraseMissing``.
    """
    if os.environ.get(PASSPHRASE_ENV):
        return None
    if not sys.stdin.isatty():
        raise PassphraseMissing(
            f"Phrase de passe des clés manquante\u00a0: définissez {PASSPHRASE_ENV}. "
            f"/ Key passphrase missing: set {PASSPHRASE_ENV}."
        )
    secret = getpass.getpass("Phrase de passe des clés / Key passphrase: ")
    if confirm:
        return confirmed_passphrase(secret, getpass.getpass("Confirmez / Confirm: "))
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
    key = load_signing_key(folder, passphrase())
    return StatusListSigning(folder, issuer, pinned, key, signing_now(), open_database(args))
