"""Time ``certify serve`` in headless Chromium: from page load to a sign-in form that takes keys.

Starts ``certify serve --demo`` on a fresh demo network (``certify demo`` in a temporary
folder, its own key ring there too), then, for ``--runs`` page loads, each ``--pause``
seconds after the server started listening or the previous load (the server starts the
next browser's app process meanwhile: ``--pause 0`` times browsers that come faster), each
in a fresh browser context (an empty cache, as a first visit), times from ``page.goto`` to:

- **terminal**: the page's terminal exists (xterm's text area: keys typed from now reach
  the page);
- **form**: the sign-in form drawn (« Connexion à certify » and « Mot de passe » sent to
  the terminal);
- **name**: the user name, typed without pause (Playwright's ``keyboard.type``) the moment
  the terminal exists, drawn whole in its field;
- **first key**: a probe key (``#``, typed every 100 ms once the form is drawn) drawn in
  the field: the moment the form takes keys at all.

The keys typed at load were dropped when the field, once the probe shows, holds anything
but the whole name. The terminal's text is what the page's websocket receives, escape
sequences removed (as tests/test_serve_browser.py reads it).

Usage: ``python -m bench.bench_browser [--runs 5] [--staff 200]``. Needs Debian's Chromium
(/usr/bin/chromium). Target: the name in its field under 3 s, no keystroke dropped.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, WebSocket, sync_playwright

from certificates.keys import KEYS_DIR_ENV
from tests.browser import CHROMIUM, CHROMIUM_FLAGS

#: Seconds from page load the name may take to be drawn in its field.
TARGET = 3.0
#: Seconds to wait for anything before giving up on a run.
PATIENCE = 30.0
#: The user name typed at load (a demo account).
USERNAME = "conseiller"
#: The probe key: drawn nowhere on the sign-in form but in its field.
PROBE = "#"
#: Escape sequences in the terminal stream (CSI, OSC, charset and keypad modes).
ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)
#: What the field holds when the probe shows: the characters typed before it.
FIELD = re.compile(rf"([^\s{PROBE}]*){PROBE}+")


@dataclass(frozen=True)
class Load:
    """One page load's figures, in seconds from ``page.goto``."""

    #: The page's terminal exists.
    terminal: float
    #: The sign-in form drawn.
    form: float
    #: The first probe key drawn in the field.
    first_key: float
    #: The whole name drawn in its field (``None``: keys were dropped).
    name: float | None
    #: What the field held before the probe (the name, unless keys were dropped).
    field: str


class Terminal:
    """What the page's terminal receives, as it comes."""

    def __init__(self) -> None:
        """Nothing received yet."""
        #: The terminal's text so far, escape sequences removed.
        self.text = ""
        self._bytes = bytearray()

    def listen(self, websocket: WebSocket) -> None:
        """Keep the terminal output (binary frames) the app sends."""
        websocket.on("framereceived", self.keep)

    def keep(self, payload: str | bytes) -> None:
        """Append a binary frame; text frames are textual-serve's own messages."""
        if isinstance(payload, bytes):
            self._bytes += payload
            self.text = ESCAPES.sub(b"", bytes(self._bytes)).decode("utf-8", "replace")


def load_once(browser: Browser, url: str) -> Load:
    """Open the page in a fresh context, type the name at once, probe, time it all."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        terminal = Terminal()
        page.on("websocket", terminal.listen)
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(".xterm-helper-textarea", state="attached")
        seen = {"terminal": time.perf_counter() - started}
        page.focus(".xterm-helper-textarea")
        page.keyboard.type(USERNAME)
        deadline = started + PATIENCE
        next_probe, form_text = 0.0, 0
        while "first key" not in seen:
            now = time.perf_counter()
            if now > deadline:
                raise TimeoutError(f"nothing accepted in {PATIENCE} s:\n{terminal.text[-2000:]}")
            text = terminal.text
            if "name" not in seen and USERNAME in text:
                seen["name"] = now - started
            if "form" not in seen and "Connexion à certify" in text and "Mot de passe" in text:
                seen["form"] = now - started
                form_text = len(text)
            if "form" in seen:
                if PROBE in text[form_text:]:
                    seen["first key"] = now - started
                elif now >= next_probe:
                    page.keyboard.type(PROBE)
                    next_probe = now + 0.1
            page.wait_for_timeout(10)
        fields = FIELD.findall(terminal.text[form_text:])
        field = fields[-1] if fields else ""
        name = seen.get("name") if field == USERNAME else None
        return Load(seen["terminal"], seen["form"], seen["first key"], name, field)
    finally:
        context.close()


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(folder: Path, staff: int) -> tuple[subprocess.Popen[bytes], str]:
    """``certify serve --demo`` on a fresh demo network of ``staff`` people; its URL."""
    database = ["--db", str(folder / "certify.db"), "--lang", "fr"]
    environment = {**os.environ, KEYS_DIR_ENV: str(folder / "keys")}
    certify = [sys.executable, "-m", "certify", *database]
    demo = [*certify, "demo", "--staff", str(staff)]
    subprocess.run(demo, check=True, capture_output=True, env=environment)
    port = free_port()
    log = (folder / "serve.log").open("wb")
    process = subprocess.Popen(
        [*certify, "serve", "--demo", "--port", str(port)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + PATIENCE
    while process.poll() is None and time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"certify serve did not start:\n{(folder / 'serve.log').read_text()}")


def summary(values: Sequence[float]) -> str:
    """First run and median, in seconds."""
    return f"first {values[0]:5.2f} s, median {statistics.median(values):5.2f} s"


def main(argv: Sequence[str] | None = None) -> int:
    """Serve, load the page ``--runs`` times, print first run and median of each figure."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="page loads (default 5)")
    parser.add_argument("--staff", type=int, default=200, help="staff of the demo network")
    parser.add_argument(
        "--pause", type=float, default=2.0, help="seconds before each page load (default 2)"
    )
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"needs Debian's chromium at {CHROMIUM} (apt install chromium)", file=sys.stderr)
        return 2
    loads: list[Load] = []
    with tempfile.TemporaryDirectory() as folder:
        process, url = serve(Path(folder), args.staff)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
                )
                for _run in range(args.runs):
                    time.sleep(args.pause)
                    loads.append(load_once(browser, url))
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=15)
    print(
        f"certify serve, demo network of {args.staff} staff: {args.runs} page loads, each "
        f"{args.pause:g} s after the server's start or the previous load"
    )
    print(f"  terminal on the page:              {summary([x.terminal for x in loads])}")
    print(f"  sign-in form drawn:                {summary([x.form for x in loads])}")
    print(f"  first probe key drawn in the form: {summary([x.first_key for x in loads])}")
    names = [x.name for x in loads if x.name is not None]
    dropped = [x for x in loads if x.name is None]
    if names:
        print(f"  name typed at load, drawn whole:   {summary(names)} ({len(names)} runs)")
    print(
        f"  keystrokes dropped: in {len(dropped)} of {len(loads)} runs"
        + "".join(f"; field held {x.field!r}" for x in dropped)
    )
    print(f"  (every figure from page.goto; target: the name drawn whole under {TARGET} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
