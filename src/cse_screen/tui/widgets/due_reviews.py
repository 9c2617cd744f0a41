"""Reviews due, shown on the start screen: the tool surfaces them, the DSL decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from cse_screen.inert import neutralise

if TYPE_CHECKING:
    from cse_screen.store import DueReview


def due_lines(rows: Sequence[DueReview], today: dt.date, limit: int = 8) -> list[str]:
    """One line per review, most urgent first: reference, level, date, how late (ids to re-screen)."""
    lines = []
    for r in rows[:limit]:
        days = (r.review_due - today).days
        when = (
            f"overdue by {-days} day{'' if days == -1 else 's'}"
            if days < 0
            else ("due today" if days == 0 else f"due in {days} day{'' if days == 1 else 's'}")
        )
        ref = neutralise(r.child_ref) or "no reference"
        lines.append(f"{ref} · {r.level or '—'} · {r.review_due.isoformat()} ({when}) · {r.id}")
    if len(rows) > limit:
        lines.append(f"…and {len(rows) - limit} more: `cse-screen due` lists them all.")
    return lines


class DueReviews(Static):
    """The list of reviews due (plain text: a reference can never become markup)."""

    def __init__(self, rows: Sequence[DueReview], today: dt.date) -> None:
        text = Text("Reviews due (re-screen one with `cse-screen rescreen ID`)\n", style="bold")
        text.append("\n".join(due_lines(rows, today)))
        super().__init__(text, id="due-reviews")
