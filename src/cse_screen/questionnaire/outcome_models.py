"""The outcome side of the questionnaire format: levels, rules, flags and alerts, bands.

Also the next steps a level or rule gives (:data:`NextStep`: plain text, or ``{id, text}``
so steps that mean the same thing merge) and which answers completeness counts.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    Field,
    PlainSerializer,
    StrictBool,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    field_validator,
    model_validator,
)

from cse_screen.questionnaire.condition_models import Condition
from cse_screen.questionnaire.model_base import Frozen, Id


class StepText(str):
    """The text of one next step; ``id`` is set when steps that mean the same thing share one.

    A ``str`` subclass so every reader of ``next_steps`` keeps working with plain text.
    """

    id: str | None

    def __new__(cls, text: str, step_id: str | None = None) -> StepText:
        obj = super().__new__(cls, text)
        obj.id = step_id
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (StepText, (str(self), self.id))


_STEP_ID = r"^[a-z0-9][a-z0-9_\-]*$"


def _step(value: Any, handler: ValidatorFunctionWrapHandler) -> StepText:
    if isinstance(value, dict):
        if set(value) - {"id", "text"} or "text" not in value:
            raise ValueError("a step with an id is {id: ..., text: ...}: only those two keys, text required")
        step_id, text = value.get("id"), handler(value["text"])
        if step_id is not None and not (isinstance(step_id, str) and re.match(_STEP_ID, step_id)):
            raise ValueError("a step id uses lower case letters, digits, '_' and '-'")
        return StepText(text, step_id)
    return StepText(handler(value), getattr(value, "id", None))


def _dump_step(step: str) -> str | dict[str, str]:
    # Keep the id in dumps, so a questionnaire rebuilt from its JSON merges steps the same way.
    step_id = getattr(step, "id", None)
    return {"id": step_id, "text": str(step)} if step_id else str(step)


NextStep = Annotated[
    str,
    Field(min_length=1),
    WrapValidator(_step),
    PlainSerializer(_dump_step),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "pattern": _STEP_ID},
                        "text": {"type": "string", "minLength": 1},
                    },
                    "required": ["text"],
                    "additionalProperties": False,
                },
            ],
            "description": "A step as text, or {id, text}: steps with the same id mean the same "
            "thing and are shown once (the most urgent wins).",
        }
    ),
]
"""One next step: plain text, or ``{id: tell_dsl, text: ...}`` so that steps meaning the same
thing, from different rules and levels, merge into one."""


class Level(Frozen):
    """One outcome level. Levels are listed lowest first."""

    id: Id
    label: str = Field(min_length=1)
    """Short name shown with the result, e.g. "Significant concern"."""
    icon: str = ""
    """A symbol shown beside the label so the level never depends on colour alone."""
    summary: str = ""
    """One or two sentences explaining what this level means."""
    next_steps: list[NextStep] = Field(min_length=1)
    """What to do, most urgent first."""
    review: str | None = Field(
        default=None, pattern=r"^(([1-9][0-9]{0,2}) (days?|weeks?|months?)|if anything changes)$"
    )
    """When to review a screening at this level: "2 weeks", "1 month", "3 months", or "if
    anything changes" (no date is set). None: no review is suggested."""


