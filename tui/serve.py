"""``certify serve``: the same app in a web browser, one app process per connection.

textual-serve runs bare ``certify`` (the terminal UI) for each browser that connects and
streams its screen to xterm.js; the app knows it is in a browser (``app.is_web``) and
saves files with ``deliver_binary``. The server has no authentication of its own: only
certify's sign-in stands between whoever reaches the address and the network's records.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import shlex
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from certify.cli.language import Say
from certify.errors import CertifyError
from certify.rules.wording import Lang, Wording
from certify.store.config import DATABASE_URL_ENV

if TYPE_CHECKING:
    from certify.store.db import Database

#: Address listened on unless told: this machine only.
DEFAULT_HOST = "127.0.0.1"
#: Hosts meaning every interface of this machine.
WILDCARDS = frozenset({"0.0.0.0", "::", ""})
#: Port listened on unless told.
DEFAULT_PORT = 8000
#: Browser sessions (app processes) served at once unless told.
DEFAULT_MAX_SESSIONS = 8
#: Environment variable holding the interface language (read by ``certify``'s options).
LANG_ENV = "CERTIFY_LANG"

#: Printed at every start: what protects the served app, and what does not.
SECURITY_NOTICE = Wording(
    "certify serve n'a pas d'authentification à lui au-delà de la connexion de certify\u00a0: "
    "quiconque atteint cette adresse voit l'écran de connexion, et chaque connexion lance un "
    "processus certify. Gardez-le sur la boucle locale (127.0.0.1) ou derrière un proxy HTTPS "
    "qui authentifie.",
    "certify serve has no authentication of its own beyond certify's sign-in: anyone who "
    "can reach this address gets the sign-in screen, and each connection starts a certify "
    "process. Keep it on loopback (127.0.0.1) or behind an authenticating HTTPS proxy.",
)


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``serve``."""
    serve = commands.add_parser(
        "serve",
        help=say("l'application dans un navigateur web", "serve the app in a web browser"),
        description=say(
            "Servir l'interface du terminal dans un navigateur web (textual-serve)\u00a0: chaque "
            "connexion d'un navigateur lance certify sur la même base, dans la même langue, dans "
            "un processus à elle. Pas d'authentification au-delà de la connexion de certify\u00a0: "
            "écoutez sur la boucle locale, ou placez devant un proxy inverse HTTPS qui "
            "authentifie.",
            "Serve the terminal UI in a web browser (textual-serve): each browser connection "
            "runs certify on the same database, in the same language, in a process of its "
            "own. No authentication beyond certify's sign-in: listen on loopback, or put an "
            "authenticating HTTPS reverse proxy in front.",
        ),
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar=say("HÔTE", "HOST"),
        help=say(
            f"adresse d'écoute (par défaut {DEFAULT_HOST}\u00a0: cette machine seulement)",
            f"address to listen on (default {DEFAULT_HOST}: this machine only)",
        ),
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=say(f"port (par défaut {DEFAULT_PORT})", f"port (default {DEFAULT_PORT})"),
    )
    serve.add_argument(
        "--max-sessions",
        type=int,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=say(
            "sessions de navigateur servies à la fois, chacune un processus (par défaut "
            f"{DEFAULT_MAX_SESSIONS})\u00a0; les suivantes sont refusées jusqu'à ce qu'une se "
            "ferme",
            f"browser sessions served at once, each a process (default {DEFAULT_MAX_SESSIONS}); "
            "more are refused until one closes",
        ),
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help=say(
            "servir bien que des comptes aient encore le mot de passe de démonstration (pour une "
            "démonstration seulement)",
            "serve although accounts still have the demo password (a demonstration only)",
        ),
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help=say(
            "l'adresse qu'ouvrent les navigateurs, par exemple l'adresse https:// du proxy "
            "inverse (par défaut\u00a0: http://HÔTE:PORT)",
            "the address browsers open, e.g. the https:// address of the reverse proxy "
            "(default: http://HOST:PORT)",
        ),
    )
    serve.add_argument(
        "--site",
        metavar=say("DOSSIER", "DIR"),
        type=Path,
        help=say(
            "servir aussi, en lecture seule, le site de l'émetteur que certify publish a écrit "
            "dans DOSSIER (la page de vérification qu'ouvrent les QR codes, les clés et la liste "
            "de révocation de l'émetteur)",
            "also serve, read-only, the issuer's site that certify publish wrote in DIR "
            "(the verification page the QR codes open, the issuer's keys and status list)",
        ),
    )
    serve.set_defaults(func=serve_command)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (every address it resolves to is loopback)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(found) and all(ipaddress.ip_address(row[4][0]).is_loopback for row in found)


def default_public_url(host: str, port: int) -> str:
    """``http://HOST:PORT`` (IPv6 in brackets; this machine's name for every interface)."""
    if host in WILDCARDS:
        host = socket.gethostname()
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def check_port_free(host: str, port: int) -> None:
    """Fail in one line now if ``host``:``port`` cannot be listened on."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.create_server((host, port), family=family):
            pass
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CertifyError(
                f"le port {port} est déjà utilisé sur {host}\u00a0: choisissez-en un autre "
                "avec --port",
                f"port {port} is already in use on {host}: choose another with --port",
            ) from error
        raise cannot_listen(host, port, error) from error


def cannot_listen(host: str, port: int, error: OSError) -> CertifyError:
    """The one-line error for an address that cannot be listened on."""
    reason = error.strerror or str(error)
    return CertifyError(
        f"impossible d'écouter sur {host}:{port}\u00a0: {reason}",
        f"cannot listen on {host}:{port}: {reason}",
    )


def accounts_with_demo_password(database: Database) -> list[str]:
    """The active accounts the demo's published password still opens."""
    from certify.demo.certification import DEMO_PASSWORD
    from certify.services.accounts import accounts_opened_by

    with database.reading() as session:
        return accounts_opened_by(session, DEMO_PASSWORD)


