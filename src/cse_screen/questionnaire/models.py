"""The questionnaire format: frozen pydantic models that document the YAML.

Everything CSE-specific (questions, option sets, tags, rules, weights, bands, next
steps) is data described by these models; the engine in :mod:`cse_screen.scoring`
knows nothing about particular question ids.

Field docstrings become descriptions in the JSON Schema (``cse-screen schema``), so
they are written for the person editing a questionnaire YAML file.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    StrictBool,
    Tag,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    field_validator,
    model_validator,
)

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
"""Identifiers: lower case letters, digits, ``_`` and ``-``."""


class Frozen(BaseModel):
    """Base for every model of the format: immutable, unknown keys rejected."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        populate_by_name=True,
    )


# --------------------------------------------------------------------------- options


class Option(Frozen):
    """One answer a person can pick for a choice question."""

    id: Id
    """Stable id stored in answers files and referred to by conditions and rules."""
    label: str = Field(min_length=1)
    """What the practitioner sees, e.g. "Yes, now or in the last 3 months"."""
    weight: int = 0
    """Points this option adds to the additive score (may be overridden per question)."""
    not_known: StrictBool = False
    """True for the "not known" answer: counted and listed as information to gather, not as a no."""
    description: str | None = None
    """Optional extra words shown beside the label."""


# --------------------------------------------------------------------------- conditions


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

AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()


# --------------------------------------------------------------------------- questions


class Guidance(Frozen):
    """Help shown with a question (toggle in the wizard)."""

    means: str | None = None
    """What the question means, in plain words."""
    look_for: str | None = None
    """What a practitioner might see or hear."""
    ask: str | None = None
    """An open, non-leading question the practitioner could ask the child."""


class _QuestionBase(Frozen):
    id: Id
    """Unique across the questionnaire; stored in answers files (a fixed contract once published)."""
    text: str = Field(min_length=1)
    """The question as the practitioner reads it."""
    guidance: Guidance | None = None
    """Optional help: what it means, what to look for, an open question to ask."""
    required: StrictBool = False
    """If true the screening cannot be finished without an answer."""
    tags: list[Id] = Field(default_factory=list)
    """Labels for rules and conditions, e.g. risk, significant, vulnerability, sexual, strength."""
    show_if: Condition | None = None
    """Ask this question only when the condition holds; it may only look at earlier questions."""
    notes: StrictBool = True
    """Whether a note and its source may be recorded with the answer."""


class SingleChoiceQuestion(_QuestionBase):
    """Pick exactly one option."""

    type: Literal["single"]
    options: Id | list[Option]
    """Either the id of an entry in ``option_sets`` or a list of options."""
    weights: dict[Id, int] = Field(default_factory=dict)
    """Per-question weight overrides, option id -> points."""


class MultiChoiceQuestion(_QuestionBase):
    """Pick any number of options."""

    type: Literal["multi"]
    options: Id | list[Option]
    """Either the id of an entry in ``option_sets`` or a list of options."""
    weights: dict[Id, int] = Field(default_factory=dict)
    """Per-question weight overrides, option id -> points."""


class IntegerQuestion(_QuestionBase):
    """A whole number within bounds."""

    type: Literal["integer"]
    min: int | None = None
    """Smallest accepted answer."""
    max: int | None = None
    """Largest accepted answer."""
    out_of_range: str | None = None
    """Shown when an answer is outside min..max (e.g. "18 or over: use adult safeguarding")."""


class TextQuestion(_QuestionBase):
    """A short line of text."""

    type: Literal["text"]
    max_length: int = Field(default=500, ge=1)
    """Longest accepted answer, in characters."""


class LongTextQuestion(_QuestionBase):
    """Free text over several lines (e.g. the child's own words)."""

    type: Literal["long_text"]
    max_length: int = Field(default=20000, ge=1)
    """Longest accepted answer, in characters."""


class DateQuestion(_QuestionBase):
    """A calendar date, answered as YYYY-MM-DD."""

    type: Literal["date"]


