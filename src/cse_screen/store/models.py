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

EventKind = Literal[
    "created",
    "answer",
    "judgement",
    "meta",
    "danger_ack",
    "completed",
    "export",
    "deleted",
    "level",
    "decision",
    "review",
    "shared",
]
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
    sharing_basis: str = ""
    """The basis for sharing chosen at export ("": not recorded)."""


Outcome = Literal["nfa", "monitor", "early_help", "social_care", "police", "other"]
"""What the DSL decided (see :data:`OUTCOME_LABELS`)."""

OUTCOME_LABELS: dict[str, str] = {
    "nfa": "No further action",
    "monitor": "Keep monitoring in school",
    "early_help": "Early help",
    "social_care": "Referral to children's social care / MASH",
    "police": "Police",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision by the DSL about a completed screening (several are kept in order)."""

    seq: int
    """The audit event that recorded it."""
    recorded_at: dt.datetime
    recorded_by: str
    outcome: Outcome
    decided_by: str
    """The DSL's name."""
    role: str
    decided_at: dt.datetime
    """When the decision was made (may be earlier than when it was recorded)."""
    reasons: str
    referral_ref: str = ""
    other: str = ""
    """What "other" means, when the outcome is other."""
    told_parents: bool | None = None
    """Were the parents or carers told (None: not said)."""
    not_told_reason: str = ""
    """Why not, e.g. telling them could put the child at more risk."""
    next_review: dt.date | None = None
    highlighted: bool = False
    """No further action after significant concern or immediate danger: stands out in the record."""

    def body(self) -> dict[str, Any]:
        """The content as stored (sealed) and as shown in JSON."""
        return {
            "outcome": self.outcome,
            "decided_by": self.decided_by,
            "role": self.role,
            "decided_at": self.decided_at.isoformat(),
            "reasons": self.reasons,
            "referral_ref": self.referral_ref,
            "other": self.other,
            "told_parents": self.told_parents,
            "not_told_reason": self.not_told_reason,
            "next_review": None if self.next_review is None else self.next_review.isoformat(),
            "highlighted": self.highlighted,
        }

    @classmethod
    def from_body(cls, seq: int, at: dt.datetime, who: str, body: dict[str, Any]) -> Decision:
        """Inverse of :meth:`body` (with the event's number, time and author)."""
        review = body.get("next_review")
        return cls(
            seq=seq,
            recorded_at=at,
            recorded_by=who,
            outcome=body["outcome"],
            decided_by=body["decided_by"],
            role=body["role"],
            decided_at=dt.datetime.fromisoformat(body["decided_at"]),
            reasons=body["reasons"],
            referral_ref=body.get("referral_ref", ""),
            other=body.get("other", ""),
            told_parents=body.get("told_parents"),
            not_told_reason=body.get("not_told_reason", ""),
            next_review=None if review is None else dt.date.fromisoformat(review),
            highlighted=bool(body.get("highlighted", False)),
        )


@dataclass(frozen=True, slots=True)
class DueReview:
    """A completed screening whose review date has come or is coming (``cse-screen due``)."""

    id: str
    child_ref: str
    level: str | None
    completed_at: dt.datetime | None
    review_due: dt.date
    questionnaire_id: str
