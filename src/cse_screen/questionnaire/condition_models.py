"""The conditions of the questionnaire format: ``show_if`` on a question, ``when`` on a rule.

A condition is structured data, never a string to evaluate: a mapping with exactly one
of the keys ``all``, ``any``, ``not``, ``answer``, ``answered``, ``number``, ``tagged``.
The engine compiles them (:mod:`cse_screen.scoring.conditions`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from cse_screen.questionnaire.model_base import Frozen, Id


class AnswerTest(Frozen):
    """ "This question was answered with one of these options"."""

    question: Id
    """The id of a choice question asked before the one using the condition."""
    in_: list[Id] = Field(alias="in", min_length=1)
    """Option ids; holds if the answer (for multiple choice: any chosen option) is one of them."""


class NumberTest(Frozen):
    """A comparison on the answer of an integer question."""

    question: Id
    """The id of an integer question."""
    below: int | None = None
    """Holds if the answer is strictly less than this."""
    above: int | None = None
    """Holds if the answer is strictly greater than this."""
    at_least: int | None = None
    """Holds if the answer is greater than or equal to this."""
    at_most: int | None = None
    """Holds if the answer is less than or equal to this."""

    @model_validator(mode="after")
    def _one_bound(self) -> NumberTest:
        if all(v is None for v in (self.below, self.above, self.at_least, self.at_most)):
            raise ValueError("give at least one of below, above, at_least, at_most")
        return self


class TagTest(Frozen):
    """ "Some question carrying one of these tags was answered with one of these options"."""

    tags: list[Id] = Field(min_length=1)
    """Tags to look for (a question matches if it has any of them). A single string is accepted."""
    in_: list[Id] = Field(alias="in", min_length=1)
    """Option ids that count as a match."""
    at_least: int = Field(default=1, ge=1)
    """How many matching questions are needed (default 1)."""

    @field_validator("tags", mode="before")
    @classmethod
    def _one_tag(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class AllCondition(Frozen):
    """Holds when every listed condition holds."""

    all: list[Condition] = Field(min_length=1)


class AnyCondition(Frozen):
    """Holds when at least one listed condition holds."""

    any: list[Condition] = Field(min_length=1)


class NotCondition(Frozen):
    """Holds when the inner condition does not."""

    not_: Condition = Field(alias="not")


class AnswerCondition(Frozen):
    """Wraps an :class:`AnswerTest`: ``{answer: {question: q, in: [a, b]}}``."""

    answer: AnswerTest


class AnsweredCondition(Frozen):
    """Holds when the named question has any answer: ``{answered: q}``."""

    answered: Id


class NumberCondition(Frozen):
    """Wraps a :class:`NumberTest`: ``{number: {question: age, below: 13}}``."""

    number: NumberTest


class TaggedCondition(Frozen):
    """Wraps a :class:`TagTest`: ``{tagged: {tags: [sexual], in: [yes_recent]}}``."""

    tagged: TagTest


_CONDITION_KEYS = ("all", "any", "not", "answer", "answered", "number", "tagged")


def _condition_key(value: Any) -> str | None:
    """Pick the condition kind from its single key (pydantic discriminator)."""
    if isinstance(value, dict):
        keys = [k for k in value if k in _CONDITION_KEYS]
        return keys[0] if len(keys) == 1 else None
    for key, cls in _CONDITION_CLASSES.items():
        if isinstance(value, cls):
            return key
    return None


Condition = Annotated[
    Annotated[AllCondition, Tag("all")]
    | Annotated[AnyCondition, Tag("any")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[AnswerCondition, Tag("answer")]
    | Annotated[AnsweredCondition, Tag("answered")]
    | Annotated[NumberCondition, Tag("number")]
    | Annotated[TaggedCondition, Tag("tagged")],
    Discriminator(
        _condition_key,
        custom_error_type="condition_kind",
        custom_error_message=(
            "a condition is a mapping with exactly one of the keys "
            "all, any, not, answer, answered, number, tagged"
        ),
    ),
]
"""A structured condition (never a string to evaluate)."""

_CONDITION_CLASSES: dict[str, type[Frozen]] = {
    "all": AllCondition,
    "any": AnyCondition,
    "not": NotCondition,
    "answer": AnswerCondition,
    "answered": AnsweredCondition,
    "number": NumberCondition,
    "tagged": TaggedCondition,
}
# No ``model_rebuild()`` here: the three recursive conditions name ``Condition`` before it
# exists, and pydantic resolves the name when a model is first built (``defer_build``), so
# importing the models builds nothing. model_paths builds a model before reading its fields.
