"""Exporting a kind of data in the very form imports read back (export → import round trip)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, PermissionDenied, Reason, visible_scope
from certify.errors import CertifyError
from certify.exchange.checking import scope_covers
from certify.exchange.kind import ExportRow, Kind, Visible
from certify.exchange.store import Store
from certify.exchange.writers import (
    FORMATS,
    nesting_headers,
    write_csv,
    write_xlsx,
    write_yaml,
)


@dataclass(frozen=True)
class Export:
    """An exported file."""

    #: The file's content.
    data: bytes
    #: Data rows written.
    rows: int
    #: ``csv``, ``xlsx`` or ``yaml``.
    format: str


def visibility(actor: Actor, store: Store) -> Visible:
    """Which sites' rows the actor may export: every site for admins, their scope otherwise."""
    if actor.is_admin:
        return lambda site: True
    if actor.coordinator_scope is None:
        raise PermissionDenied(
            actor, Action.EXPORT_DATA, "certify", Reason.ADMINS_AND_COORDINATORS_ONLY
        )
    scope = visible_scope(actor)
    return lambda site: site is not None and scope_covers(store, scope, site)


def export_rows(session: Session, actor: Actor, kind: Kind) -> list[ExportRow]:
    """The rows of an export, in natural form, limited to what the actor may see."""
    store = Store.load(session, [entity.name for entity in kind.entities])
    return list(kind.rows(store, visibility(actor, store)))


def render(kind: Kind, rows: list[ExportRow], format: str) -> bytes:
    """Rows written as a file: French headers, cells as the importer reads them."""
    header = [column.french for column in kind.columns]
    cells = [
        [
            None if row.get(column.key) is None else column.type.format(row[column.key])
            for column in kind.columns
        ]
        for row in rows
    ]
    if format == "csv":
        return write_csv(header, cells)
    if format == "xlsx":
        return write_xlsx(header, cells, kind.label.fr)
    if format == "yaml":
        headers = {column.key: column.french for column in kind.columns}
        return write_yaml(header, cells, nesting_headers(kind.nesting, headers))
    raise CertifyError(f"unknown format {format!r}: {', '.join(FORMATS)}")


def export_kind(session: Session, actor: Actor, kind: Kind, format: str = "csv") -> Export:
    """Export one kind of data the actor may see, as a CSV, XLSX or YAML file."""
    rows = export_rows(session, actor, kind)
    return Export(render(kind, rows, format), len(rows), format)
