"""A file path typed with completion: folders and spreadsheets, completed as you type."""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester

#: File name endings offered for import.
IMPORTABLE = (".csv", ".xlsx", ".yaml", ".yml")


class PathSuggester(Suggester):
    """Completes the last part of a path with a folder (ending in ``/``) or an importable file.

    Right arrow (or End) accepts the grey completion, as in any Textual input.
    """

    def __init__(self, suffixes: tuple[str, ...] = IMPORTABLE) -> None:
        """Offer folders and files ending in one of ``suffixes``; the file system is read
        each time (no cache: files come and go)."""
        super().__init__(use_cache=False, case_sensitive=True)
        #: File name endings offered (lower case).
        self.suffixes = suffixes

    async def get_suggestion(self, value: str) -> str | None:
        """``value`` completed with the first matching name in its folder, if any."""
        if not value:
            return None
        typed = Path(value).expanduser()
        folder, prefix = (typed, "") if value.endswith(os.sep) else (typed.parent, typed.name)
        for name in self.names(folder):
            if name.startswith(prefix) and name != prefix:
                return value + name[len(prefix) :]
        return None

    def names(self, folder: Path) -> list[str]:
        """The folders (with ``/``) then the importable files of ``folder``, sorted."""
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name.casefold())
        except OSError:
            return []
        visible = [entry for entry in entries if not entry.name.startswith(".")]
        folders = [entry.name + os.sep for entry in visible if entry.is_dir()]
        files = [
            entry.name
            for entry in visible
            if entry.is_file() and entry.name.lower().endswith(self.suffixes)
        ]
        return folders + files
