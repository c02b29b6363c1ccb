"""``certify serve`` over real HTTP: no directory listing, a cap on sessions, the client told."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest
from textual_serve.download_manager import DownloadManager

from certify.services.sign_in import CLIENT_ENV
from tests.test_serve_browser import free_port, wait_for_port
from tui.cli import SPARE_ENV
from tui.web_server import ClientAppService, client_address, spare_environment

pytestmark = pytest.mark.asyncio


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``certify serve --max-sessions 1`` on a new database and a free loopback port."""
    with serving(tmp_path, "--max-sessions", "1") as url:
        yield url


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site as ``certify publish`` lays one out, with an issuer at the root and a hidden file."""
    root = tmp_path / "site"
    files = {
        "index.json": '{"type": "Profile"}',
        "status/1.json": '{"type": "VerifiableCredential"}',
        "jwks.json": '{"keys": []}',
        "verifier/index.html": "<title>Vérifier</title>",
        "verifier/verifier.js": "// page",
        "verifier/c/abc.jwt": "eyJ.token.sig",
        ".ring.lock": "",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (tmp_path / "secret.json").write_text("{}", encoding="utf-8")
    return root


@contextmanager
def serving(tmp_path: Path, *options: str) -> Iterator[str]:
    """``certify serve`` with ``options`` on a new database and a free loopback port; its URL."""
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        command = ["-m", "certify", "--db", str(tmp_path / "n.db"), "serve", "--port", str(port)]
        process = subprocess.Popen(
            [sys.executable, *command, *options],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, process, str(log))
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def status_of(url: str) -> tuple[int, bytes]:
    """The HTTP status and body of a GET."""
    status, _, body = response_to(url)
    return status, body


def response_to(url: str, accept: str = "*/*") -> tuple[int, dict[str, str], bytes]:
    """The HTTP status, headers and body of a GET sent with ``Accept: accept``."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


async def test_the_published_site_is_served_beside_the_app(tmp_path: Path, site: Path) -> None:
    """``--site``: each published file at its URL, ``.json`` and index files found as the
    README's nginx setup finds them, read-only, never listed, nothing outside or hidden;
    ``/`` is the app for a browser and the issuer's Profile for a verifier asking JSON."""
    with serving(tmp_path, "--site", str(site)) as url:
        for path, expected in [
            ("/status/1", b"VerifiableCredential"),
            ("/status/1.json", b"VerifiableCredential"),
            ("/jwks.json", b'"keys"'),
            ("/verifier/", "Vérifier".encode()),
            ("/verifier/c/abc.jwt", b"eyJ.token.sig"),
            ("/index.json", b"Profile"),
        ]:
            status, headers, body = await asyncio.to_thread(response_to, url + path)
            assert (status, expected in body) == (200, True), path
            assert headers["Access-Control-Allow-Origin"] == "*", path
            assert headers["Content-Security-Policy"] == "frame-ancestors 'none'", path
        for path in ("/verifier/c/", "/.ring.lock", "/../secret.json", "/%2e%2e/secret.json"):
            status, _, body = await asyncio.to_thread(response_to, url + path)
            assert status == 404 and b"abc.jwt" not in body, path
        status, headers, body = await asyncio.to_thread(response_to, url + "/", "text/html")
        assert status == 200 and b"textual" in body.lower()
        status, headers, body = await asyncio.to_thread(response_to, url + "/", "application/json")
        assert (status, body) == (200, b'{"type": "Profile"}')
        status, _, _ = await asyncio.to_thread(response_to, url + "/static/js/textual.js")
        assert status == 200


