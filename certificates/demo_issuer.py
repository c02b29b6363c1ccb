"""The demo's issuer: a key ring made with the demo network, so its certificates sign.

Plugged into ``certify demo`` (and the app's « load the demo ») through the
``certify.demo_extras`` entry-point group. The ring is encrypted with the demo accounts'
password, and the demo's signed status list is written beside it, as
``certify status-list export`` would, so that ``certify verify`` can tell a demo
certificate VALID straight away. An existing ring, demo or real, is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from certificates.credential import IssuerProfile
from certificates.issuer import IssuerSettings, save_issuer
from certificates.keys import (
    INDEX_FILE,
    export_public_keys,
    init_ring,
    keys_directory,
    load_signing_key,
)
from certificates.signing import Signer, sign_certificates, signing_now
from certificates.status_publication import (
    DEFAULT_VALID_DAYS,
    export_checkpoint,
    export_status_list,
)
from certificates.timestamps import parse_instant
from certify.demo.certification import DEMO_PASSWORD
from certify.rules.wording import Wording, count
from certify.rules.written_dates import written_date
from certify.services.documents import unsigned_certificates
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


def is_demo_ring(folder: Path) -> bool:
    """Whether the ring in ``folder`` is the demo issuer's (it keeps its published passphrase)."""
    return {key.issuer for key in export_public_keys(folder).keys} == {DEMO_ISSUER.profile.id}


def set_up_demo_issuer(
    database: Database,
    day: date,
    say: Callable[[Wording], object],
    directory: Path | None = None,
) -> None:
    """Make the demo key ring in ``directory`` (default: the keys folder) unless one is there,
    and the signed status list of ``database``'s certificates beside it.

    ``database`` and ``day`` are those of the demo just loaded (every demo extra gets them);
    the list is signed at the real time, as ``certify status-list export`` does, so that it
    is fresh when verified today. ``say`` tells the user what was done.
    """
    folder = keys_directory(directory)
    if (folder / INDEX_FILE).exists():
        say(
            Wording(
                f"trousseau de clés existant laissé tel quel\u00a0: {folder}",
                f"existing key ring left unchanged: {folder}",
            )
        )
        return
    init_ring(
        DEMO_ISSUER.profile.id,
        directory=folder,
        passphrase=DEMO_PASSPHRASE,
        demo=True,
        name=DEMO_ISSUER.profile.name,
    )
    save_issuer(DEMO_ISSUER, folder)
    say(
        Wording(
            f"émetteur de démonstration créé\u00a0: {folder} (phrase de passe {DEMO_PASSPHRASE})",
            f"demo issuer created: {folder} (passphrase {DEMO_PASSPHRASE})",
        )
    )
    key = load_signing_key(folder, DEMO_PASSPHRASE)
    now = signing_now()
    with database.transaction() as session:
        signed = sign_certificates(
            session, unsigned_certificates(session), Signer(key, DEMO_ISSUER), now
        )
    signed_count = count(len(signed))
    say(
        Wording(
            f"{signed_count.fr} certificat(s) signé(s)", f"{signed_count.en} certificate(s) signed"
        ).agreed(len(signed))
    )
    with database.reading() as session:
        listed = export_status_list(
            session, folder, DEMO_ISSUER, key, now, timedelta(days=DEFAULT_VALID_DAYS)
        )
        export_checkpoint(session, folder, DEMO_ISSUER, key, now, listed.path)
    until = parse_instant(listed.document["validUntil"])
    say(
        Wording(
            f"liste de révocation signée\u00a0: {listed.path} (valable jusqu'au "
            f"{written_date(until.date(), 'fr')} à {until:%H:%M} UTC)",
            f"signed status list: {listed.path} (valid until {listed.document['validUntil']})",
        )
    )
