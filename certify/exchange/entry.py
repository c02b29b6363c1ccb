"""One row typed in a form, imported as a file of that one row is: every rule of its kind
holds (the same checks, the same all-or-nothing write, the same audit)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from certify.access.permissions import Actor
from certify.exchange.importing import ImportReport, authorize_import, import_sheet
from certify.exchange.kind import Kind
from certify.exchange.limits import SourceRow
from certify.exchange.messages import Text
from certify.exchange.tabular import Sheet
from certify.store.db import Database

#: The source the audit trail names for a row typed in a form.
FORM = "saisie"
#: How the row was read, for the report.
TYPED = Text("saisie dans un formulaire", "typed in a form")


def enter_row(
    database: Database,
    actor: Actor,
    kind: Kind,
    values: Mapping[str, str],
    *,
    today: date,
    dry_run: bool = False,
) -> ImportReport:
    """Create one row of ``kind`` whose cells are ``values`` by column key (blank ones
    left out), never changing one that exists; problems name each column by its French
    header, at line 2."""
    authorize_import(actor, kind)
    header = SourceRow(1, [column.french for column in kind.columns])
    cells = SourceRow(2, [values.get(column.key, "").strip() or None for column in kind.columns])
    sheet = Sheet([header, cells], header_first=True, description=TYPED)
    report = ImportReport(kind, FORM, dry_run, new_only=True)
    return import_sheet(database, actor, report, sheet, today)
