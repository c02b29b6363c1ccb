"""The QR code's text, ``<site>/verifier/#<token>``, read back; where each URL's file goes.

The token is in the fragment, which a browser never sends to a server: the site's logs
never learn who checked which certificate. A site is the issuer's own: its id, its
status list and the page are all served from one origin, so that the page fetches from
nowhere else.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

#: The folder of the verification page, under the site.
VERIFIER_FOLDER = "verifier"
#: The folder, under the page's, of the tokens found by serial and verification code.
CODES_FOLDER = "c"


def default_site_url(issuer_id: str) -> str:
    """Where the site is published unless told: the folder of the issuer's id.

    The issuer's Profile must be served at its id, and every certificate signs that id,
    so a PDF rendered anywhere, with no settings at hand, knows the site.
    """
    parts = urlsplit(issuer_id)
    folder = parts.path.rstrip("/").rpartition("/")[0] if "/" in parts.path else ""
    return f"{parts.scheme}://{parts.netloc}{folder}"


def verification_url(site_url: str, token: str) -> str:
    """The text of the QR code: the verification page with the token in its fragment."""
    return f"{site_url.rstrip('/')}/{VERIFIER_FOLDER}/#{token}"


def token_from_scan(text: str) -> str:
    """The token in what a scanner read: a bare token, or a verification page URL."""
    text = text.strip()
    if "#" in text and "://" in text.partition("#")[0]:
        return unquote(text.partition("#")[2]).strip()
    return text


def qr_text(issuer_id: str, token: str) -> str:
    """What a certificate's QR code holds: its verification URL on the issuer's site."""
    return verification_url(default_site_url(issuer_id), token)


def code_file_name(serial: str, code: str) -> str:
    """The file of a certificate found by serial and verification code (nothing personal)."""
    key = f"{serial.strip().upper()}|{code.strip().upper()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest() + ".jwt"


def same_origin(first: str, second: str) -> bool:
    """Whether two URLs are served by the same origin (scheme, host, port)."""
    one, other = urlsplit(first), urlsplit(second)
    return (one.scheme, one.netloc.lower()) == (other.scheme, other.netloc.lower())


def file_path(url: str) -> PurePosixPath:
    """Where, under the site's web root, the JSON document at ``url`` is written.

    A path without a file extension gets ``.json`` (``…/issuer`` → ``…/issuer.json``), a
    folder gets ``index.json``: a plain static server then serves them as JSON, and the
    README's setup serves them at their extension-less URL too.
    """
    path = PurePosixPath("/" + unquote(urlsplit(url).path).lstrip("/"))
    if ".." in path.parts:
        raise ValueError(f"a published URL must not climb out of the site: {url}")
    if urlsplit(url).path in ("", "/") or urlsplit(url).path.endswith("/"):
        return PurePosixPath(str(path).lstrip("/")) / "index.json"
    if not path.suffix:
        path = path.with_suffix(".json")
    return PurePosixPath(str(path).lstrip("/"))


def folder_path(url: str) -> PurePosixPath:
    """The folder, under the site's web root, of the site at ``url``."""
    return PurePosixPath(unquote(urlsplit(url).path).strip("/"))


def site_file(root: Path, url_path: str) -> Path | None:
    """The file of the site published in ``root`` that answers ``url_path``, tried as the
    README's web-server setup does: the path, then ``.json``, ``/index.json`` and
    ``/index.html``; ``None`` if none, or if the path leaves ``root`` or names a hidden file.
    """
    relative = PurePosixPath(unquote(url_path).lstrip("/"))
    if ".." in relative.parts or any(part.startswith(".") for part in relative.parts):
        return None
    base = root.resolve()
    target = base / relative
    for candidate in (target, Path(f"{target}.json"), target / "index.json", target / "index.html"):
        resolved = candidate.resolve()
        if resolved.is_file() and resolved.is_relative_to(base):
            return resolved
    return None
