"""Handing a thread worker's result to the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.worker import get_current_worker


def deliver(app: App[Any], callback: Callable[..., object], *args: Any) -> None:
    """From a thread worker: run ``callback(*args)`` on the UI thread, unless the worker
    was cancelled meanwhile (a newer read of the same group replaced it)."""
    if not get_current_worker().is_cancelled:
        app.call_from_thread(callback, *args)
