"""``certify`` with no command: the terminal UI on the configured database."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Migrate the database if needed, then run the app in ``args.lang`` until it quits."""
    # Imported here: the entry point is loaded by every certify command, the app by this one.
    from certify.cli.common import open_database
    from tui.app import create_app

    database = open_database(args)
    database.dispose()
    create_app(database.url, args.lang).run()
    return 0
