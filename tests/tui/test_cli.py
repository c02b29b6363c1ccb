"""Bare ``certify`` opens the terminal UI on the chosen database, migrated, in the language
asked."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from certify.cli import build_parser, interactive
from tui import i18n
from tui.app import CertifyApp
from tui.cli import browser_environment, run


def test_bare_certify_runs_the_terminal_ui() -> None:
    """The ``certify.interactive`` entry point names the UI, and the parser defaults to it."""
    assert interactive() is run
    assert build_parser().parse_args([]).func is run


def test_run_migrates_then_opens_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new file is migrated (so the welcome can check it) and the app opened in English."""
    opened: list[CertifyApp] = []
    monkeypatch.setattr(CertifyApp, "run", lambda app: opened.append(app))
    assert run(argparse.Namespace(db=str(tmp_path / "new.db"), lang="en")) == 0
    [app] = opened
    assert app.backend.is_empty() and i18n.language() == "en"
    i18n.use_language("fr")


def test_a_spare_process_reads_its_browser_environment_and_no_more() -> None:
    """``certify serve``'s line for a spare is read up to its end: the app's input follows."""
    read, write = os.pipe()
    with os.fdopen(read, "rb", buffering=0) as reader, os.fdopen(write, "wb", 0) as writer:
        writer.write(b'{"COLUMNS": "132", "CERTIFY_CLIENT": "203.0.113.9"}\nD\x00')
        told = browser_environment(reader.fileno())
        assert told == {"COLUMNS": "132", "CERTIFY_CLIENT": "203.0.113.9"}
        assert reader.read(100) == b"D\x00"
        writer.close()
        with pytest.raises(SystemExit):  # the server stopped before a browser came
            browser_environment(reader.fileno())
