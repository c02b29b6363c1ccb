"""Certificate serials: ``CDM-2026-000123``, unique and gap-free per year network-wide."""

from __future__ import annotations

import re

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from certify.model import SerialCounter

#: Prefix of every serial (Cités des métiers).
PREFIX = "CDM"
#: A serial in certify's own form: prefix, year, number (six digits, more past 999999).
OWN_SERIAL = re.compile(rf"{PREFIX}-\d{{4}}-\d+", re.IGNORECASE)


def format_serial(year: int, number: int) -> str:
    """The printed form of a serial."""
    return f"{PREFIX}-{year}-{number:06d}"


def is_own_serial(serial: str) -> bool:
    """Whether ``serial`` has certify's own form: only certify's counter gives those."""
    return OWN_SERIAL.fullmatch(serial.strip()) is not None


def lock_year(session: Session, year: int) -> int:
    """Lock the year's counter until the transaction ends; return its last number.

    Issuance takes this lock first, so concurrent coordinators issue one after the
    other and each sees what the previous one committed.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(SerialCounter).values(year=year, last_number=0).on_conflict_do_nothing())
    return session.execute(
        select(SerialCounter.last_number).where(SerialCounter.year == year).with_for_update()
    ).scalar_one()


def take_serials(session: Session, year: int, count: int) -> list[str]:
    """The next ``count`` serials of ``year``; a rollback gives them back (no gaps)."""
    last = session.execute(
        update(SerialCounter)
        .where(SerialCounter.year == year)
        .values(last_number=SerialCounter.last_number + count)
        .returning(SerialCounter.last_number)
    ).scalar_one()
    return [format_serial(year, number) for number in range(last - count + 1, last + 1)]
