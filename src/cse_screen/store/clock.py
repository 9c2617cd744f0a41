"""The store's clock and its one timestamp format (UTC, fixed width, so text order is time order)."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """The current time in UTC (tests move the clock by monkeypatching ``database.utcnow``)."""
    return dt.datetime.now(dt.UTC)


def ts(moment: dt.datetime) -> str:
    """``moment`` as stored: ISO 8601 in UTC with microseconds."""
    # One fixed-width format, so text order is time order in SQL comparisons.
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def parse_ts(text: str) -> dt.datetime:
    """A stored timestamp back as an aware datetime."""
    return dt.datetime.fromisoformat(text)
