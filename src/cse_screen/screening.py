"""A screening: the answers, notes and details a practitioner records.

These models are the one shape that the TUI, the CLI answers files, the store and the
reports all share. They are frozen: a change makes a new value (``with_answer``), which
keeps autosave and undo simple and makes accidental mutation impossible.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["observed", "child_said", "parent_carer", "other_professional", "other"]
"""Where the information came from, so reports can keep fact apart from opinion."""

SOURCE_LABELS: dict[str, str] = {
    "observed": "Observed",
    "child_said": "Child said",
    "parent_carer": "Parent or carer",
    "other_professional": "Other professional",
    "other": "Other",
}

AnswerValue = int | str | tuple[str, ...]
"""An option id (single choice), option ids (multi choice), an int, text, or an ISO date."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Answer(_Frozen):
    """One recorded answer with its optional note and source."""

    value: AnswerValue | None = None
    """None means the question was visited but left unanswered (a note may still be kept)."""
    note: str | None = None
    """The practitioner's note: what was seen or said."""
    source: Source | None = None


class Judgement(_Frozen):
    """Professional judgement applied to the computed level."""

    level: str
    """The level the practitioner chooses."""
    reason: str = Field(min_length=1)
    """Why; required whether raising or lowering."""


class DangerAcknowledgement(_Frozen):
    """The practitioner confirmed the immediate-danger alert."""

    action: Literal["calling_now", "already_done"]
    at: dt.datetime
    """When (UTC)."""


class ScreeningMeta(_Frozen):
    """Who, when and about whom. Minimum identifiers only."""

    child_ref: str = ""
    """Initials or a school/case reference; not a full name unless the user chooses."""
    practitioner: str = ""
    role: str = ""
    date: dt.date | None = None
    shared_with: str = ""
    """Who this screening is shared with."""
    sharing_basis: str = ""
    """On what basis (e.g. "to safeguard a child, DPA 2018 Sch 8")."""


class Screening(_Frozen):
    """Everything recorded in one screening."""

    questionnaire_id: str
    answers: dict[str, Answer] = Field(default_factory=dict)
    judgement: Judgement | None = None
    meta: ScreeningMeta = Field(default_factory=ScreeningMeta)
    danger_acknowledgements: tuple[DangerAcknowledgement, ...] = ()

    def value(self, question_id: str) -> AnswerValue | None:
        """The answer value for a question, or None."""
        a = self.answers.get(question_id)
        return None if a is None else a.value

    def with_answer(self, question_id: str, answer: Answer | None) -> Screening:
        """A copy with one answer replaced (or removed when ``answer`` is None)."""
        answers = dict(self.answers)
        if answer is None:
            answers.pop(question_id, None)
        else:
            answers[question_id] = answer
        return self.model_copy(update={"answers": answers})
