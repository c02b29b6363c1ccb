"""Staff files as French Excel writes them, and driving the import screen to a report."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.helpers import settle, sign_in

#: The header row of a staff file, in French, as people write it.
STAFF_HEADER = "Adresse e-mail;Prénom;Nom;Site;Employeur;Rôles;Date d'entrée"
#: Two new counsellors at Paris.
GOOD_ROWS = (
    "helene.marechal@example.org;Hélène;Maréchal;PARIS;Cité des métiers de Paris;"
    "conseiller;03/09/2024",
    "remi.nguyen@example.org; Rémi ;Nguyen;PARIS;Cité des métiers de Paris;"
    "conseiller, formateur;15/01/2025",
)
#: A date that does not exist (line 2) and a site code mistyped (line 3).
BAD_ROWS = (
    "helene.marechal@example.org;Hélène;Maréchal;PARIS;;conseiller;31/02/2025",
    "remi.nguyen@example.org;Rémi;Nguyen;PARSI;;conseiller;15/01/2025",
)


def write_staff(path: Path, rows: tuple[str, ...], encoding: str) -> Path:
    """A staff file with ``;`` and CRLF, in ``encoding`` (``utf-8-sig`` or ``cp1252``)."""
    path.write_bytes("\r\n".join((STAFF_HEADER, *rows, "")).encode(encoding))
    return path


async def checked(pilot: Pilot[None], username: str, path: str, kind: str = "staff") -> None:
    """Sign in, open the imports (F8), type ``path``, choose ``kind`` and check the file."""
    await sign_in(pilot, username)
    await pilot.press("f8")
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#import-kind").value = kind
    screen.query_one("#import-path", Input).value = path
    await pilot.press("enter")
    await settle(pilot)
