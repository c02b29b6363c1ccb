"""The render pool starts wherever certify runs, the terminal app included."""

from __future__ import annotations

import io
import sys

import pytest

from certificates.pool import worker_pool


class CapturedStream(io.StringIO):
    """A stream as the terminal app puts in place of stderr: no file behind it."""

    def fileno(self) -> int:
        """No descriptor, as Textual's capture says."""
        return -1


def test_the_pool_starts_under_a_captured_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    """With stderr captured as the terminal app captures it, two workers still start and map
    in order (multiprocessing's resource tracker was handed fd -1: « bad value(s) in
    fds_to_keep », and the demo loaded from the welcome screen signed nothing)."""
    captured = CapturedStream()
    monkeypatch.setattr(sys, "stderr", captured)
    with worker_pool(2, 1) as mapped:
        assert list(mapped(abs, [-3, -1, -2, 5])) == [3, 1, 2, 5]
    assert sys.stderr is captured
