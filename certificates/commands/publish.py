"""``certify publish --out DIR``: the issuer's static site, for any web server."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from certificates.commands.common import add_keys_option, status_list_signing
from certificates.publication.urls import VERIFIER_FOLDER, default_site_url
from certificates.status_publication import DEFAULT_VALID_DAYS
from certify.cli.language import Say
from certify.rules.wording import Wording, count


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``publish``."""
    publish = commands.add_parser(
        "publish",
        help=say(
            "écrire le site de l'émetteur (profil, clés, liste de révocation, page de "
            "vérification)",
            "write the issuer's site (profile, keys, status list, verification page)",
        ),
        description=say(
            "Écrire le site statique de l'émetteur dans DOSSIER, la racine web de son "
            "hébergement\u00a0: le profil et les clés de l'émetteur à son identifiant, la liste "
            "de révocation signée à son URL, et la page qu'ouvrent les QR codes des certificats. "
            "À relancer après chaque révocation.",
            "Write the issuer's static site into DIR, the web root of the site's host: the "
            "issuer's Profile and keys at its id, the signed status list at its URL, and the "
            "page the certificates' QR codes open. Re-run after every revocation.",
        ),
    )
    publish.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar=say("DOSSIER", "DIR"),
        help=say("racine web", "web root"),
    )
    publish.add_argument(
        "--days",
        type=int,
        default=DEFAULT_VALID_DAYS,
        metavar=say("JOURS", "DAYS"),
        help=say("jours de validité de la liste de révocation", "days the status list stays valid"),
    )
    add_keys_option(publish, say)
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
    say = Say(args.lang)
    findable = site.certificates
    codes = Wording(
        f"{count(findable).fr} certificat(s) retrouvable(s) par code",
        f"{count(findable).en} certificate(s) findable by code",
    ).agreed(findable)
    print(
        say(
            f"Site publié\u00a0: {site.root} (à servir sur {settings.site})",
            f"Site written: {site.root} (to serve at {settings.site})",
        )
    )
    print(say(f"  émetteur\u00a0: {site.profile}", f"  issuer: {site.profile}"))
    print(
        say(
            f"  liste de révocation\u00a0: {site.status_list}", f"  status list: {site.status_list}"
        )
    )
    print(
        say(
            f"  page de vérification\u00a0: {site.verifier} ({codes.fr})",
            f"  verification page: {site.verifier} ({codes.en})",
        )
    )
    printed = default_site_url(settings.profile.id)
    if printed != settings.site:
        lead, serve = f"{printed}/{VERIFIER_FOLDER}/", f"{settings.site}/{VERIFIER_FOLDER}/"
        print(
            say(
                f"Attention\u00a0: les QR codes mènent à {lead}\u00a0; redirigez-le vers {serve}.",
                f"Warning: QR codes lead to {lead}; redirect it to {serve}.",
            )
        )
    return 0
