"""Files written whole or not at all: nothing half-written, no temporary left behind."""

from __future__ import annotations

import os
from pathlib import Path

#: Mode of a file anyone on the machine may read (the umask still applies).
SHARED = 0o666
#: Mode of a file its owner only may read: keys, the issuer's settings.
PRIVATE = 0o600


def write_new(path: Path, data: bytes, mode: int = PRIVATE) -> None:
    """Create ``path`` with ``mode`` from the start (refused if it exists); if writing
    ``data`` fails, the file is removed."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes, mode: int = SHARED) -> None:
    """Replace ``path`` by ``data`` through a temporary file beside it, renamed when whole;
    on any failure the temporary is removed and ``path`` is left as it was."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    write_new(temporary, data, mode)
    try:
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