def _named(usernames: list[str]) -> str:
    """A few user names, and how many more."""
    shown = ", ".join(usernames[:4])
    return shown + (f" (+{len(usernames) - 4})" if len(usernames) > 4 else "")


def demo_refused(usernames: list[str]) -> CertifyError:
    """The error for serving accounts anyone can open with the demo's password."""
    names = _named(usernames)
    return CertifyError(
        f"des comptes ont encore le mot de passe de démonstration ({names})\u00a0: changez-le avec "
        "«\u00a0certify user passwd NOM\u00a0», ou servez une démonstration avec --demo",
        f"accounts still have the demo password ({names}): change it with "
        "'certify user passwd NAME', or serve a demonstration with --demo",
    )


def demo_warning(usernames: list[str], lang: Lang) -> str:
    """Printed when serving a demonstration: who can sign in with the known password."""
    names = _named(usernames)
    return Say(lang)(
        f"ATTENTION\u00a0: --demo\u00a0: les comptes {names} ont le mot de passe de "
        "démonstration publié\u00a0; quiconque atteint cette adresse peut s'y connecter.",
        f"WARNING: --demo: the accounts {names} have the published demo password; "
        "anyone who reaches this address can sign in to them.",
    )


def app_command() -> str:
    """The shell command textual-serve runs per connection: bare certify, this Python."""
    return shlex.join([sys.executable, "-m", "certify"])


def banner(url: str, display_url: str, host: str, lang: Lang) -> str:
    """What is printed on start, in ``lang``: where, on which database, the security warnings."""
    say = Say(lang)
    lines = [
        say(
            f"certify serve\u00a0: ouvrez {url} dans un navigateur web",
            f"certify serve: open {url} in a web browser",
        ),
        say(f"base\u00a0: {display_url}", f"database: {display_url}"),
    ]
    if not is_loopback(host):
        lines.append(
            say(
                f"ATTENTION\u00a0: écoute sur {host}, qui n'est pas la boucle locale\u00a0: "
                "quiconque l'atteint voit l'écran de connexion de certify, en HTTP simple (mots "
                "de passe lisibles sur le réseau). Placez devant un proxy inverse HTTPS qui "
                f"authentifie, ou utilisez --host {DEFAULT_HOST}.",
                f"WARNING: listening on {host}, which is not loopback: anyone who can reach it "
                "gets certify's sign-in screen, over plain HTTP (passwords readable on the "
                "network). Put an authenticating HTTPS reverse proxy in front, or use "
                f"--host {DEFAULT_HOST}.",
            )
        )
    lines += [
        SECURITY_NOTICE.in_(lang),
        say("Appuyez sur Ctrl+C pour arrêter.", "Press Ctrl+C to stop."),
    ]
    return "\n".join(lines)


def serve_command(args: argparse.Namespace) -> int:
    """Migrate the database once, then serve certify until interrupted."""
    from certify.cli.common import open_database  # the web server is loaded by this command only

    database = open_database(args)
    try:
        demo_accounts = accounts_with_demo_password(database)
    finally:
        database.dispose()
    if demo_accounts and not args.demo:
        raise demo_refused(demo_accounts)
    if args.max_sessions < 1:
        raise CertifyError(
            "--max-sessions doit valoir au moins 1", "--max-sessions must be at least 1"
        )
    check_port_free(args.host, args.port)
    url = args.public_url or default_public_url(args.host, args.port)
    # The app processes inherit the environment: the URL (which may hold a password)
    # travels there rather than on a command line anyone on the machine can read.
    os.environ[DATABASE_URL_ENV] = database.url
    os.environ[LANG_ENV] = args.lang
    print(banner(url, database.display_url, args.host, args.lang), flush=True)
    if demo_accounts:
        print(demo_warning(demo_accounts, args.lang), flush=True)
    if args.site is not None and not (args.site / "verifier").is_dir():
        raise CertifyError(
            f"--site {args.site}\u00a0: aucun site publié ici (certify publish --out {args.site})",
            f"--site {args.site}: no published site there (certify publish --out {args.site})",
        )
    server = _server(args.host, args.port, url, args.max_sessions, args.site)
    try:
        server.serve()
    except OSError as error:  # lost the port between the check and the start
        raise cannot_listen(args.host, args.port, error) from error
    return 0


def _server(
    host: str, port: int, public_url: str, max_sessions: int, site: Path | None = None
) -> Any:
    """A textual-serve server running bare certify per connection, titled certify, and the
    published ``site`` beside it."""
    from tui.web_server import CertifyServer  # aiohttp is loaded by this command only

    return CertifyServer(
        app_command(),
        host=host,
        port=port,
        title="certify",
        public_url=public_url,
        max_sessions=max_sessions,
        site=site,
    )
