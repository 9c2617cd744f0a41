"""The result of evaluating a screening: a level that explains itself."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from cse_screen.questionnaire.outcome_models import Alert
from cse_screen.screening import Judgement


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class QuestionnaireRef(_Frozen):
    """Which exact questionnaire produced a result."""

    id: str
    version: str
    sha256: str
    """SHA-256 of the questionnaire file's bytes (or of its canonical JSON when built in memory)."""


class FiredRule(_Frozen):
    """A rule whose condition held."""

    id: str
    reason: str
    min_level: str | None = None
    set_level: str | None = None
    immediate_risk: bool = False
    """True when the rule raises a flag whose alert interrupts the wizard."""
    flags: tuple[str, ...] = ()
    """Ids of the flags the rule raises."""


class RaisedFlag(_Frozen):
    """A flag raised by one or more fired rules, with its alert as declared in the questionnaire."""

    id: str
    label: str
    rules: tuple[str, ...]
    """Ids of the fired rules that raise it, in file order."""
    alert: Alert | None = None


class Contribution(_Frozen):
    """Points one answer added to the score."""

    question_id: str
    option_ids: tuple[str, ...]
    points: int


class Result(_Frozen):
    """The outcome of :func:`cse_screen.scoring.evaluate`."""

    questionnaire: QuestionnaireRef
    score: int
    band_level: str
    """The level the score band gives."""
    floor_level: str
    """The highest ``min_level`` of fired rules (the lowest level when none): judgement cannot go below it."""
    computed_level: str
    """The level before professional judgement."""
    level: str
    """The final level (after judgement)."""
    level_label: str
    level_icon: str
    judgement: Judgement | None
    immediate_risk: bool
    """True when a raised flag's alert interrupts (the wizard stops at once for it)."""
    flags: tuple[RaisedFlag, ...] = ()
    """Raised flags, in the order the questionnaire declares them."""
    incomplete: bool
    """True when the computed or final level is the lowest and a question that counts for
    completeness is unanswered or not known, or when the level is at or below the
    questionnaire's ``completeness.up_to_level`` and fewer than ``min_answered`` of them
    have a known answer."""
    to_find_out: tuple[str, ...] = ()
    """Visible questions that count for completeness with no answer or a not-known one."""
    counted: int = 0
    """How many visible questions count for completeness."""
    fired: tuple[FiredRule, ...]
    contributions: tuple[Contribution, ...]
    not_known: tuple[str, ...]
    """Visible questions answered with a not-known option."""
    unanswered: tuple[str, ...]
    """Visible choice/integer questions with no answer."""
    hidden_answered: tuple[str, ...]
    """Questions hidden by ``show_if`` whose (kept) answers no longer count."""
    reasons: tuple[str, ...]
    """Plain sentences: why this level."""
    next_steps: tuple[str, ...]
    """Most urgent first."""
    final_line: str

    def interrupting_alert(self) -> Alert | None:
        """The alert the wizard and plain mode show at once: the first raised flag's that interrupts."""
        for flag in self.flags:
            if flag.alert is not None and flag.alert.interrupt:
                return flag.alert
        return None
