"""Start-up: the terminal UI's sign-in loads no spreadsheet or PDF library."""

from __future__ import annotations

import subprocess
import sys

#: Libraries the sign-in screen has no use for (each tens of modules to import).
HEAVY = ("openpyxl", "reportlab", "PIL")


def loaded_after(statement: str) -> set[str]:
    """The heavy libraries in ``sys.modules`` once ``statement`` ran in a fresh interpreter."""
    probe = f"{statement}\nimport sys\nprint(' '.join(sorted(set(sys.modules) & set({HEAVY!r}))))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_the_sign_in_screen_loads_no_spreadsheet_or_pdf_library() -> None:
    """The app and its sign-in screen start without openpyxl, reportlab or PIL."""
    assert loaded_after("import tui.app, tui.screens.sign_in") == set()


def test_an_xlsx_export_still_loads_openpyxl_when_asked() -> None:
    """The spreadsheet library is loaded on first use, by what writes a workbook."""
    written = "from certify.exchange.writers import write_xlsx\nwrite_xlsx(['a'], [], 'x')"
    assert "openpyxl" in loaded_after(written)
