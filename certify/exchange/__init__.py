"""Importing and exporting spreadsheets: sites, staff, frameworks, modules, programmes,
sessions and attendance, assessments and past certificates.

Imports read CSV (any usual encoding and delimiter), XLSX and YAML; check the whole file
first and write nothing when any row is wrong, reporting every problem by line and
column; match rows on natural keys (e-mails, codes, serials) so that re-importing a file
changes nothing; and audit every row created or updated. Exports write the same columns,
so that an export imports back into a fresh database as it was.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from certify.exchange.export import Export, export_kind, export_rows
    from certify.exchange.importing import ImportReport, authorize_import, import_file
    from certify.exchange.kind import Kind
    from certify.exchange.kinds import KINDS, find_kind
    from certify.exchange.problems import Problem
    from certify.exchange.report import render_report
    from certify.exchange.writers import FORMATS

#: Where each name of the package lives: loaded on first use, so a view's CSV export
#: (``certify.exchange.view_export``) does not load the importers and their readers.
_HOMES = {
    "Export": "export",
    "export_kind": "export",
    "export_rows": "export",
    "ImportReport": "importing",
    "authorize_import": "importing",
    "import_file": "importing",
    "Kind": "kind",
    "KINDS": "kinds",
    "find_kind": "kinds",
    "Problem": "problems",
    "render_report": "report",
    "FORMATS": "writers",
}


def __getattr__(name: str) -> Any:
    """The package's names, imported from their module when first asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)


__all__ = [
    "FORMATS",
    "KINDS",
    "Export",
    "ImportReport",
    "Kind",
    "Problem",
    "authorize_import",
    "export_kind",
    "export_rows",
    "find_kind",
    "import_file",
    "render_report",
]
