"""``certify serve`` in a real headless Chromium: sign in (typing as the page opens, too),
open my progress, save a certificate.

xterm.js draws the terminal on a canvas, so the test reads what the app sends instead: the
bytes of the page's websocket, escape sequences removed. Deselect with ``-m "not browser"``.
Without Chromium at /usr/bin/chromium the test skips, except in CI where it fails.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Download, Page, WebSocket
from sqlalchemy import select

from certificates import keys
from certificates.commands.keys import STATUS_LIST_FILE
from certificates.issuer import save_issuer
from certificates.keys import export_public_keys, init_ring, load_signing_key, signing_now
from certificates.pdf_verify import verify_pdf
from certificates.status_publication import publish_status_list
from certificates.verification import Verdict
from certify.demo.certification import DEMO_PASSWORD, load_demo
from certify.model import Certificate, CertificateState, Person, UserAccount
from certify.store.db import Database
from certify.store.schema import upgrade
from tests.browser import headless_chromium
from tests.certificate_factory import ISSUER
from tests.pdf_helpers import PASSPHRASE, SETTINGS

pytestmark = pytest.mark.browser

#: Escape sequences in the terminal stream (CSI, OSC, charset and keypad modes).
ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)
#: Seconds to wait for what the app should show.
PATIENCE = 30.0


@dataclass(frozen=True)
class ServedNetwork:
    """A demo network as of today with a key ring, and the counsellor's certificate."""

    #: The SQLite file served.
    database: Path
    #: The issuer's key ring (with the signed status list).
    keys_dir: Path
    #: Serial of the counsellor's standing certificate.
    serial: str
    #: The counsellor's name as the certificate prints it.
    holder: str


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedNetwork]:
    """The smallest demo network, a cheap key ring and a fresh revocation list."""
    folder = tmp_path_factory.mktemp("served")
    database = Database(f"sqlite:///{folder / 'certify.db'}")
    upgrade(database)
    load_demo(database, seed=1993, as_of=date.today(), staff=125)
    keys_dir = folder / "keys"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keys, "KDF_ROUNDS", 1)  # the app processes unlock it at once
        init_ring(ISSUER.id, directory=keys_dir, passphrase=PASSPHRASE)
    save_issuer(SETTINGS, keys_dir)
    with database.reading() as session:
        person = session.scalars(
            select(Person).join(UserAccount).where(UserAccount.username == "conseiller")
        ).one()
        serial = session.scalars(
            select(Certificate.serial).where(
                Certificate.person_id == person.id, Certificate.state == CertificateState.ISSUED
            )
        ).first()
        signing_key = load_signing_key(keys_dir, PASSPHRASE)
        now = signing_now()
        status_list = publish_status_list(session, SETTINGS, signing_key, now, timedelta(days=7))
        holder = person.full_name
    (keys_dir / STATUS_LIST_FILE).write_text(json.dumps(status_list), encoding="utf-8")
    database.dispose()
    assert serial is not None, "the demo counsellor holds a certificate"
    yield ServedNetwork(folder / "certify.db", keys_dir, serial, holder)


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(network: ServedNetwork, tmp_path: Path) -> Iterator[str]:
    """``certify serve`` on a free loopback port, stopped with SIGTERM after the test."""
    port = free_port()
    environment = {
        **os.environ,
        keys.KEYS_DIR_ENV: str(network.keys_dir),
        keys.PASSPHRASE_ENV: PASSPHRASE,
    }
    log = (tmp_path / "serve.log").open("w+b")
    database = ["--db", str(network.database), "--lang", "fr"]
    command = ["-m", "certify", *database, "serve", "--demo", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, *command],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process, log.name)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: str) -> None:
    """Return once the server accepts connections; fail with its log if it stopped."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"certify serve stopped:\n{Path(log).read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"certify serve did not listen on {port}:\n{Path(log).read_text()}")


class Terminal:
    """The served app as a user meets it: what the page's terminal receives, and a keyboard."""

    def __init__(self, page: Page) -> None:
        """Listen to ``page``'s websocket from its first frame."""
        #: The browser tab.
        self.page = page
        #: Every byte the app sent to the terminal.
        self.received = bytearray()
        #: Where the output of the last action starts in :attr:`received`.
        self.mark = 0
        page.on("websocket", self.listen)

    def listen(self, websocket: WebSocket) -> None:
        """Keep the terminal output (binary frames) the app sends."""
        websocket.on("framereceived", self.keep)

    def keep(self, payload: str | bytes) -> None:
        """Append a binary frame; text frames are textual-serve's own messages."""
        if isinstance(payload, bytes):
            self.received += payload

    def text(self) -> str:
        """What was drawn since the last action, escape sequences removed."""
        return ESCAPES.sub(b"", bytes(self.received[self.mark :])).decode("utf-8", "replace")

    def wait_for(self, *texts: str) -> None:
        """Wait until each of ``texts`` has been drawn since the last action."""
        deadline = time.monotonic() + PATIENCE
        while not all(text in self.text() for text in texts):
            if time.monotonic() > deadline:
                raise AssertionError(f"never shown: {texts!r}\n--- shown:\n{self.text()[-3000:]}")
            self.page.wait_for_timeout(100)

    def type(self, text: str) -> None:
        """Type ``text`` into the terminal."""
        self.mark = len(self.received)
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        """Press ``key`` (Playwright's key names: ``Enter``, ``F4``, ``Tab``…)."""
        self.mark = len(self.received)
        self.page.keyboard.press(key)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[BrowserContext]:
    """Headless Chromium with a fresh profile, accepting downloads."""
    with headless_chromium(
        tmp_path / "profile", accept_downloads=True, viewport={"width": 1280, "height": 800}
    ) as context:
        yield context


