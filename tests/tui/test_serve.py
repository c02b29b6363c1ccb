"""``certify serve`` without a browser: its options, what it prints, a port already taken."""

from __future__ import annotations

import os
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from textual_serve.server import Server

from certify.access.permissions import Actor
from certify.cli import ERROR, build_parser, main
from certify.demo.certification import DEMO_PASSWORD
from certify.services.accounts import create_account
from certify.store.config import DATABASE_URL_ENV
from certify.store.db import Database
from certify.store.schema import upgrade
from tests.factories import MiniNetwork
from tui import serve
from tui.serve import LANG_ENV, SECURITY_NOTICE, banner, default_public_url, is_loopback


def test_serve_listens_on_loopback_port_8000_unless_told() -> None:
    """The defaults keep the server on this machine."""
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.public_url) == ("127.0.0.1", 8000, None)
    assert args.func is serve.serve_command


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_hosts(host: str) -> None:
    """Addresses of this machine only count as loopback."""
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "no-such-host.invalid"])
def test_other_hosts_are_not_loopback(host: str) -> None:
    """Every interface, a LAN address, or a name that does not resolve: not loopback."""
    assert not is_loopback(host)


def test_loopback_banner_says_where_and_what_protects_it() -> None:
    """Where to point the browser, the database, the security notice; no warning."""
    text = banner("http://127.0.0.1:8000", "sqlite:////tmp/certify.db", "127.0.0.1", "en")
    assert "open http://127.0.0.1:8000 in a web browser" in text
    assert "database: sqlite:////tmp/certify.db" in text
    assert SECURITY_NOTICE.en in text
    assert "WARNING" not in text


def test_the_banner_speaks_french() -> None:
    """In French: where to point the browser, the database, the notice; no English."""
    text = banner("http://0.0.0.0:8000", "sqlite:////tmp/certify.db", "0.0.0.0", "fr")
    assert "certify serve\u00a0: ouvrez http://0.0.0.0:8000 dans un navigateur web" in text
    assert "base\u00a0: sqlite:////tmp/certify.db" in text
    assert "ATTENTION\u00a0: écoute sur 0.0.0.0, qui n'est pas la boucle locale" in text
    assert SECURITY_NOTICE.fr in text and "WARNING" not in text and "Press" not in text


def test_non_loopback_host_is_warned_about() -> None:
    """Listening on every interface says plainly who can reach the sign-in, and what to do."""
    text = banner("http://0.0.0.0:8000", "sqlite:////tmp/certify.db", "0.0.0.0", "en")
    assert "WARNING: listening on 0.0.0.0, which is not loopback" in text
    assert "authenticating HTTPS reverse proxy" in text
    assert SECURITY_NOTICE.en in text


class Served:
    """Stands in for textual-serve's ``Server.serve``: records what would be served."""

    def __init__(self) -> None:
        """Nothing served yet."""
        #: The servers asked to serve.
        self.servers: list[Any] = []
        #: The database URL and language the app processes would inherit.
        self.environment: tuple[str | None, str | None] = (None, None)

    def record(self, server: Any) -> None:
        """Record ``server`` and the environment its app processes would start with."""
        self.servers.append(server)
        self.environment = (os.environ.get(DATABASE_URL_ENV), os.environ.get(LANG_ENV))


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Served:
    """``Server.serve`` recorded, not run; the environment restored after the test."""
    recorder = Served()
    monkeypatch.setattr(Server, "serve", lambda server, debug=False: recorder.record(server))
    for name in (DATABASE_URL_ENV, LANG_ENV):  # set, so that they are restored (or removed)
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return recorder


