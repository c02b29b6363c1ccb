"""What every command needs: the database it was pointed at, upgraded if older."""

from __future__ import annotations

import argparse
import sys

from certify.config import database_url
from certify.db import Database
from certify.schema import upgrade


def open_database(args: argparse.Namespace, *, migrate: bool = True) -> Database:
    """Open the chosen database; bring an older schema up to date (announcing any backup)."""
    database = Database(database_url(args.db))
    if migrate:
        backup = upgrade(database)
        if backup is not None:
            print(f"database upgraded; backup of the previous file: {backup}", file=sys.stderr)
    return database
