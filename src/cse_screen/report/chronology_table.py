"""The screenings table of a chronology: one set of columns for every format and ``cse-screen child``.

Light on purpose (no pydantic, no report models): ``cse-screen child`` prints this table
and must start quickly; the report renderers in :mod:`cse_screen.report.chronology` use it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence, Sized
from typing import Protocol

__all__ = ["KEPT_FIRST", "SCREENING_COLUMNS", "ScreeningRow", "flags_cell", "screening_cells"]


class ScreeningRow(Protocol):
    """What a screenings table needs of one screening (the report's and the session's alike)."""

    @property
    def id(self) -> str: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def status(self) -> str: ...
    @property
    def computed_level(self) -> str | None: ...
    @property
    def final_level(self) -> str | None: ...
    @property
    def flags(self) -> Sequence[str]: ...
    @property
    def flag_words(self) -> Sequence[str]: ...
    @property
    def decisions(self) -> Sized: ...
    @property
    def review_due(self) -> dt.date | None: ...
    @property
    def amendments(self) -> int: ...


SCREENING_COLUMNS = ("Date", "Id", "Status", "Computed", "Final", "Flags", "Decisions", "Review", "Amended")
"""The screenings table's columns, in the order of :func:`screening_cells`."""

KEPT_FIRST = ("Date", "Id", "Final", "Status", "Computed", "Review", "Flags", "Decisions", "Amended")
"""Which columns ``cse-screen child`` keeps on a narrow terminal: when and which screening,
its level and state first; the counts are in ``show ID`` and are left out first."""


def flags_cell(s: ScreeningRow) -> str:
    """The rules that fired: their reasons in a report, their ids in ``cse-screen child``."""
    if s.flag_words:
        return " ".join(w if w.endswith((".", "!", "?")) else f"{w}." for w in s.flag_words)
    return ", ".join(s.flags) or "—"


def screening_cells(s: ScreeningRow) -> list[str]:
    """One screening as the cells of a screenings table (every format and `cse-screen child`)."""
    return [
        s.date.isoformat(),
        s.id,
        s.status,
        s.computed_level or "—",
        s.final_level or "—",
        flags_cell(s),
        str(len(s.decisions)),
        s.review_due.isoformat() if s.review_due else "—",
        str(s.amendments),
    ]
