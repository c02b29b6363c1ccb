"""Starting the issuer and reading where its keys stand: ``certify keys init`` and the
app's issuer keys screen both create the key ring and the issuer's settings through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from certificates.credential import IssuerProfile
from certificates.errors import PassphrasesDiffer
from certificates.issuer import IssuerSettings, load_issuer, save_issuer
from certificates.key_ids import jwk_thumbprint
from certificates.keys import (
    INDEX_FILE,
    active_key,
    export_public_keys,
    init_ring,
    keys_directory,
)
from certificates.pinned import PinnedKey
from certify.access.permissions import Action, Actor, authorize_admin
from certify.errors import CertifyError

#: Name of the issuing network by default.
DEFAULT_ISSUER_NAME = "Réseau des Cités des métiers"
#: How an issuer's home page must begin.
WEB_SCHEMES = ("https://", "http://")


@dataclass(frozen=True)
class NewIssuer:
    """What starting the issuer needs: its home page, and optionally the rest."""

    #: The issuer's home page (``https://…``).
    url: str
    #: The issuer's name, on every certificate.
    name: str = DEFAULT_ISSUER_NAME
    #: URL identifying the issuer (default: :attr:`url`).
    id: str | None = None
    #: Where the status list is published (default: ``<url>/certify/status-list.json``).
    status_list_url: str | None = None
    #: Where ``certify publish``'s site is served (default: the folder of the id).
    site_url: str | None = None

    def settings(self) -> IssuerSettings:
        """The issuer's settings; a home page that is no web address is refused."""
        home = self.url.strip().rstrip("/")
        if not home.startswith(WEB_SCHEMES) or len(home) <= len("https://"):
            raise CertifyError(
                f"adresse du site de l'émetteur invalide {self.url!r}\u00a0: "
                "elle commence par https://",
                f"invalid issuer home page {self.url!r}: it starts with https://",
            )
        name = self.name.strip() or DEFAULT_ISSUER_NAME
        return IssuerSettings(
            IssuerProfile(id=self.id or home, name=name, url=home),
            status_list_url=self.status_list_url or f"{home}/certify/status-list.json",
            site_url=self.site_url,
        )


def confirmed_passphrase(first: str, again: str) -> str:
    """The passphrase typed twice, refused when the two differ."""
    if first != again:
        raise PassphrasesDiffer(
            "Les deux phrases de passe diffèrent.", "The two passphrases differ."
        )
    return first


def start_issuer(
    actor: Actor, new: NewIssuer, passphrase: str | None, directory: Path | None = None
) -> tuple[IssuerSettings, PinnedKey]:
    """Create the ring with its first key (``passphrase``, else ``$CERTIFY_KEY_PASSPHRASE``)
    and save the issuer's settings beside it (administrators); refused if a ring is there."""
    authorize_admin(actor, Action.MANAGE_KEYS)
    settings = new.settings()
    folder = keys_directory(directory)
    key = init_ring(
        settings.profile.id, directory=folder, passphrase=passphrase, name=settings.profile.name
    )
    save_issuer(settings, folder)
    return settings, key


@dataclass(frozen=True)
class KeyStatus:
    """The issuer's active key, as an administrator checks it."""

    #: The keys directory.
    folder: Path
    #: Who issues.
    issuer: IssuerSettings
    #: The verification method proofs name: ``<issuer>#<multikey>``.
    key_id: str
    #: The key's SHA-256 JWK thumbprint.
    fingerprint: str
    #: When the key was made.
    created: datetime
    #: Keys retired before it (they still verify what they signed).
    retired: int
    #: Keys declared compromised.
    compromised: int


def key_status(directory: Path | None = None) -> KeyStatus | None:
    """The ring's active key and its issuer; ``None`` when there is no ring here."""
    folder = keys_directory(directory)
    if not (folder / INDEX_FILE).exists():
        return None
    ring = export_public_keys(folder)
    active = active_key(folder)
    return KeyStatus(
        folder,
        load_issuer(folder),
        active.key_id,
        jwk_thumbprint(active.public_key),
        active.created,
        sum(1 for key in ring.keys if key.retired is not None),
        sum(1 for key in ring.keys if key.compromised is not None),
    )
