"""The verification page a stranger opens from the QR code, in a real headless Chromium.

The published site is served by Python's plain ``http.server`` (any static server would
do); the URL is the one zbarimg reads on the rendered certificate, its host swapped for
the local server's. Deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from certificates.facts import CertifiedCompetency
from certificates.keys import export_public_keys, load_signing_key, signing_now
from certificates.publication.urls import token_from_scan
from certificates.token import make_token, read_token
from certify.cli import main
from certify.store.db import Database
from certify.store.schema import upgrade
from tests.browser import headless_chromium
from tests.certificate_factory import ISSUER, make_facts, make_key
from tests.pdf_helpers import HARD_NAMES, PASSPHRASE, issue_hard_names, make_ring, qr_codes
from tests.test_serve_browser import free_port, wait_for_port

pytestmark = pytest.mark.browser

#: Where the test issuer's site is published (the folder of its id).
SITE = "https://certify.cites-des-metiers.example"
#: Where the phone-sized screenshot is written.
SCREENSHOT = Path("/tmp/verifier-phone.png")
#: Milliseconds to wait for a verdict.
PATIENCE_MS = 30_000


@dataclass(frozen=True)
class Published:
    """A certificate, its PDF and QR code, and the published site served on loopback."""

    #: The database (SQLite) the certificate is in.
    database: Database
    #: Its serial.
    serial: str
    #: Its PDF, as delivered.
    pdf: Path
    #: What zbarimg read on the PDF.
    scanned: str
    #: The site's folder.
    site: Path
    #: The local server's address, standing for the site's.
    base: str

    def local(self, url: str) -> str:
        """``url`` on the local server."""
        assert url.startswith(SITE), url
        return self.base + url.removeprefix(SITE)

    def publish(self) -> None:
        """Run ``certify publish`` again."""
        assert main(["--db", self.database.url, "publish", "--out", str(self.site)]) == 0


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Published]:
    """A certificate issued and exported, the site published and served by http.server."""
    make_ring(tmp_path / "keys", monkeypatch)
    database = Database(f"sqlite:///{tmp_path / 'certify.db'}")
    upgrade(database)
    serial = issue_hard_names(database).serials[0]
    pdf = tmp_path / "certificate.pdf"
    assert main(["--db", database.url, "certificate", "export", serial, "--out", str(pdf)]) == 0
    (scanned,) = qr_codes(pdf)
    port = free_port()
    site = tmp_path / "site"
    published = Published(database, serial, pdf, scanned, site, f"http://127.0.0.1:{port}")
    published.publish()
    log = (tmp_path / "http.log").open("w+b")
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    server = subprocess.Popen(command, cwd=site, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, server, log.name)
        yield published
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()
        database.dispose()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[BrowserContext]:
    """Headless Chromium with a fresh profile, the size of a phone (390×844)."""
    with headless_chromium(
        tmp_path / "profile",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    ) as context:
        yield context


def verdict(page: Page) -> str:
    """The verdict the page shows, once it shows one."""
    page.wait_for_selector("#verdict", timeout=PATIENCE_MS)
    return page.inner_text("#verdict").strip().lstrip("✔✖⏳? ").strip()


def open_page(page: Page, url: str) -> str:
    """Open ``url`` afresh and read the verdict."""
    page.goto("about:blank")
    page.goto(url)
    return verdict(page)


def tampered(token: str) -> str:
    """``token`` with another holder's name in its payload, its signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["hn"] = "Mallory Martin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_the_scanned_url_verifies_then_reads_revoked(
    published: Published, browser: BrowserContext
) -> None:
    """VALIDE from the QR code; the PDF and typed code agree; RÉVOQUÉ once republished."""
    page = browser.pages[0] if browser.pages else browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    url = published.local(published.scanned)
    assert open_page(page, url) == "VALIDE"
    holder = " ".join(HARD_NAMES[0])
    shown = page.inner_text("#result")
    assert holder in shown and published.serial in shown and "Comparez" in shown
    code = page.inner_text("dd.code")
    assert len(code) == 11 and code[5] == "-"
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.click("#lang")
    assert verdict(page) == "VALID"
    assert "Compare these details" in page.inner_text("#result")
    page.click("#lang")
    assert verdict(page) == "VALIDE"

    page.set_input_files("#pdf-file", str(published.pdf))
    page.wait_for_selector("text=le fichier PDF", timeout=PATIENCE_MS)
    assert verdict(page) == "VALIDE"

    page.fill("#serial", published.serial.lower())
    page.fill("#code", code.replace("-", " ").lower())
    page.click("#code-form button")
    page.wait_for_selector("dd.code", timeout=PATIENCE_MS)
    assert verdict(page) == "VALIDE"
    page.fill("#code", "AAAAA-AAAAA")
    page.click("#code-form button")
    page.wait_for_selector("#notice", timeout=PATIENCE_MS)
    assert "Aucun certificat" in page.inner_text("#notice")

    assert (
        main(["--db", published.database.url, "revoke", published.serial, "--reason", "Fraude"])
        == 0
    )
    published.publish()
    page.goto(url)
    page.reload()
    assert verdict(page) == "RÉVOQUÉ"

    token = token_from_scan(published.scanned)
    forged_url = url.replace(token, tampered(token))
    assert open_page(page, forged_url) == "SIGNATURE INVALIDE"
    assert "Mallory" not in page.inner_text("#result")
    assert open_page(page, url.replace(token, token[:40])) == "SIGNATURE INVALIDE"

    assert not errors, errors
    assert all(request.startswith(published.base) for request in requests), requests
    assert not any("#" in request for request in requests), "the token never leaves the page"