async def test_a_folder_without_a_published_site_is_refused(tmp_path: Path) -> None:
    """``--site`` naming a folder ``certify publish`` did not write: a message, no server."""
    database = ["--db", str(tmp_path / "n.db"), "--lang", "fr"]
    serve = ["serve", "--site", str(tmp_path), "--port", str(free_port())]
    done = subprocess.run(
        [sys.executable, "-m", "certify", *database, *serve],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "aucun site publié ici" in done.stderr
    assert "Traceback" not in done.stderr


async def test_static_files_are_served_but_never_listed(server: str) -> None:
    """``/static/`` and its folders answer 403 without listing; a file is still served."""
    for folder in ("/static/", "/static/js/", "/static/fonts/"):
        status, body = await asyncio.to_thread(status_of, server + folder)
        assert status in (403, 404) and b"textual.js" not in body, folder
    status, body = await asyncio.to_thread(status_of, server + "/static/js/textual.js")
    assert status == 200 and body


async def test_sessions_beyond_the_cap_are_refused_until_one_closes(server: str) -> None:
    """With ``--max-sessions 1``, a second browser gets 503 and no process; later, a session."""
    socket_url = server.replace("http", "ws") + "/ws?width=80&height=24"
    async with aiohttp.ClientSession() as client:
        first = await client.ws_connect(socket_url)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(socket_url)
        assert refused.value.status == 503
        await first.close()
        for _ in range(100):  # the server notices the close
            try:
                again = await client.ws_connect(socket_url)
            except aiohttp.WSServerHandshakeError:
                await asyncio.sleep(0.1)
                continue
            await again.close()
            return
    pytest.fail("no session once the first closed")


def app_service(client: str) -> ClientAppService:
    """An app service for a browser at ``client``, connected to nothing."""

    async def ignore(data: object) -> None:
        """Nothing to send anywhere."""

    async def nothing() -> None:
        """Nothing to close."""

    return ClientAppService(
        "true",
        client=client,
        write_bytes=ignore,
        write_str=ignore,
        close=nothing,
        download_manager=DownloadManager(),
    )


async def test_each_app_process_is_told_its_client_address() -> None:
    """The address the server saw reaches the app's environment (throttling per client)."""
    service = app_service("203.0.113.9")
    assert service._build_environment()[CLIENT_ENV] == "203.0.113.9"


async def test_a_spare_process_ends_with_the_environment_of_a_new_one() -> None:
    """Started before its browser with textual-serve's environment (Textual reads it while
    loading), a spare is told the rest when the browser comes: its size and client only."""
    service = app_service("203.0.113.9")
    new = service._build_environment(132, 40)
    started = spare_environment()
    rest = {name: value for name, value in new.items() if started.get(name) != value}
    assert rest == {"COLUMNS": "132", "ROWS": "40", CLIENT_ENV: "203.0.113.9"}
    assert set(started) - set(new) == {SPARE_ENV}


async def test_the_page_asks_no_other_site(server: str) -> None:
    """Everything the page loads comes from the server: its font too, not from Google (the
    page's script, and so the terminal, waited for that request)."""
    status, body = await asyncio.to_thread(status_of, server + "/")
    loads = re.findall(r"""(?:\b(?:href|src)=|url\()\s*["']([^"']+)""", body.decode())
    assert status == 200 and len(loads) >= 4  # the style, the script, the font, the image
    assert all(url.startswith(server + "/static/") for url in loads), loads
    font = server + "/static/fonts/RobotoMono-VariableFont_wght.ttf"
    assert font in loads and (await asyncio.to_thread(status_of, font))[0] == 200


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("203.0.113.9", None, "203.0.113.9"),
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # a far peer cannot name another
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),  # the local proxy's client
        ("::1", "10.0.0.1, 198.51.100.7", "198.51.100.7"),  # only the hop the proxy added
        (None, None, ""),
    ],
)
async def test_behind_a_local_proxy_each_browser_is_its_own_client(
    peer: str | None, forwarded_for: str | None, client: str
) -> None:
    """Throttling per client counts each browser, not the reverse proxy all of them share,
    and nobody else can choose the address they are counted under."""
    assert client_address(peer, forwarded_for) == client
