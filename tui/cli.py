"""``certify`` with no command: the terminal UI on the configured database."""

from __future__ import annotations

import argparse
import json
import os

#: Set by ``certify serve`` on an app process it starts before a browser connects: the
#: process loads, then waits for the rest of its environment (the browser's terminal size
#: and address) on one line of stdin, a JSON object, before it runs the app.
SPARE_ENV = "CERTIFY_SERVE_SPARE"


def run(args: argparse.Namespace) -> int:
    """Migrate the database if needed, then run the app in ``args.lang`` until it quits."""
    # Imported here: the entry point is loaded by every certify command, the app by this one.
    from certify.cli.common import open_database
    from tui.app import create_app

    database = open_database(args)
    database.dispose()
    if os.environ.pop(SPARE_ENV, None):
        os.environ.update(browser_environment())
    create_app(database.url, args.lang).run()
    return 0


def browser_environment(stdin: int = 0) -> dict[str, str]:
    """The browser's environment ``certify serve`` sends, read a byte at a time."""
    # A byte at a time: what follows the line is the app's input, read by Textual.
    line = bytearray()
    while not line.endswith(b"\n"):
        byte = os.read(stdin, 1)
        if not byte:  # the server stopped before a browser came
            raise SystemExit(0)
        line += byte
    return {str(name): str(value) for name, value in json.loads(line).items()}
