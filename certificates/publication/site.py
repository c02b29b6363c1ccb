"""``certify publish``: the issuer's static site, which any web server can serve.

The folder written is the web root of the site's origin; each document goes where its
URL points (:func:`~certificates.publication.urls.file_path`):

- at the issuer's id, its Open Badges 3.0 ``Profile``, which is also its controller
  document (W3C Controlled Identifiers 1.0): every key as a ``Multikey`` verification
  method controlled by the issuer, with its validity window, listed in
  ``assertionMethod``; proofs name these keys, so a verifier that never met certify
  resolves ``<issuer id>#<multikey>`` there;
- at the status list's URL, the signed list as ``certify status-list export`` makes it,
  the audit checkpoint beside it;
- under the site, ``jwks.json`` (the same keys as JWKs, for the page) and ``verifier/``,
  the page the QR code opens, its ``config.json``, ``achievements.json`` (the titles of
  the programmes and competencies, in French and English, which a token names by code
  only), and ``c/<sha256(serial|code)>.jwt``,
  each certificate's token found by its serial and printed verification code: a file
  name that says nothing, and nobody lists the folder (the site has no index of it).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.resources import as_file, files
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from certificates.credential import OB_CONTEXT, VC_CONTEXT
from certificates.issuer import IssuerSettings
from certificates.key_ids import did_key_id
from certificates.keys import SigningKey
from certificates.multibase import encode_base64url, public_key_to_multikey
from certificates.pinned import PinnedKey, PinnedKeys
from certificates.publication.urls import (
    CODES_FOLDER,
    VERIFIER_FOLDER,
    code_file_name,
    file_path,
    folder_path,
    same_origin,
)
from certificates.status_publication import export_status_list, write_json_file
from certificates.timestamps import format_instant
from certificates.token import verification_code
from certify.errors import CertifyError
from certify.views.achievement_titles import ProgrammeTitles, achievement_titles
from certify.views.signed_tokens import signed_tokens

if TYPE_CHECKING:  # sessions come from the core, which holds the SQL
    from sqlalchemy.orm import Session

#: The JSON-LD context of controller documents (verificationMethod, Multikey).
CID_CONTEXT = "https://www.w3.org/ns/cid/v1"
#: The keys as a JWK Set, under the site.
JWKS_FILE = "jwks.json"
#: The page's settings, in its folder.
CONFIG_FILE = "config.json"
#: The programmes' and competencies' titles, in the page's folder.
ACHIEVEMENTS_FILE = "achievements.json"


@dataclass(frozen=True)
class PublishedSite:
    """What :func:`publish_site` wrote."""

    #: The web root written.
    root: Path
    #: The issuer's Profile and controller document.
    profile: Path
    #: The signed status list.
    status_list: Path
    #: The verification page's folder.
    verifier: Path
    #: Certificates findable by serial and verification code.
    certificates: int


def controller_document(settings: IssuerSettings, pinned: PinnedKeys) -> dict[str, Any]:
    """The issuer's ``Profile``, which is also its controller document, listing every key."""
    issuer = settings.profile
    methods = [_verification_method(key) for key in pinned.keys if key.issuer == issuer.id]
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, CID_CONTEXT],
        "id": issuer.id,
        "type": "Profile",
        "name": issuer.name,
        "url": issuer.url,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def _verification_method(key: PinnedKey) -> dict[str, Any]:
    """One key as a ``Multikey`` of the issuer, with when it was made and retired."""
    method: dict[str, Any] = {
        "id": key.key_id,
        "type": "Multikey",
        "controller": key.issuer,
        "publicKeyMultibase": public_key_to_multikey(key.public_key),
        "created": format_instant(key.created),
    }
    if key.retired is not None:
        method["retired"] = format_instant(key.retired)
    compromised = getattr(key, "compromised", None)  # where the ring records it
    if isinstance(compromised, datetime):  # nothing it signed is trusted any more
        method["revoked"] = format_instant(compromised)
    return method


