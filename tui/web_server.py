"""textual-serve's server, hardened for ``certify serve``, and the issuer's site beside it.

Three changes to textual-serve 1.1.x (whose ``Server.handle_websocket`` starts one app
process per websocket, without limit): at most ``max_sessions`` processes at once (more
connections get HTTP 503 before any process starts); each process is told its client's
address (for sign-in throttling per client); ``/static/`` serves files, never lists them.

With a published site (``certify publish``'s folder), every other path is answered from
it, read-only, as the README's web-server setup does; ``/`` stays the app for a browser
and gives the site's ``index.json`` (an issuer Profile at the site's root) to a client
asking for JSON.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from certificates.publication.urls import site_file
from certify.services.sign_in import CLIENT_ENV

log = logging.getLogger("textual-serve")


#: Headers of the site's files: other verifiers read the keys and list; the page is never framed.
SITE_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}
#: Peers trusted to say who their client is: a reverse proxy on this machine.
LOCAL_PROXIES = frozenset({"127.0.0.1", "::1"})


def client_address(peer: str | None, forwarded_for: str | None) -> str:
    """Who is signing in: the peer, or, behind a reverse proxy on this machine, the address
    that proxy appended to ``X-Forwarded-For`` (anything earlier in it may be forged)."""
    if peer in LOCAL_PROXIES and forwarded_for:
        return forwarded_for.split(",")[-1].strip() or peer
    return peer or ""


class ClientAppService(AppService):
    """An app process that knows the address of the browser it serves."""

    def __init__(self, command: str, *, client: str, **options: Any) -> None:
        """Keep the client's address for the environment."""
        super().__init__(command, **options)
        #: The browser's address as the server sees it.
        self.client = client

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

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to print: certify has said where and how it serves."""

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, with ``/static/`` listing nothing."""
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
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
