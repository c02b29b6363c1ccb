"""Status-list entries: a random, unused index in the issuer's status list per new certificate.

The W3C Bitstring Status List advises random indexes, so that a certificate's place in the
list tells nothing about when it was issued nor how many came before. Indexes are drawn
from a range at least :data:`MINIMUM_RANGE` wide and :data:`SPREAD` times the entries
handed out, so that a draw rarely hits a taken one; a taken one is drawn again. The
database's unique constraint has the last word: of two issuers drawing the same index at
the same moment, the second one's write is refused, never silently shared.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certify.model import Certificate

#: The narrowest range drawn from: the specification's minimum list length (16 KiB).
MINIMUM_RANGE = 131_072
#: The range is at least this many times the entries handed out (taken ones included).
SPREAD = 4


def random_index(size: int) -> int:
    """A random index below ``size``, from the operating system's secure source."""
    return secrets.randbelow(size)


def index_range(handed_out: int, count: int) -> int:
    """How many indexes to draw from when ``count`` more join ``handed_out`` entries."""
    return max(MINIMUM_RANGE, SPREAD * (handed_out + count))


def draw_status_indexes(session: Session, count: int) -> list[int]:
    """``count`` distinct status indexes that no certificate holds, in random order.

    Set-based: each round draws every index still missing and asks the database once
    which of them are taken; only those are drawn again.
    """
    if count <= 0:
        return []
    handed_out = session.scalar(select(func.count()).select_from(Certificate)) or 0
    size = index_range(handed_out, count)
    chosen: dict[int, None] = {}  # insertion-ordered: the order of the draw, not of the values
    while len(chosen) < count:
        candidates: dict[int, None] = {}
        while len(candidates) < count - len(chosen):
            index = random_index(size)
            if index not in chosen:
                candidates[index] = None
        taken = set(
            session.scalars(
                select(Certificate.status_index).where(Certificate.status_index.in_(candidates))
            )
        )
        chosen |= {index: None for index in candidates if index not in taken}
    return list(chosen)


def draw_status_index(session: Session) -> int:
    """One status index no certificate holds (:func:`draw_status_indexes` for one)."""
    [index] = draw_status_indexes(session, 1)
    return index
