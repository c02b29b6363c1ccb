"""textual-serve's server, hardened for ``certify serve``, and the issuer's site beside it.

Three changes to textual-serve 1.1.x (whose ``Server.handle_websocket`` starts one app
process per websocket, without limit): at most ``max_sessions`` processes at once (more
connections get HTTP 503 before any process starts); each process is told its client's
address (for sign-in throttling per client); ``/static/`` serves files, never lists them.

Three for speed: the next browser's app process is started before it connects (a spare:
it loads while nobody waits, then is told its browser's terminal size and address); the
page's font comes from ``/static/`` rather than from Google (the terminal waited for
that request); keys typed while the page's websocket connects are sent once it opens.

With a published site (``certify publish``'s folder), every other path is answered from
it, read-only, as the README's web-server setup does; ``/`` stays the app for a browser
and gives the site's ``index.json`` (an issuer Profile at the site's root) to a client
asking for JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import shlex
from asyncio.subprocess import PIPE, Process
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from certificates.publication.urls import site_file
from certify.services.sign_in import CLIENT_ENV
from tui.cli import SPARE_ENV

log = logging.getLogger("textual-serve")


#: Headers of the site's files: other verifiers read the keys and list; the page is never framed.
SITE_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}
#: Peers trusted to say who their client is: a reverse proxy on this machine.
LOCAL_PROXIES = frozenset({"127.0.0.1", "::1"})
#: textual-serve's page asks Google for its font, and its script waits for that stylesheet:
#: without Google (a closed network, a slow DNS) the terminal waited for the request to
#: fail, and every page load told Google who opened it. The font is in ``/static/``.
GOOGLE_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>")
LOCAL_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf");
      }
    </style>"""
#: xterm sends each key as it is typed, and a websocket still connecting refuses to send:
#: keys typed as the terminal appears were lost. They are sent once it opens, in order.
KEEP_EARLY_KEYS = """<script>
      (() => {
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (data) {
          if (this.readyState !== WebSocket.CONNECTING) return send.call(this, data);
          this.addEventListener("open", () => send.call(this, data), { once: true });
        };
      })();
    </script>
  </head>"""


def page_template(templates: Path) -> str:
    """textual-serve's page, its font from ``/static/``, keys typed early kept."""
    page = (templates / "app_index.html").read_text(encoding="utf-8")
    page, fonts = GOOGLE_FONT.subn(lambda _: LOCAL_FONT, page)
    page, heads = re.subn("</head>", lambda _: KEEP_EARLY_KEYS, page)
    if (fonts, heads) != (1, 1):
        raise RuntimeError("textual-serve's page has changed: review tui/web_server.py")
    return page


def spare_environment() -> dict[str, str]:
    """textual-serve's app environment (Textual reads it as it loads), told to wait."""
    return {
        **os.environ,
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "TEXTUAL_FPS": "60",
        "TEXTUAL_COLOR_SYSTEM": "truecolor",
        "TERM_PROGRAM": "textual",
        "TERM_PROGRAM_VERSION": version("textual-serve"),
        SPARE_ENV: "1",
    }


def client_address(peer: str | None, forwarded_for: str | None) -> str:
    """Who is signing in: the peer, or, behind a reverse proxy on this machine, the address
    that proxy appended to ``X-Forwarded-For`` (anything earlier in it may be forged)."""
    if peer in LOCAL_PROXIES and forwarded_for:
        return forwarded_for.split(",")[-1].strip() or peer
    return peer or ""