def downloads_of(context: BrowserContext) -> list[Download]:
    """Every download started in ``context`` from now (textual-serve opens a new tab)."""
    found: list[Download] = []

    def watch(page: Page) -> None:
        """Keep the downloads ``page`` starts."""
        page.on("download", lambda download: found.append(download))

    context.on("page", watch)
    for page in context.pages:
        watch(page)
    return found


def test_keys_typed_as_soon_as_the_terminal_appears_sign_in(
    server: str, browser: BrowserContext, network: ServedNetwork
) -> None:
    """Name, Enter, password, Enter typed without pause the moment the page's terminal
    exists (its websocket still connecting, the app not started): none is lost."""
    page = browser.pages[0] if browser.pages else browser.new_page()
    terminal = Terminal(page)
    page.goto(server, wait_until="commit")
    page.wait_for_selector(".xterm-helper-textarea", state="attached")
    page.focus(".xterm-helper-textarea")
    page.keyboard.type("conseiller")
    page.keyboard.press("Enter")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    terminal.wait_for("Ma progression", network.holder)


def test_a_counsellor_signs_in_and_downloads_their_certificate(
    server: str, browser: BrowserContext, network: ServedNetwork, tmp_path: Path
) -> None:
    """In the browser: sign in, my progress (F4), certificates, ``s``: the signed PDF arrives."""
    page = browser.pages[0] if browser.pages else browser.new_page()
    terminal = Terminal(page)
    downloads = downloads_of(browser)
    page.goto(server)
    terminal.wait_for("Connexion à certify", "Mot de passe")
    # Typing goes to xterm's hidden text area (a click would land on a field of the form).
    page.focus(".xterm-helper-textarea")
    terminal.type("conseiller")
    terminal.press("Enter")
    terminal.type(DEMO_PASSWORD)
    terminal.press("Enter")
    terminal.wait_for("Ma progression", network.holder)  # staff land on their progress
    terminal.press("F4")
    terminal.press("c")  # the « Certificats » tab
    terminal.wait_for(network.serial)
    terminal.press("s")
    deadline = time.monotonic() + PATIENCE
    while not downloads and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert downloads, f"no download started\n--- shown:\n{terminal.text()[-3000:]}"
    [download] = downloads
    assert download.suggested_filename.endswith(f"-{network.serial}.pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    result = verify_pdf(
        saved.read_bytes(),
        export_public_keys(network.keys_dir),
        json.loads((network.keys_dir / STATUS_LIST_FILE).read_text(encoding="utf-8")),
        date.today(),
    )
    assert result.verdict is Verdict.VALID, result.detail
    assert result.fields is not None
    assert (result.fields.serial, result.fields.holder_name) == (network.serial, network.holder)