def test_each_connection_runs_bare_certify_on_the_same_database_and_language(
    tmp_path: Path, served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    """The database is migrated first; app processes get its URL and the language."""
    database = tmp_path / "network.db"
    code = main(["--db", str(database), "--lang", "en", "serve", "--port", "0"])
    assert code == 0
    [server] = served.servers
    assert shlex.split(server.command) == [sys.executable, "-m", "certify"]
    assert (server.host, server.port, server.title) == ("127.0.0.1", 0, "certify")
    assert server.public_url == "http://127.0.0.1:0"
    assert served.environment == (f"sqlite:///{database.resolve()}", "en")
    assert database.exists()
    out = capsys.readouterr().out
    assert "open http://127.0.0.1:0 in a web browser" in out
    assert "no authentication of its own beyond certify's sign-in" in out


def test_public_url_is_what_browsers_are_sent_to(tmp_path: Path, served: Served) -> None:
    """Behind a proxy the page's websocket points at the proxy's address."""
    args = ["--db", str(tmp_path / "n.db"), "serve", "--port", "0"]
    assert main([*args, "--public-url", "https://certify.example.org"]) == 0
    assert served.servers[0].public_url == "https://certify.example.org"


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_every_interface_is_announced_by_the_machine_name(host: str) -> None:
    """A browser cannot open 0.0.0.0: the page (and its websocket) names this machine."""
    assert default_public_url(host, 8000) == f"http://{socket.gethostname()}:8000"


def test_ipv6_addresses_are_bracketed() -> None:
    """An IPv6 address in a URL goes in brackets."""
    assert default_public_url("::1", 8000) == "http://[::1]:8000"


def serve_on_taken_port(folder: Path, lang: str, host: str = "127.0.0.1") -> tuple[int, int]:
    """Run ``certify serve`` on a port another socket listens on: exit status, port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.create_server((host, 0), family=family) as taken:
        port = taken.getsockname()[1]
        args = ["--db", str(folder / "n.db"), "--lang", lang, "serve", "--host", host]
        return main([*args, "--port", str(port)]), port


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "port {port} is already in use on {host}: choose another with --port"),
        (
            "fr",
            "le port {port} est déjà utilisé sur {host}\u00a0: choisissez-en un autre avec --port",
        ),
    ],
)
@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_a_port_in_use_is_one_clear_line(
    tmp_path: Path,
    served: Served,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    message: str,
    host: str,
) -> None:
    """Nothing is served; one line, in the user's language, names the port and the option."""
    code, port = serve_on_taken_port(tmp_path, lang, host)
    assert code == 1 and served.servers == []
    out, err = capsys.readouterr()
    assert err == f"{ERROR.in_(lang)}{message.format(port=port, host=host)}\n"
    assert out == ""


def network_with_account(path: Path, password: str) -> None:
    """A small network whose admin ``alice`` signs in with ``password``."""
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    with database.transaction() as session:
        alice = MiniNetwork.build(session).person("Alice", "Durand")
        session.flush()
        create_account(session, Actor.system(), alice.id, "alice", password)
    database.dispose()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "accounts still have the demo password (alice): change it with"),
        ("fr", "des comptes ont encore le mot de passe de démonstration (alice)\u00a0: changez-le"),
    ],
)
def test_serve_refuses_accounts_with_the_demo_password(
    tmp_path: Path, served: Served, capsys: pytest.CaptureFixture[str], lang: str, message: str
) -> None:
    """Whoever reaches the address could sign in with the published password: not served."""
    network_with_account(tmp_path / "n.db", DEMO_PASSWORD)
    assert main(["--db", str(tmp_path / "n.db"), "--lang", lang, "serve", "--port", "0"]) == 1
    assert served.servers == []
    out, err = capsys.readouterr()
    assert err.startswith(f"{ERROR.in_(lang)}{message}") and "--demo" in err
    assert err.count("\n") == 1 and out == ""


def test_serve_demo_serves_it_with_a_warning(
    tmp_path: Path, served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--demo``: served, saying which accounts open with the known password."""
    network_with_account(tmp_path / "n.db", DEMO_PASSWORD)
    assert main(["--db", str(tmp_path / "n.db"), "serve", "--demo", "--port", "0"]) == 0
    assert len(served.servers) == 1
    assert (
        "ATTENTION\u00a0: --demo\u00a0: les comptes alice ont le mot de passe de démonstration"
        in (capsys.readouterr().out)
    )
    assert (
        main(["--db", str(tmp_path / "n.db"), "--lang", "en", "serve", "--demo", "--port", "0"])
        == 0
    )
    assert "WARNING: --demo: the accounts alice have the published demo password" in (
        capsys.readouterr().out
    )


def test_serve_starts_once_the_demo_password_is_changed(
    tmp_path: Path, served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    """Accounts with passwords of their own: served, no demo warning."""
    network_with_account(tmp_path / "n.db", "a-password-of-her-own")
    assert main(["--db", str(tmp_path / "n.db"), "serve", "--port", "0"]) == 0
    assert len(served.servers) == 1 and "--demo" not in capsys.readouterr().out
