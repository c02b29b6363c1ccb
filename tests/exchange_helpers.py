"""Helpers of the import and export tests: files written as spreadsheets write them, dumps."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, select, text

from certify.access.permissions import Actor
from certify.exchange import KINDS, ImportReport, export_kind, find_kind, import_file
from certify.exchange.entities import ENTITIES
from certify.exchange.store import Store
from certify.model import Base
from certify.store.db import Database
from certify.store.schema import upgrade


def write_csv(
    path: Path,
    rows: Sequence[Sequence[str]],
    *,
    encoding: str = "cp1252",
    delimiter: str = ";",
) -> Path:
    """A CSV file as French Excel writes it (Windows-1252 and ``;`` unless told otherwise)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run_import(
    database: Database,
    kind: str,
    path: Path,
    *,
    actor: Actor | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Import a file as the CLI does."""
    return import_file(
        database,
        actor or Actor.system(),
        find_kind(kind),
        path,
        today=today or date.today(),
        dry_run=dry_run,
    )


def found(report: ImportReport) -> list[tuple[int | None, str | None, str | None]]:
    """Each problem's line, column and value."""
    return [(p.line, p.column, p.value) for p in report.problems]


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with database.reading() as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def natural(database: Database, names: Iterable[str] = ENTITIES) -> dict[str, dict]:
    """Rows of these entities in natural form (without ids), by entity name."""
    with database.reading() as session:
        store = Store.load(session, names)
    return {name: store.tables[name].rows for name in names}


@contextmanager
def second_database(first: Database, folder: Path) -> Iterator[Database]:
    """Another empty, migrated database on the same backend as ``first``."""
    if first.is_sqlite:
        database = Database(f"sqlite:///{folder / 'second.db'}")
        upgrade(database)
        yield database
        database.dispose()
        return
    url = make_url(first.url)
    base = url.set(query={k: v for k, v in url.query.items() if k != "options"})
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = Database(
        base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    )
    try:
        upgrade(database)
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def copy_all(source: Database, target: Database, folder: Path, format: str) -> None:
    """Export every kind from ``source`` and import it into ``target``, in loading order."""
    for kind in KINDS:
        with source.reading() as session:
            export = export_kind(session, Actor.system(), kind, format)
        path = folder / f"{kind.name}.{format}"
        path.write_bytes(export.data)
        report = run_import(target, kind.name, path)
        assert not report.problems, [p.render() for p in report.problems]