class Rule(Frozen):
    """A condition and its effect on the level, with a reason shown to the practitioner."""

    id: Id
    when: Condition
    """The condition that makes the rule fire."""
    min_level: Id | None = None
    """The result is at least this level (a floor that professional judgement cannot go below)."""
    set_level: Id | None = None
    """The result is this level instead of the score band (floors from other rules still apply)."""
    immediate_risk: StrictBool = False
    """Shorthand kept for older files: raises the flag ``immediate_risk`` and sets a floor at the
    top level. New files declare a flag under ``flags:`` and name it in ``flags`` instead."""
    flags: list[Id] = Field(default_factory=list)
    """Flags this rule raises (ids declared under the questionnaire's ``flags:``). A flag sits
    beside the level: it changes the level only if the rule also says ``min_level`` or
    ``set_level``. A single id is accepted."""
    reason: str = Field(min_length=1)
    """Why the rule exists, shown when it fires."""
    next_steps: list[NextStep] = Field(default_factory=list)
    """Extra steps shown first when the rule fires (e.g. how to respond to a disclosure). A rule
    with next steps and no level or flag is advisory: it adds its reason and steps only."""

    @field_validator("flags", mode="before")
    @classmethod
    def _one_flag(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @model_validator(mode="after")
    def _has_effect(self) -> Rule:
        if (
            self.min_level is None
            and self.set_level is None
            and not self.immediate_risk
            and not self.flags
            and not self.next_steps
        ):
            raise ValueError(
                "a rule needs an effect: min_level, set_level, flags, or next_steps (an advisory rule)"
            )
        return self

    def raised_flags(self) -> list[str]:
        """The flag ids this rule raises, counting the ``immediate_risk`` shorthand."""
        if self.immediate_risk and IMMEDIATE_RISK_FLAG not in self.flags:
            return [*self.flags, IMMEDIATE_RISK_FLAG]
        return list(self.flags)


IMMEDIATE_RISK_FLAG = "immediate_risk"
"""The flag raised by the older ``immediate_risk: true`` shorthand on a rule."""


class Acknowledgement(Frozen):
    """The two answers to an alert that interrupts: acting on it now, or already done.

    They are recorded with the time (stored as ``calling_now`` and ``already_done``).
    """

    acting_now: str = Field(default="I am acting on this now", min_length=1)
    """Label of the first choice, e.g. "I am calling 999 now"."""
    already_done: str = Field(default="This has already been done", min_length=1)
    """Label of the second choice."""
    acting_now_record: str | None = None
    """How reports word the first choice, e.g. "The practitioner said they were calling the
    police now" (default: "Acknowledged: " and the label)."""
    already_done_record: str | None = None
    """How reports word the second choice (default: "Acknowledged: " and the label)."""

    def record(self, action: str) -> str:
        """The report's words for a stored acknowledgement (``calling_now`` or ``already_done``)."""
        if action == "calling_now":
            return self.acting_now_record or f"Acknowledged: {self.acting_now}"
        return self.already_done_record or f"Acknowledged: {self.already_done}"


class Alert(Frozen):
    """What the practitioner sees when a flag is raised."""

    title: str = Field(min_length=1)
    """One line, e.g. "URGENT: SAFETY CONCERN". Shown first, and as the banner in results and reports."""
    text: list[str] = Field(default_factory=list)
    """Lines shown under the title, in order."""
    actions: list[str] = Field(default_factory=list)
    """What to do now, most urgent first. Leave out to show the result's next steps instead."""
    acknowledge: Acknowledgement = Field(default_factory=Acknowledgement)
    """The labels of the two acknowledgement choices."""
    interrupt: StrictBool = True
    """True: the wizard and plain mode stop at once and ask for an acknowledgement. False: the
    alert is shown as a banner with the result and in reports only."""


class Flag(Frozen):
    """A named concern that a rule can raise beside the level (e.g. an urgent safety flag)."""

    id: Id
    """Named by rules in their ``flags:`` list and listed by ``score --json``."""
    label: str = Field(min_length=1)
    """A short name, e.g. "Urgent safety concern"."""
    alert: Alert | None = None
    """The alert shown when the flag is raised; without one, the flag is only listed."""


# Made with ``model_construct`` (every value given, all of them valid): validating it here
# would build the validators that ``defer_build`` leaves to a file's first check, on every
# import, even when the questionnaire comes from the cache. A test proves it equals the
# validated flag.
DEFAULT_IMMEDIATE_RISK_FLAG = Flag.model_construct(
    id=IMMEDIATE_RISK_FLAG,
    label="Urgent action needed",
    alert=Alert.model_construct(
        title="URGENT — ACT NOW",
        text=["An answer means someone may need help urgently."],
        actions=[],
        acknowledge=Acknowledgement.model_construct(
            acting_now="I am acting on this now",
            already_done="This has already been done",
            acting_now_record=None,
            already_done_record=None,
        ),
        interrupt=True,
    ),
)
"""Used for ``immediate_risk: true`` when the questionnaire does not declare the flag itself."""


class Completeness(Frozen):
    """Which questions must be answered before a low result can be relied on."""

    tags: list[Id] = Field(default_factory=list)
    """Questions carrying any of these tags count."""
    questions: list[Id] = Field(default_factory=list)
    """These questions count too (by id)."""
    min_answered: float | None = Field(default=None, gt=0, le=1)
    """Optional share (0 to 1) of the counted questions that must have a known answer before a
    result at or below ``up_to_level`` can be relied on; below it the result is incomplete."""
    up_to_level: Id | None = None
    """The highest level ``min_answered`` applies to (default: the lowest level)."""

    @field_validator("tags", "questions", mode="before")
    @classmethod
    def _one_id(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class Band(Frozen):
    """A range of total scores that maps to a level."""

    min: int
    """Lowest score in the band (inclusive)."""
    max: int | None = None
    """Highest score in the band (inclusive); leave out for "and above" on the last band."""
    level: Id


class Scoring(Frozen):
    """The additive score: option weights summed over visible answers, mapped to a band."""

    bands: list[Band] = Field(min_length=1)
    """Bands in ascending order; together they must cover every reachable score."""
