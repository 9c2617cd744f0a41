"""The questionnaire format: frozen pydantic models that document the YAML.

Everything CSE-specific (questions, option sets, tags, rules, weights, bands, next
steps) is data described by these models; the engine in :mod:`cse_screen.scoring`
knows nothing about particular question ids.

Field docstrings become descriptions in the JSON Schema (``cse-screen schema``), so
they are written for the person editing a questionnaire YAML file.

This module holds the questionnaire itself, its sections, questions and options, its test
cases and its framing. Conditions are :mod:`condition_models`; levels, rules, flags, bands
and next steps are :mod:`outcome_models`; the shared base is :mod:`model_base`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool

from cse_screen.questionnaire.condition_models import Condition
from cse_screen.questionnaire.model_base import Frozen, Id
from cse_screen.questionnaire.outcome_models import (
    DEFAULT_IMMEDIATE_RISK_FLAG,
    IMMEDIATE_RISK_FLAG,
    Completeness,
    Flag,
    Level,
    Rule,
    Scoring,
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


# --------------------------------------------------------------------------- test cases, framing


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


ChartBucket = Literal["yes", "possible", "not_known", "no"]
"""A segment of the report's chart bars that options can be put in."""


class ChartFraming(Frozen):
    """Which answers the report's "at a glance" chart counts, and how."""

    tags: list[Id] = Field(default_factory=list)
    """Count questions with any of these tags. Empty: every single-choice question counts."""
    buckets: dict[ChartBucket, list[Id]] = Field(default_factory=dict)
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
