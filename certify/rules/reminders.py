"""Expiry reminders: the thresholds, and which one is due for a certificate on a day.

A certificate's holder (and, in a digest, their coordinators) hear of its expiry at each
threshold, in days before its last valid day (0: on expiry). Each threshold goes once per
certificate and kind of recipient. A certificate that passed several thresholds since the
last run gets **one** reminder, for the most urgent of them; the others are recorded as
passed over, so that they never go later. An expiry more than
:data:`EXPIRED_CATCH_UP_DAYS` ago is history: no reminder goes any more.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from certify.errors import CertifyError

#: Days before the last valid day at which reminders go, 0 being on expiry.
DEFAULT_THRESHOLDS = (90, 60, 30, 7, 0)
#: The largest threshold accepted (ten years).
MOST_THRESHOLD_DAYS = 3650
#: Days after expiry during which a missed « on expiry » reminder still goes (runs missed).
EXPIRED_CATCH_UP_DAYS = 30


@dataclass(frozen=True)
class Due:
    """The reminder due for a certificate: its threshold, and the thresholds passed over."""

    #: The most urgent threshold reached, the one the reminder is sent for.
    threshold: int
    #: Less urgent thresholds reached and never recorded: marked, never sent later.
    passed_over: tuple[int, ...] = ()


def parse_thresholds(text: str) -> tuple[int, ...]:
    """``90,60,30,7,0`` as thresholds, most distant first; anything else is refused."""
    items = [item.strip() for item in text.split(",")]
    if not items or any(not item.isdigit() for item in items):
        raise CertifyError(
            f"seuils de rappel illisibles\u00a0: {text!r} (des nombres de jours séparés par des "
            "virgules, par exemple 90,60,30,7,0)",
            f"unreadable reminder thresholds: {text!r} (numbers of days separated by commas, "
            "e.g. 90,60,30,7,0)",
        )
    days = [int(item) for item in items]
    if any(day > MOST_THRESHOLD_DAYS for day in days):
        raise CertifyError(
            f"seuil de rappel trop lointain\u00a0: au plus {MOST_THRESHOLD_DAYS} jours",
            f"reminder threshold too far: {MOST_THRESHOLD_DAYS} days at most",
        )
    if len(set(days)) != len(days):
        raise CertifyError(
            f"seuil de rappel donné deux fois\u00a0: {text!r}",
            f"reminder threshold given twice: {text!r}",
        )
    return tuple(sorted(days, reverse=True))


def window(as_of: date, thresholds: Collection[int]) -> tuple[date, date]:
    """The last valid days a reminder may be due for on ``as_of``: earliest, latest."""
    return as_of - timedelta(days=EXPIRED_CATCH_UP_DAYS), as_of + timedelta(days=max(thresholds))


def due(days_left: int, thresholds: Collection[int], recorded: Collection[int]) -> Due | None:
    """The reminder due ``days_left`` days before a certificate's last valid day, if any.

    ``recorded``: the thresholds already sent or passed over for this kind of recipient.
    """
    if days_left < -EXPIRED_CATCH_UP_DAYS:
        return None
    reached = sorted(t for t in thresholds if days_left <= t)
    if not reached or reached[0] in recorded:
        return None
    urgent, *others = reached
    return Due(urgent, tuple(sorted((t for t in others if t not in recorded), reverse=True)))