Question = Annotated[
    SingleChoiceQuestion
    | MultiChoiceQuestion
    | IntegerQuestion
    | TextQuestion
    | LongTextQuestion
    | DateQuestion,
    Field(discriminator="type"),
]
"""Any question; ``type`` says which kind."""

ChoiceQuestion = SingleChoiceQuestion | MultiChoiceQuestion


class Section(Frozen):
    """A titled group of questions, asked in order."""

    id: Id
    title: str = Field(min_length=1)
    intro: str | None = None
    """A short paragraph shown before the first question of the section."""
    questions: list[Question] = Field(min_length=1)


# --------------------------------------------------------------------------- outcome


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


DEFAULT_IMMEDIATE_RISK_FLAG = Flag(
    id=IMMEDIATE_RISK_FLAG,
    label="Urgent action needed",
    alert=Alert(
        title="URGENT — ACT NOW",
        text=["An answer means someone may need help urgently."],
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


class AnswerSpec(Frozen):
    """An answer in long form (used in test cases and answers files)."""

    answer: int | str | list[str] | None = None
    note: str | None = None
    source: str | None = None


class Expectation(Frozen):
    """What a test case expects of the result."""

    level: Id
    """Expected final level."""
    immediate_risk: StrictBool | None = None
    """If given, whether an alert that interrupts must be raised."""
    incomplete: StrictBool | None = None
    rules: list[Id] | None = None
    """If given, exactly these rule ids must fire (order does not matter)."""
    flags: list[Id] | None = None
    """If given, exactly these flag ids must be raised (order does not matter)."""


class TestCase(Frozen):
    """Given these answers, expect this result. Run by ``cse-screen validate``."""

    __test__ = False  # not a pytest class

    name: str = Field(min_length=1)
    answers: dict[Id, int | str | list[str] | AnswerSpec]
    """Answers in short form (``q: option``) or long form (``q: {answer: …, note: …}``)."""
    judgement: dict[str, str] | None = None
    """Optional professional judgement: ``{level: …, reason: …}``."""
    expect: Expectation


class Signpost(Frozen):
    """A national service to mention in reports."""

    name: str
    what: str
    contact: str | None = None


class AgeRange(Frozen):
    """The ages the questionnaire is meant for."""

    min: int = 0
    max: int = 17


class ChartFraming(Frozen):
    """Which answers the report's "at a glance" chart counts, and how."""

    tags: list[Id] = Field(default_factory=list)
    """Count questions with any of these tags. Empty: every single-choice question counts."""
    buckets: dict[Literal["yes", "possible", "not_known", "no"], list[Id]] = Field(default_factory=dict)
    """Option ids per bar segment, e.g. ``yes: [yes_recent, yes_earlier]``. A segment left out
    uses the default: options marked ``not_known``; ids ``no``/``no_…``, ``possible…``, ``yes``/``yes_…``."""


class Framing(Frozen):
    """How the tool presents itself around the questions. Every default is neutral."""

    start_banner: str = "A screening supports your judgement; it is not a verdict."
    """Shown first on the wizard's start screen and in plain mode (e.g. what to do in an emergency)."""
    subject_label: str = "Reference"
    """What the person screened is called where their reference is asked for and reported,
    e.g. "Child reference"."""
    subject_hint: str = "initials or a reference, not a full name"
    """Shown with the reference field."""
    subject_short: str | None = None
    """What the subject is called before their reference on every report page and in the
    wizard's header, e.g. "Child"; left out: ``subject_label``."""
    confidentiality: str = "Confidential — contains personal data"
    """The confidentiality notice on every report page, after the reference."""
    sub_title: str | None = None
    """The wizard's header line once this questionnaire is chosen; left out: its title."""
    reference_needed: str = "A reference is needed so the record says who this is, e.g. initials."
    """Said in plain mode when the reference is left empty."""
    no_guidance: str = "No guidance for this question. Use your professional judgement."
    """Said when a question has no guidance and the practitioner asks for it."""
    no_contacts: str = (
        "No local contacts were set up where this report was made. "
        "Use your own setting's contacts for advice and support."
    )
    """The report's contacts section when no local contacts are set up (name the services to call)."""
    report_title: str = "Screening summary"
    """The report's title."""
    audience: str | None = None
    """Who the report is for, e.g. "the designated safeguarding lead" (shown under the title)."""
    caveats: list[str] = Field(
        default_factory=lambda: ["This result supports professional judgement; it is not a verdict."]
    )
    """Lines every report carries under the outcome."""
    strengths: StrictBool = False
    """Whether the report has a strengths section (questions tagged ``strength``), even when empty."""
    child_words: StrictBool = False
    """Whether the report puts a narrative with id or tag ``child_words`` first, as the subject's
    own words."""
    chart: ChartFraming = Field(default_factory=ChartFraming)
    """The report's chart: which questions it counts and how answers are bucketed."""


class Questionnaire(Frozen):
    """A whole screening tool."""

    id: Id
    """Stable id, e.g. ``cse-screening``; used by ``cse-screen score ID …``."""
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    """Version of this tool's content; stored with every screening."""
    description: str = ""
    age_range: AgeRange | None = None
    """Intended age range of the child."""
    option_sets: dict[Id, list[Option]] = Field(default_factory=dict)
    """Reusable option lists, referred to by id from questions."""
    sections: list[Section] = Field(min_length=1)
    levels: list[Level] = Field(min_length=2)
    """Outcome levels, lowest first."""
    incomplete_message: str = (
        "Some answers are not known or missing: gather more information before relying on this result."
    )
    """Shown when a result is marked incomplete (see ``completeness``)."""
    flags: list[Flag] = Field(default_factory=list)
    """Flags rules can raise beside the level, each with its alert."""
    completeness: Completeness | None = None
    """Which questions count for completeness. Left out: every visible choice or whole-number
    question that is required or carries points counts; optional unscored ones never do."""
    rules: list[Rule] = Field(default_factory=list)
    scoring: Scoring
    final_line: str = Field(min_length=1)
    """Shown at the end of every outcome."""
    signposting: list[Signpost] = Field(default_factory=list)
    cases: list[TestCase] = Field(default_factory=list)
    """Built-in test cases run by ``cse-screen validate``."""
    framing: Framing = Field(default_factory=Framing)
    """Titles, labels, banners and report sections; neutral unless declared."""
    language_allow: list[str] = Field(default_factory=list)
    """Phrases the language check should not warn about in this file (e.g. the fixed wording
    of a published tool), as reported by ``cse-screen validate``. Matching ignores case."""

    # ----------------------------------------------------------------- helpers
    # Plain methods (not cached properties) keep the model frozen and hashable; the
    # loader builds an index once (see ``cse_screen.questionnaire.index``) for hot paths.

    def questions(self) -> list[Question]:
        """All questions in asking order."""
        return [q for s in self.sections for q in s.questions]

    def level_ids(self) -> list[str]:
        """Level ids, lowest first."""
        return [lv.id for lv in self.levels]

    def level(self, level_id: str) -> Level:
        """The level with this id (KeyError if there is none)."""
        for lv in self.levels:
            if lv.id == level_id:
                return lv
        raise KeyError(level_id)

    def flag(self, flag_id: str) -> Flag:
        """The declared flag with this id (the built-in default for ``immediate_risk``).

        Raises:
            KeyError: no flag has this id.
        """
        for flag in self.flags:
            if flag.id == flag_id:
                return flag
        if flag_id == IMMEDIATE_RISK_FLAG:
            return DEFAULT_IMMEDIATE_RISK_FLAG
        raise KeyError(flag_id)

    def options_of(self, question: ChoiceQuestion) -> list[Option]:
        """The options of a choice question, resolving an option-set reference and weights."""
        opts = self.option_sets[question.options] if isinstance(question.options, str) else question.options
        if not question.weights:
            return opts
        return [
            o.model_copy(update={"weight": question.weights[o.id]}) if o.id in question.weights else o
            for o in opts
        ]
