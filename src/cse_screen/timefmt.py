"""Times as people read them: local time with its UTC offset.

Records store UTC. A DSL reading a report or ``show`` needs the time on their own clock, and
the offset makes the moment unambiguous (a record read in summer of an event in winter, or
by a colleague in another time zone). One function, used by every report format and meant
for ``show`` and ``list`` too, so a time reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt


def local_time(moment: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """``2026-07-04 11:15 (UTC+01:00)``: the moment on the local clock, with the offset.

    Args:
        moment: An aware datetime; a naive one is taken as UTC (as stored).
        tz: The zone to show (default: this computer's local zone, which follows ``TZ``).

    Returns:
        Date, hours and minutes in that zone, and its offset from UTC then.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(tz)
    offset = local.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{local:%Y-%m-%d %H:%M} (UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"
