"""Time the terminal UI as a trainer meets it, in a pseudo-terminal of 120 × 40.

1. ``certify --db FILE`` to the sign-in screen (the first interactive screen);
2. from submitting the password to the sessions list;
3. from opening the trainer's newest session with participants to its assessment grid
   on screen (enter, then F6).

``certify --version`` is timed too: the command line's own start-up (importing every
command group) is part of the first figure and not the UI's doing.

Usage: ``python bench/bench_tui.py [--staff 200] [--db FILE] [--runs 3]`` (default: a
fresh demo network of ``--staff`` people in a temporary SQLite file). Targets: the first
screen in under 1 s; an open grid well under a second after the session is chosen.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import date
from pathlib import Path

from certify.demo.certification import load_demo
from certify.services.accounts import authenticate
from certify.services.training import list_sessions
from certify.store.db import Database
from certify.store.schema import upgrade

#: Seconds ``certify`` may take to show its first interactive screen.
TARGET_FIRST_SCREEN = 1.0
#: Reference date of the benchmark's network (fixed: every run generates the same data).
AS_OF = date(2026, 11, 21)
#: What each step waits for on screen (the French interface).
SIGN_IN, SESSIONS, SESSION, GRID = "Nom d'utilisateur", "Nouvelle", "Présences", "Méthode des"
#: Keys: enter, down, F6, ctrl+q.
ENTER, DOWN, F6, QUIT = b"\r", b"\x1b[B", b"\x1b[17~", b"\x11"
#: Escape sequences, removed before looking for text.
ANSI = re.compile(rb"\x1b(\[[0-9;?<>=$ ]*[A-Za-z~]|\][^\x07]*\x07|[()][A-Z0-9]|[=>])")


class Terminal:
    """``certify`` running in a pseudo-terminal, its screen output read as it comes."""

    def __init__(self, database: str) -> None:
        """Start ``certify --db database`` in a 120 × 40 terminal."""
        self._master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "CERTIFY_LANG": "fr"}
        certify = Path(sys.executable).with_name("certify")
        #: The moment ``certify`` was started.
        self.started = time.perf_counter()
        self._process = subprocess.Popen(
            [str(certify), "--db", database],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self._seen = b""

    def wait_for(self, text: str, timeout: float = 60) -> float:
        """Read until ``text`` is drawn; return the moment it was."""
        wanted = text.encode()
        deadline = time.perf_counter() + timeout
        while wanted not in ANSI.sub(b"", self._seen):
            ready, _, _ = select.select([self._master], [], [], deadline - time.perf_counter())
            if not ready:
                raise TimeoutError(f"{text!r} not shown within {timeout} s")
            self._seen = self._seen[-20000:] + os.read(self._master, 65536)
        self._seen = b""
        return time.perf_counter()

    def type(self, data: bytes) -> float:
        """Send keys; return the moment they were sent."""
        os.write(self._master, data)
        return time.perf_counter()

    def close(self) -> None:
        """Quit the app and wait for it."""
        self.type(QUIT)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        os.close(self._master)


def first_with_participants(database: str) -> int:
    """The row, in the trainer's list, of their newest session that has participants."""
    db = Database(f"sqlite:///{database}")
    with db.reading() as session:
        actor = authenticate(session, "formateur", "certify-demo")
        lines = list_sessions(session, actor, today=AS_OF)
    db.dispose()
    return next(row for row, line in enumerate(lines) if line.participants)


def run_once(database: str, row: int) -> tuple[float, float, float]:
    """One session of use: (first screen, sign-in to sessions, session to its grid)."""
    terminal = Terminal(database)
    try:
        first = terminal.wait_for(SIGN_IN) - terminal.started
        terminal.type(b"formateur" + ENTER)
        sent = terminal.type(b"certify-demo" + ENTER)
        sessions = terminal.wait_for(SESSIONS) - sent
        time.sleep(0.3)  # let the list settle before choosing, as a person would
        terminal.type(DOWN * row)
        time.sleep(0.1)
        sent = terminal.type(ENTER)
        terminal.wait_for(SESSION)
        terminal.type(F6)
        grid = terminal.wait_for(GRID) - sent
    finally:
        terminal.close()
    return first, sessions, grid


def core_start() -> float:
    """Seconds ``certify --version`` takes: the command line's own start, before any UI."""
    certify = Path(sys.executable).with_name("certify")
    started = time.perf_counter()
    subprocess.run([str(certify), "--version"], check=True, capture_output=True)
    return time.perf_counter() - started


def demo_file(folder: Path, staff: int) -> str:
    """A demo network of ``staff`` people in an SQLite file of ``folder``."""
    path = folder / "bench.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    load_demo(database, seed=1993, as_of=AS_OF, staff=staff)
    database.dispose()
    return str(path)


def main() -> int:
    """Run the benchmark and print the median of each figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=200, help="staff of the demo network")
    parser.add_argument("--db", help="an existing SQLite file with the demo network")
    parser.add_argument("--runs", type=int, default=3, help="runs (the median is printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.db or demo_file(Path(folder), args.staff)
        row = first_with_participants(database)
        runs = [run_once(database, row) for _ in range(args.runs)]
    first, sessions, grid = (statistics.median(values) for values in zip(*runs, strict=True))
    core = statistics.median(core_start() for _ in range(args.runs))
    print(
        f"certify TUI ({args.db or f'demo, {args.staff} staff'}; median of {args.runs}): "
        f"first screen {first:.2f} s (target < {TARGET_FIRST_SCREEN} s; `certify --version` "
        f"alone takes {core:.2f} s), sign-in to sessions {sessions:.2f} s, "
        f"session to open grid {grid:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
