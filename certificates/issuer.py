"""Who issues, as every credential and status list names it: kept beside the key ring.

``issuer.json`` in the keys directory holds the issuer's profile (id, name, home page)
the URL where its revocation list is published, and the site ``certify publish`` writes
(unless told, the folder of the issuer's id); ``certify keys init`` writes it. Files
written before the site URL existed still load.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from certificates.credential import IssuerProfile
from certificates.errors import CorruptKeyRing, KeyRingMissing
from certificates.files import PRIVATE, write_atomically
from certificates.keys import keys_directory
from certificates.publication.urls import default_site_url

#: The issuer's settings inside the keys directory.
ISSUER_FILE = "issuer.json"


@dataclass(frozen=True)
class IssuerSettings:
    """The issuer's profile and the address of its revocation list."""

    #: Id, name and home page of the issuer.
    profile: IssuerProfile
    #: URL of the published status list (``certify status-list export`` writes it).
    status_list_url: str
    #: URL of the issuer's published site (``None``: :func:`default_site_url` of its id).
    site_url: str | None = None

    @property
    def site(self) -> str:
        """Where the issuer's site (``certify publish``) is published."""
        return (self.site_url or default_site_url(self.profile.id)).rstrip("/")


def save_issuer(settings: IssuerSettings, directory: Path | None = None) -> Path:
    """Write the settings into the keys directory (replacing any), readable by its owner."""
    path = keys_directory(directory) / ISSUER_FILE
    document = {
        "id": settings.profile.id,
        "name": settings.profile.name,
        "url": settings.profile.url,
        "status_list_url": settings.status_list_url,
        "site_url": settings.site,
    }
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    write_atomically(path, text.encode("utf-8"), PRIVATE)
    return path


def load_issuer(directory: Path | None = None) -> IssuerSettings:
    """The settings ``keys init`` wrote; ``KeyRingMissing`` or ``CorruptKeyRing`` otherwise."""
    path = keys_directory(directory) / ISSUER_FILE
    if not path.exists():
        raise KeyRingMissing(
            f"Aucun émetteur configuré ({path})\u00a0: lancez «\u00a0certify keys init\u00a0». "
            f"/ No issuer configured ({path}): run 'certify keys init'."
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return IssuerSettings(
            IssuerProfile(id=document["id"], name=document["name"], url=document["url"]),
            status_list_url=document["status_list_url"],
            site_url=_explicit_site(document),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CorruptKeyRing(
            f"Réglages de l'émetteur illisibles {path}\u00a0: {error!r}. "
            f"/ Unreadable issuer settings {path}: {error!r}."
        ) from error


def _explicit_site(document: dict) -> str | None:
    """The saved site URL, ``None`` if absent or the default (so settings read back equal)."""
    site = document.get("site_url")
    return None if site in (None, default_site_url(document["id"])) else site
