"""``certify publish --out DIR``: the issuer's static site, for any web server."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from certificates.commands.common import add_keys_option, status_list_signing
from certificates.publication.urls import VERIFIER_FOLDER, default_site_url
from certificates.status_publication import DEFAULT_VALID_DAYS


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``publish``."""
    publish = commands.add_parser(
        "publish",
        help="écrire le site de l'émetteur / write the issuer's site (profile, keys, "
        "status list, verification page)",
        description=(
            "Write the issuer's static site into DIR, the web root of the site's host: the "
            "issuer's Profile and keys at its id, the signed status list at its URL, and the "
            "page the certificates' QR codes open. Re-run after every revocation."
        ),
    )
    publish.add_argument("--out", type=Path, required=True, metavar="DIR", help="web root")
    publish.add_argument(
        "--days", type=int, default=DEFAULT_VALID_DAYS, help="days the status list stays valid"
    )
    add_keys_option(publish)
    publish.set_defaults(func=publish_command)


def publish_command(args: argparse.Namespace) -> int:
    """Sign the status list and write the site."""
    from certificates.publication.site import publish_site  # loaded for this command only

    signing = status_list_signing(args)
    settings = signing.issuer
    with signing.database.reading() as session:
        site = publish_site(
            session,
            args.out,
            settings,
            signing.pinned,
            signing.folder,
            signing.key,
            signing.now,
            timedelta(days=args.days),
        )
    print(f"Site publié / site written: {site.root} (à servir sur / to serve at {settings.site})")
    print(f"  émetteur / issuer: {site.profile}")
    print(f"  liste de révocation / status list: {site.status_list}")
    print(
        f"  page de vérification / verification page: {site.verifier} "
        f"({site.certificates} certificat(s) retrouvables par code / findable by code)"
    )
    printed = default_site_url(settings.profile.id)
    if printed != settings.site:
        print(
            f"Attention : les QR codes mènent à {printed}/{VERIFIER_FOLDER}/ ; redirigez-le "
            f"vers {settings.site}/{VERIFIER_FOLDER}/. / Warning: QR codes lead to "
            f"{printed}/{VERIFIER_FOLDER}/; redirect it to {settings.site}/{VERIFIER_FOLDER}/."
        )
    return 0
