"""The demo's issuer: a key ring made with the demo network, so its certificates sign.

Plugged into ``certify demo`` (and the app's « load the demo ») through the
``certify.demo_extras`` entry-point group. The ring is encrypted with the demo accounts'
password; an existing ring, demo or real, is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from certificates.credential import IssuerProfile
from certificates.issuer import IssuerSettings, save_issuer
from certificates.keys import INDEX_FILE, init_ring, keys_directory
from certify.demo.certification import DEMO_PASSWORD
from certify.store.db import Database

#: The demo issuer's name, plainly not the real network's.
DEMO_ISSUER_NAME = "Réseau des Cités des métiers (démo)"
#: The demo issuer's id and home page: a reserved domain that can never resolve.
DEMO_ISSUER_URL = "https://demo.certify.invalid"
#: Passphrase of the demo key ring: the demo accounts' password.
DEMO_PASSPHRASE = DEMO_PASSWORD
#: The demo issuer's settings, as ``certify keys init`` would write them.
DEMO_ISSUER = IssuerSettings(
    IssuerProfile(id=DEMO_ISSUER_URL, name=DEMO_ISSUER_NAME, url=DEMO_ISSUER_URL),
    status_list_url=f"{DEMO_ISSUER_URL}/certify/status-list.json",
)


def set_up_demo_issuer(
    database: Database,
    day: date,
    say: Callable[[str], object],
    directory: Path | None = None,
) -> None:
    """Make the demo key ring in ``directory`` (default: the keys folder) unless one is there.

    ``database`` and ``day`` are those of the demo just loaded (every demo extra gets them);
    the ring does not depend on either. ``say`` tells the user what was done.
    """
    folder = keys_directory(directory)
    if (folder / INDEX_FILE).exists():
        say(
            f"trousseau de clés existant laissé tel quel / existing key ring left unchanged: "
            f"{folder}"
        )
        return
    init_ring(DEMO_ISSUER.profile.id, directory=folder, passphrase=DEMO_PASSPHRASE, demo=True)
    save_issuer(DEMO_ISSUER, folder)
    say(
        f"émetteur de démonstration créé / demo issuer created: {folder} "
        f"(phrase de passe / passphrase {DEMO_PASSPHRASE})"
    )
