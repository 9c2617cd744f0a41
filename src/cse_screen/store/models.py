"""What the store hands back: plain frozen records, no database handles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    # Annotations only, so listing screenings never builds the pydantic models.
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.screening import Screening

Status = Literal["draft", "completed"]
"""A draft can be changed freely; a completed screening only by amendment with a reason."""

EventKind = Literal["created", "answer", "judgement", "meta", "danger_ack", "completed", "export", "deleted"]
"""What an audit event records."""


@dataclass(frozen=True, slots=True)
class Event:
    """One append-only audit event. ``old``/``new`` are JSON values (already unsealed)."""

    seq: int
    """1, 2, 3… per screening: the order of changes, independent of the clock."""
    at: dt.datetime
    """When (UTC)."""
    who: str
    kind: EventKind
    question_id: str | None = None
    old: Any = None
    new: Any = None
    reason: str | None = None
    amendment: bool = False
    """True when the change was made after the screening was completed."""


@dataclass(frozen=True, slots=True)
class StoredScreening:
    """A screening as stored, with the exact questionnaire it was started with."""

    id: str
    screening: Screening
    status: Status
    loaded: LoadedQuestionnaire
    position: str | None
    """The question to resume at (None: the start)."""
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None
    level: str | None
    """The final level stored when the screening was completed."""
    seq: int
    """Number of events so far (changes with every write)."""


@dataclass(frozen=True, slots=True)
class ScreeningSummary:
    """One row of ``cse-screen list``."""

    id: str
    questionnaire_id: str
    questionnaire_version: str
    status: Status
    child_ref: str
    date: dt.date
    """The screening date the practitioner gave, else the day it was started (UTC)."""
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None
    level: str | None
    answered: int


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """An earlier (or current) screening of the same child, for the result screen and report."""

    date: dt.date
    level: str | None
    status: Status
    id: str


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One export of a screening and who it was shared with."""

    at: dt.datetime
    who: str
    format: str
    path: str
    shared_with: str
