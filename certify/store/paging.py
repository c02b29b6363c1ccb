"""Pages of a list read in SQL: the rows of one page and how many there are in all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

#: What a page lists.
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, with what the pager needs."""

    #: The lines of the page, in the list's order.
    items: tuple[T, ...]
    #: How many lines the whole list has.
    total: int
    #: Lines skipped before this page.
    offset: int
    #: Most lines a page holds (``None``: the whole list).
    limit: int | None


def fetch_page(
    session: Session, query: Select[*tuple[Any, ...]], offset: int, limit: int | None
) -> tuple[Sequence[Row[*tuple[Any, ...]]], int]:
    """The rows of one page of ``query`` (ordered) and the count of all its rows.

    One query: the count is a window over the whole result, read from the page's first
    row; only a page past the end needs a second query to count.
    """
    counted = query.add_columns(func.count().over().label("page_total"))
    rows = session.execute(counted.offset(offset).limit(limit)).all()
    if rows:
        return rows, rows[0].page_total
    if offset == 0:
        return rows, 0
    everything = query.order_by(None).subquery()
    return rows, session.scalar(select(func.count()).select_from(everything)) or 0
