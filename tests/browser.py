"""Headless Chromium for the browser tests: Debian's, on a closed network, a fresh profile."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, sync_playwright

#: Debian's Chromium (package chromium; .ci/run installs it).
CHROMIUM = Path("/usr/bin/chromium")
#: Flags for a closed network: no background connections, a fresh profile per run.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> Path:
    """Chromium's path; without it, skip (fail in CI, which must install it)."""
    if CHROMIUM.exists():
        return CHROMIUM
    reason = f"browser tests need Debian's chromium at {CHROMIUM} (apt install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def headless_chromium(profile: Path, **options: Any) -> Iterator[BrowserContext]:
    """Headless Chromium with a fresh profile in ``profile``, opened with Playwright's
    ``options`` (viewport, downloads…), closed after."""
    path = chromium()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(path),
            headless=True,
            args=CHROMIUM_FLAGS,
            **options,
        )
        try:
            yield context
        finally:
            context.close()