class ClientAppService(AppService):
    """An app process that knows the address of the browser it serves."""

    def __init__(
        self, command: str, *, client: str, spare: Process | None = None, **options: Any
    ) -> None:
        """Keep the client's address for the environment, and the ``spare`` process to use."""
        super().__init__(command, **options)
        #: The browser's address as the server sees it.
        self.client = client
        #: An app process started before the browser connected (``None``: start one).
        self.spare = spare

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        """The spare, told the rest of its environment (size, client); else a new process."""
        spare = self.spare
        if spare is None or spare.returncode is not None or spare.stdin is None:
            return await super()._open_app_process(width, height)
        started = spare_environment()
        environment = self._build_environment(width, height).items()
        rest = {name: value for name, value in environment if started.get(name) != value}
        spare.stdin.write(json.dumps(rest).encode() + b"\n")
        self._process, self._stdin = spare, spare.stdin
        return spare

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        """textual-serve's environment, with the client's address."""
        return {**super()._build_environment(width, height), CLIENT_ENV: self.client}


class CertifyServer(Server):
    """textual-serve with a cap on sessions, the client's address, no directory listing."""

    def __init__(
        self, command: str, *, max_sessions: int, site: Path | None = None, **options: Any
    ) -> None:
        """Serve ``command`` per connection, at most ``max_sessions`` at once, and the
        published ``site`` (if any) beside it."""
        super().__init__(command, **options)
        #: The folder ``certify publish`` wrote, served read-only (``None``: no site).
        self.site = site
        #: Sessions served at once, at most.
        self.max_sessions = max_sessions
        #: Sessions being served.
        self.sessions = 0
        #: The next browser's app process, being started (``None`` before the server runs).
        self.spare: asyncio.Task[Process] | None = None

    async def on_startup(self, app: web.Application) -> None:
        """Start the first browser's app process (certify has said where and how it serves)."""
        self.start_spare()

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop the app process no browser took."""
        spare, self.spare = self.spare, None
        if spare is not None:
            process = await spare
            if process.returncode is None:
                process.terminate()
                await process.wait()

    def start_spare(self) -> None:
        """Start the next browser's app process now, without a shell (stopping it stops it)."""
        self.spare = asyncio.ensure_future(
            asyncio.create_subprocess_exec(
                *shlex.split(self.command),
                stdin=PIPE,
                stdout=PIPE,
                stderr=PIPE,
                env=spare_environment(),
            )
        )

    async def take_spare(self) -> Process | None:
        """The spare app process for a browser that connects; the next one is started."""
        spare, self.spare = self.spare, None
        self.start_spare()
        return None if spare is None else await spare

    async def _make_app(self) -> web.Application:
        """textual-serve's routes and :func:`page_template`, ``/static/`` listing nothing."""
        app = web.Application()
        page = page_template(Path(self.templates_path))
        aiohttp_jinja2.setup(app, loader=jinja2.DictLoader({"app_index.html": page}))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_session, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
                web.get("/{path:.+}", self.handle_site_file, name="site"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_index(self, request: web.Request) -> Any:
        """The app's page; the site's ``index.json`` to a client that asks for JSON only."""
        accepted = request.headers.get("Accept", "")
        if self.site is not None and "json" in accepted and "html" not in accepted:
            return await self.handle_site_file(request)
        return await super().handle_index(request)

    async def handle_site_file(self, request: web.Request) -> web.StreamResponse:
        """The published site's file answering the request's path; 404 without one."""
        found = site_file(self.site, request.path) if self.site is not None else None
        if found is None:
            raise web.HTTPNotFound(text="404: Not Found")
        return web.FileResponse(found, headers=SITE_HEADERS)

    async def handle_session(self, request: web.Request) -> web.StreamResponse:
        """One app process for this browser, if fewer than ``max_sessions`` run."""
        if self.sessions >= self.max_sessions:
            return web.Response(
                status=503,
                text=f"certify serve: {self.max_sessions} sessions already open, try later",
            )
        self.sessions += 1
        try:
            return await self._serve_session(request)
        finally:
            self.sessions -= 1

    async def _serve_session(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's ``handle_websocket``, its process told the client's address."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            app_service = ClientAppService(
                self.command,
                client=client_address(request.remote, request.headers.get("X-Forwarded-For")),
                spare=await self.take_spare(),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if app_service is not None:
                await app_service.stop()
        return websocket
