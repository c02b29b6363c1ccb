"""Which rows of the database are one person's, found from the metadata alone.

Every column named ``person_id`` (with or without a foreign key) holds the person's own
records, and so do the rows hanging off them (a certificate's reminders and documents);
any other column referring to ``person.id`` (an assessor, an issuer, an actor) holds what
the person did to others. A table added later is covered without a word here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Table, select
from sqlalchemy.orm import Session

from certify.model import AuditEvent, Base, Person

#: The column that makes a row the person's own.
SUBJECT_COLUMN = "person_id"
#: Words in a column name that mark a secret, never exported.
SECRET_WORDS = ("password", "secret", "private")


@dataclass(frozen=True)
class PersonRows:
    """The rows read so far: the person's own, by table and primary key, and the tables read."""

    own: dict[str, dict[tuple[Any, ...], dict[str, Any]]]
    tables_read: set[str]


def is_secret(column: Column[Any]) -> bool:
    """Whether the column holds a secret (a password hash): kept, never exported."""
    return any(word in column.name.lower() for word in SECRET_WORDS)


def person_columns(table: Table) -> tuple[list[Column[Any]], list[Column[Any]]]:
    """The table's columns naming the person as its subject, and those naming them otherwise."""
    own: list[Column[Any]] = []
    other: list[Column[Any]] = []
    for column in table.columns:
        refers = any(fk.column.table.name == Person.__tablename__ for fk in column.foreign_keys)
        if table.name == Person.__tablename__:
            continue
        if column.name == SUBJECT_COLUMN:
            own.append(column)
        elif refers:
            other.append(column)
    return own, other


def rows_where(
    session: Session, table: Table, where: Any, columns: Iterable[Column[Any]]
) -> list[Any]:
    """The rows of ``table`` matching ``where``, in primary key order."""
    order = list(table.primary_key.columns) or list(table.columns)
    return list(session.execute(select(*columns).where(where).order_by(*order)).mappings())


def not_secret(table: Table) -> list[Column[Any]]:
    """The columns of ``table`` but its secrets."""
    return [column for column in table.columns if not is_secret(column)]


def key_columns(table: Table) -> list[Column[Any]]:
    """The columns that tell a row of ``table`` (all of them when it has no primary key)."""
    return list(table.primary_key.columns) or list(table.columns)


def row_key(table: Table, row: Mapping[str, Any]) -> tuple[Any, ...]:
    """A row's primary key (all its values when the table has none)."""
    return tuple(row[column.name] for column in key_columns(table))


def own_rows(session: Session, person_id: int) -> PersonRows:
    """The person's own rows (secrets left out): by their ``person_id``, then those hanging
    off them, to the end."""
    found = PersonRows({}, set())
    tables = Base.metadata.sorted_tables
    for table in tables:
        own, _ = person_columns(table)
        for column in own:
            found.tables_read.add(table.name)
            for row in rows_where(session, table, column == person_id, not_secret(table)):
                found.own.setdefault(table.name, {})[row_key(table, row)] = dict(row)
    grown = True
    while grown:
        grown = False
        for table in tables:
            if table.name in (Person.__tablename__, AuditEvent.__tablename__):
                continue
            for fk in table.foreign_keys:
                parent = fk.column.table
                held = found.own.get(parent.name)
                if parent.name == Person.__tablename__ or not held:
                    continue
                values = sorted({row[fk.column.name] for row in held.values()} - {None})
                if not values:
                    continue
                found.tables_read.add(table.name)
                rows = rows_where(session, table, fk.parent.in_(values), not_secret(table))
                mine = found.own.setdefault(table.name, {})
                for row in rows:
                    key = row_key(table, row)
                    if key not in mine:
                        mine[key] = dict(row)
                        grown = True
                if not mine:
                    del found.own[table.name]
    return found