def json_web_keys(settings: IssuerSettings, pinned: PinnedKeys) -> dict[str, Any]:
    """The issuer's keys as a JWK Set (RFC 7517), each with its window and proof key ids."""
    keys = []
    for key in pinned.keys:
        if key.issuer != settings.profile.id:
            continue
        method = _verification_method(key)
        legacy = did_key_id(key.public_key)  # what proofs named keys by before
        ids = [key.key_id] if legacy == key.key_id else [key.key_id, legacy]
        keys.append(
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": encode_base64url(key.public_key.public_bytes_raw()),
                "kid": key.token_key_id,
                "alg": "Ed25519",
                "use": "sig",
                "verificationMethods": ids,
                "issuer": key.issuer,
                **{
                    name: method[name]
                    for name in ("created", "retired", "revoked")
                    if name in method
                },
            }
        )
    return {"keys": keys}


def achievements(programmes: list[ProgrammeTitles]) -> dict[str, Any]:
    """What the page names codes with: each programme's title and its competencies' labels.

    ``{"programmes": {code: {"title": {"fr", "en"}, "competencies": {code: {"fr", "en"}}}}}``;
    a competency code is unique in its framework only, so each programme lists its own.
    """
    return {
        "programmes": {
            programme.code: {
                "title": {"fr": programme.title_fr, "en": programme.title_en},
                "competencies": {
                    item.code: {"fr": item.label_fr, "en": item.label_en}
                    for item in programme.competencies
                },
            }
            for programme in programmes
        }
    }


def check_origins(settings: IssuerSettings) -> None:
    """Refuse, in one line, a site that does not serve the issuer's id and status list."""
    for what, url in (
        ("l'id de l'émetteur", settings.profile.id),
        ("la liste", settings.status_list_url),
    ):
        if not same_origin(url, settings.site):
            raise CertifyError(
                f"{url} ({what}) n'est pas sur le site {settings.site}\u00a0: publiez-le sur le "
                "même hôte (certify keys init --site-url)",
                f"{url} is not on the site {settings.site}: publish on the same host "
                "(certify keys init --site-url)",
            )


def publish_site(
    session: Session,
    out: Path,
    settings: IssuerSettings,
    pinned: PinnedKeys,
    folder: Path,
    signing_key: SigningKey,
    now: datetime,
    valid_for: timedelta,
) -> PublishedSite:
    """Write the whole site into ``out`` as of ``now``: profile, keys, status list, page."""
    check_origins(settings)
    out.mkdir(parents=True, exist_ok=True)
    profile = _under(out, file_path(settings.profile.id))
    write_json_file(controller_document(settings, pinned), profile)
    site = _under(out, folder_path(settings.site))
    write_json_file(json_web_keys(settings, pinned), site / JWKS_FILE)
    status_list = _under(out, file_path(settings.status_list_url))
    export_status_list(session, folder, settings, signing_key, now, valid_for, status_list)
    verifier = site / VERIFIER_FOLDER
    copy_page(verifier)
    config = {
        "issuer": settings.profile.id,
        "issuerName": settings.profile.name,
        "statusList": settings.status_list_url,
        "statusListFile": _relative(status_list, verifier),
        "keysFile": _relative(site / JWKS_FILE, verifier),
        "achievementsFile": ACHIEVEMENTS_FILE,
    }
    write_json_file(config, verifier / CONFIG_FILE)
    write_json_file(achievements(achievement_titles(session)), verifier / ACHIEVEMENTS_FILE)
    codes = verifier / CODES_FOLDER
    codes.mkdir(exist_ok=True)
    tokens = signed_tokens(session)
    for serial, token in tokens:
        name = code_file_name(serial, verification_code(token))
        (codes / name).write_text(token + "\n", encoding="ascii")
    return PublishedSite(out, profile, status_list, verifier, len(tokens))


def copy_page(target: Path) -> None:
    """Copy the page's static files (HTML, JavaScript, CSS, vendored libraries) to ``target``."""
    with as_file(files("certificates.publication") / "static") as static:
        shutil.copytree(static, target, dirs_exist_ok=True)


def _under(root: Path, relative: PurePosixPath) -> Path:
    """``relative`` inside ``root``, its folder made."""
    path = root.joinpath(*relative.parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _relative(path: Path, start: Path) -> str:
    """``path`` as a URL relative to the folder ``start`` (both under one root)."""
    return PurePosixPath(os.path.relpath(path, start)).as_posix()