def test_dates_and_unknown_keys_read_as_such(published: Published, browser: BrowserContext) -> None:
    """Tokens signed now by the issuer's key but out of their dates, and one by a stranger."""
    page = browser.pages[0] if browser.pages else browser.new_page()
    signing_key = load_signing_key(published.site.parent / "keys", PASSPHRASE)
    now = signing_now()
    today = now.date()
    expired = make_facts(
        issued_on=today - timedelta(days=400),
        valid_from=today - timedelta(days=400),
        valid_until=today - timedelta(days=1),
    )
    future = make_facts(
        issued_on=today,
        valid_from=today + timedelta(days=10),
        valid_until=today + timedelta(days=900),
    )
    stranger, _ = make_key()
    page_url = published.local(f"{SITE}/verifier/#")
    cases = [
        (make_token(expired, signing_key, ISSUER.id, now), "EXPIRÉ"),
        (make_token(future, signing_key, ISSUER.id, now), "PAS ENCORE VALIDE"),
        (make_token(future, stranger, ISSUER.id, now), "CLÉ INCONNUE"),
    ]
    for token, expected in cases:
        assert open_page(page, page_url + token) == expected


def test_a_scanned_certificate_names_its_programme_and_competencies(
    published: Published, browser: BrowserContext
) -> None:
    """The token's codes, named with the titles the site publishes, in the page's language;
    a code the site does not know is shown alone, and nothing a token says becomes HTML."""
    page = browser.pages[0] if browser.pages else browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_page(page, published.local(published.scanned))
    assert page.inner_text("dd.programme") == "CERT-ACC — Chargé·e d'accueil de 1er niveau"
    listed = page.inner_text("ul.competencies")
    assert "ETH-03 — Garantir la confidentialité" in listed
    assert "ACC-01 — Accueillir sans rendez-vous" in listed
    page.click("#lang")
    assert verdict(page) == "VALID"
    assert page.inner_text("dd.programme") == "CERT-ACC — First-level reception officer"
    assert "ETH-03 — Ensure confidentiality" in page.inner_text("ul.competencies")
    page.click("#lang")

    keys_dir = published.site.parent / "keys"
    signing_key = load_signing_key(keys_dir, PASSPHRASE)
    scanned = read_token(token_from_scan(published.scanned), export_public_keys(keys_dir))
    odd = make_facts(
        competencies=(
            *make_facts().competencies,  # ETH-01, known; ACC-02, unknown to the site
            CertifiedCompetency("<b>X</b>", "x", "x", 2, "Acquis", "Acquired"),
        )
    )
    page_url = published.local(f"{SITE}/verifier/#")
    open_page(page, page_url + make_token(odd, signing_key, ISSUER.id, scanned.signed_at))
    items = page.locator("ul.competencies li").all_inner_texts()
    assert items == ["ETH-01 — Appliquer les principes de la Charte", "ACC-02", "<b>X</b>"]
    assert page.locator("ul.competencies b").count() == 0
    assert "les compétences" in page.inner_text(".compare")

    current = make_token(make_facts(), signing_key, ISSUER.id, scanned.signed_at)
    header, payload, _ = current.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    del claims["cc"]  # as tokens signed before they named the competencies
    before = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    signature = signing_key.private_key.sign(f"{header}.{before}".encode())
    older = f"{header}.{before}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    assert open_page(page, page_url + older) in {"VALIDE", "STATUT INCONNU"}
    assert page.inner_text("dd.programme") == "CERT-ACC — Chargé·e d'accueil de 1er niveau"
    assert page.locator("ul.competencies").count() == 0
    assert "les compétences" not in page.inner_text(".compare")
    assert not errors, errors
