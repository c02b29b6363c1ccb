"""Sign-in throttling: a growing wait after repeated failures, then a temporary lock."""

from __future__ import annotations

from datetime import datetime, timedelta

#: Failures in a row allowed without waiting.
FREE_FAILURES = 3
#: Failures in a row that lock the account (or the client) for :data:`LOCK_DURATION`.
LOCK_AFTER = 10
#: How long a lock lasts.
LOCK_DURATION = timedelta(minutes=15)
#: Failures older than this are forgotten.
MEMORY = timedelta(hours=1)
#: Longest wait between two attempts before the lock.
LONGEST_WAIT = timedelta(seconds=60)


def wait_after(failures: int) -> timedelta:
    """The wait before the next attempt after ``failures`` in a row: 0, then 2 s, 4 s, 8 s…"""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - FREE_FAILURES + 1)), LONGEST_WAIT)


def failures_counted(failures: int, last_failed_at: datetime | None, now: datetime) -> int:
    """The failures that still count at ``now`` (none once :data:`MEMORY` has passed)."""
    if last_failed_at is None or now - last_failed_at >= MEMORY:
        return 0
    return failures


def next_attempt_at(failures: int, last_failed_at: datetime | None, now: datetime) -> datetime:
    """When the next attempt may be made (``now`` or earlier: at once)."""
    counted = failures_counted(failures, last_failed_at, now)
    if last_failed_at is None or counted == 0:
        return now
    return last_failed_at + wait_after(counted)


def locks(failures: int) -> bool:
    """Whether this many failures in a row lock."""
    return failures >= LOCK_AFTER
