"""What happens to a screening after completion, as state and as the events that rebuild it.

Pure data and the replay (no database): the store keeps this state
(:class:`~cse_screen.store.followup.FollowUp`), and :func:`replay_followup` rebuilds it
from the audit trail alone; tests check the two agree.

State kept here, and the events that rebuild it (:func:`replay_followup`):

- ``screenings.level`` after an amendment — ``level`` events (old → new, reason);
- ``decisions`` — ``decision`` events (the whole decision, sealed);
- ``screenings.review_due`` — the ``completed`` event's ``review_due``, each decision's
  ``next_review``, and ``review`` events (a date changed by hand, with a reason; or cleared
  when a re-screening of it was completed, ``{"review_due": null, "reviewed_by": id}``);
- ``screenings.follows`` — a ``review`` event ``{"follows": id}`` on a re-screening;
- ``screenings.computed_level`` / ``screenings.flags`` (the rules that fired) — the
  ``completed`` event's ``computed_level`` and ``flags``, then ``result`` events (after an
  amendment re-evaluated the result; or, for a screening completed before they were stored,
  worked out once when a chronology first needed them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cse_screen.store.models import Decision

if TYPE_CHECKING:
    from cse_screen.store.models import Event, Status

__all__ = ["ChronologyRow", "FollowUpState", "date_or_none", "replay_followup"]


@dataclass(frozen=True, slots=True)
class FollowUpState:
    """What happened to a screening after it was completed (rebuilt by :func:`replay_followup`)."""

    level: str | None
    review_due: dt.date | None
    follows: str | None
    decisions: tuple[Decision, ...]
    amendments: int
    """How many changes were made after completion (each with a reason)."""
    computed_level: str | None = None
    """The level the rules and score gave, before professional judgement (None: not stored)."""
    flags: tuple[str, ...] | None = None
    """Ids of the rules that fired, immediate risk first (None: not stored)."""


@dataclass(frozen=True, slots=True)
class ChronologyRow:
    """One screening of a child as stored: what a chronology shows without opening it."""

    id: str
    date: dt.date
    status: Status
    level: str | None
    computed_level: str | None
    flags: tuple[str, ...] | None
    """None: a completed screening from before these were stored (work them out once)."""
    levels: tuple[tuple[str, str], ...] | None
    """The questionnaire's levels (id, label), lowest first; None: not stored yet."""
    questionnaire: str
    """The questionnaire's SHA-256."""
    seq: int


def date_or_none(text: str | None) -> dt.date | None:
    """An ISO date as stored (``YYYY-MM-DD``), or None."""
    return None if text is None else dt.date.fromisoformat(text)


def replay_followup(events: Iterable[Event]) -> FollowUpState:
    """Rebuild level, review date, link, decisions and amendment count from the audit trail."""
    level: str | None = None
    review: dt.date | None = None
    follows: str | None = None
    decisions: list[Decision] = []
    amendments = 0
    computed: str | None = None
    flags: tuple[str, ...] | None = None
    for event in sorted(events, key=lambda e: e.seq):
        if event.amendment and event.kind in ("answer", "judgement", "meta"):
            amendments += 1
        if event.kind == "completed":
            level = event.new.get("level")
            review = date_or_none(event.new.get("review_due"))
            if "flags" in event.new:
                computed, flags = event.new.get("computed_level"), tuple(event.new["flags"])
        elif event.kind == "result":
            computed, flags = event.new["computed_level"], tuple(event.new["flags"])
        elif event.kind == "level":
            level = event.new
        elif event.kind == "decision":
            decision = Decision.from_body(event.seq, event.at, event.who, event.new)
            decisions.append(decision)
            if decision.next_review is not None:
                review = decision.next_review
        elif event.kind == "review":
            if "follows" in event.new:
                follows = event.new["follows"]
            if "review_due" in event.new:
                review = date_or_none(event.new["review_due"])
    return FollowUpState(level, review, follows, tuple(decisions), amendments, computed, flags)
