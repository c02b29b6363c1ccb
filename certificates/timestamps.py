"""XML Schema date-times as signed documents write them: UTC, whole seconds, ``Z``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time


def format_instant(moment: datetime) -> str:
    """``2026-03-01T08:30:00Z`` for an aware datetime (seconds kept, microseconds dropped)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: signed documents need timezone-aware timestamps")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: str) -> datetime:
    """The aware UTC datetime of an XML Schema date-time; ``ValueError`` if it has no zone."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"date-time without a time zone: {text!r}")
    return moment.astimezone(UTC)


def start_of_day(day: date) -> datetime:
    """The first second of ``day``, UTC."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def end_of_day(day: date) -> datetime:
    """The last whole second of ``day``, UTC."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
