"""The report document: everything a DSL reads, in reading order, as one frozen model.

:class:`ReportDoc` is both the JSON export (``schema_version`` says which shape) and the
only input of the Markdown, HTML and PDF renderers, so a report rendered from a saved
JSON file is identical to one rendered straight from the screening.

Every string a person typed is of type :data:`SafeText`: control, bidi and invisible
characters are made visible on validation (see :mod:`cse_screen.report.text`), so even a
hand-edited JSON file cannot smuggle a terminal escape into a rendered report.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from cse_screen.report.text import neutralise

SCHEMA_VERSION: Literal[1] = 1
"""Bump when a field is removed or changes meaning; adding optional fields keeps it."""

SafeText = Annotated[str, AfterValidator(neutralise)]
"""Text with control, bidi and invisible characters made visible and inert."""

Category = Literal["yes", "possible", "not_known", "no", "other", "unanswered"]
"""How an answer counts in the chart: see :func:`cse_screen.report.body.categorise`."""


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ToolInfo(_Doc):
    """The program that made the report."""

    name: SafeText = "cse-screen"
    version: SafeText


class QuestionnaireInfo(_Doc):
    """The exact questionnaire the screening used."""

    id: SafeText
    title: SafeText
    version: SafeText
    sha256: SafeText
    """SHA-256 of the questionnaire text: proves which rules and wording produced the result."""


class Details(_Doc):
    """Who screened whom, when, and who the report is shared with."""

    child_ref: SafeText = ""
    """Initials or a school/case reference (a placeholder in a minimised copy)."""
    practitioner: SafeText = ""
    role: SafeText = ""
    date: dt.date | None = None
    """The date of the screening."""
    shared_with: SafeText = ""
    sharing_basis: SafeText = ""
    sharing_basis_language: list[LanguageNote] = Field(default_factory=list)
    """Phrases to reconsider in the basis for sharing (the reason given for "other")."""


class Acknowledgement(_Doc):
    """The practitioner confirmed the immediate-danger alert."""

    action: SafeText
    """``calling_now`` or ``already_done``."""
    label: SafeText
    """The action in words."""
    at: dt.datetime
    """When (UTC)."""


class LanguageNote(_Doc):
    """A phrase from the language list found in the practitioner's own words, with what to
    say instead. The child's words are never checked: they are quoted as said."""

    matched: SafeText
    """The phrase as written."""
    suggestion: SafeText
    """What to say instead."""
    soft: bool = False
    """True when the phrase can be fine in context: check it rather than change it."""


class JudgementInfo(_Doc):
    """The practitioner's professional judgement on the computed level."""

    level: SafeText
    level_label: SafeText
    direction: Literal["raised", "lowered", "confirmed"]
    """How the judgement moved the level from the computed one."""
    reason: SafeText
    language: list[LanguageNote] = Field(default_factory=list)
    """Phrases to reconsider in the reason."""


class FlagBanner(_Doc):
    """A raised flag shown as a banner with the outcome (the questionnaire's own words)."""

    label: SafeText
    title: SafeText = ""
    text: list[SafeText] = Field(default_factory=list)


class FramingInfo(_Doc):
    """The questionnaire's framing of the report: title, subject label, caveats, sections."""

    title: SafeText = "Screening summary"
    """The report's title, with the audience when the questionnaire names one."""
    subject_label: SafeText = "Reference"
    """What the person screened is called beside their reference, e.g. "Child reference"."""
    caveats: list[SafeText] = Field(default_factory=list)
    """Lines shown under the outcome."""
    strengths_section: bool = False
    """Whether a strengths section is shown even when no strength is recorded."""
    # Carried in the JSON too, so a report rendered from it has the same page furniture.
    subject_short: SafeText = "Reference"
    """What the subject is called before their reference in each page's footer, e.g. "Child"."""
    confidentiality: SafeText = "Confidential — contains personal data"
    """The confidentiality notice in each page's footer."""
    no_contacts: SafeText = "No local contacts were set up where this report was made."
    """The contacts section's text when no local contacts are set up."""


class Outcome(_Doc):
    """The box at the top: what level, why it may differ from the computed one, what is urgent."""

    level: SafeText
    """The final level id."""
    level_label: SafeText
    level_icon: SafeText = ""
    level_summary: SafeText = ""
    level_rank: int
    """0 for the lowest level of the questionnaire."""
    level_count: int
    """How many levels the questionnaire has."""
    computed_level: SafeText
    computed_label: SafeText
    score: int
    band_level: SafeText
    floor_level: SafeText
    judgement: JudgementInfo | None = None
    immediate_risk: bool = False
    immediate_step: SafeText = ""
    """The first next step, repeated in the danger banner."""
    danger_heading: SafeText = "Immediate danger"
    """The interrupting flag's label, heading the danger banner."""
    flags: list[FlagBanner] = Field(default_factory=list)
    """Raised flags that do not interrupt, each shown as a banner."""
    acknowledgements: list[Acknowledgement] = Field(default_factory=list)
    incomplete: bool = False
    incomplete_message: SafeText = ""


class FiredRuleInfo(_Doc):
    """A rule that fired, with its reason."""

    id: SafeText
    reason: SafeText
    effect: SafeText
    """E.g. "at least: Significant concern"."""


class ContributionInfo(_Doc):
    """Points one answer added to the score."""

    question_id: SafeText
    question: SafeText
    answer: SafeText
    points: int


class Row(_Doc):
    """One question with its answer, source and note."""

    question_id: SafeText
    question: SafeText
    tags: list[SafeText] = Field(default_factory=list)
    answer: SafeText
    """The answer in words ("Not answered" when there is none)."""
    category: Category
    source: SafeText = ""
    """Where the information came from, in words (fact), kept apart from the note (account)."""
    note: SafeText = ""
    language: list[LanguageNote] = Field(default_factory=list)
    """Phrases to reconsider in the note or a typed answer."""


class SectionRows(_Doc):
    """The rows of one questionnaire section."""

    id: SafeText
    title: SafeText
    rows: list[Row]


class ChartBar(_Doc):
    """Indicator answers of one section, counted by kind."""

    section_id: SafeText
    title: SafeText
    yes: int = 0
    possible: int = 0
    not_known: int = 0
    """Answered "not known" or not answered: both are information still to find."""
    no: int = 0


class Narrative(_Doc):
    """A free-text answer shown verbatim in its own section."""

    question_id: SafeText
    title: SafeText
    kind: Literal["child_words", "analysis", "other"]
    """``child_words`` and ``analysis`` come first by convention; see docs/report.md."""
    text: SafeText
    source: SafeText = ""
    language: list[LanguageNote] = Field(default_factory=list)
    """Phrases to reconsider in the practitioner's text (for the child's words: only in the
    practitioner's note on them)."""


class ToFind(_Doc):
    """A question whose answer is not known or missing: something to find out."""

    question_id: SafeText
    question: SafeText
    status: Literal["not_known", "unanswered"]


class Contact(_Doc):
    """A local contact line."""

    label: SafeText
    value: SafeText


class SignpostInfo(_Doc):
    """A national service from the questionnaire's signposting."""

    name: SafeText
    what: SafeText
    contact: SafeText = ""


class HistoryEntry(_Doc):
    """An earlier screening of the same child."""

    date: dt.date | None = None
    level: SafeText
    level_label: SafeText = ""


class DecisionInfo(_Doc):
    """A decision by the DSL on this screening (several are kept, oldest first)."""

    outcome: Literal["nfa", "monitor", "early_help", "social_care", "police", "other"]
    outcome_label: SafeText
    """The outcome in words (with what "other" means)."""
    decided_by: SafeText
    role: SafeText
    decided_at: dt.datetime
    reasons: SafeText
    referral_ref: SafeText = ""
    told_parents: bool | None = None
    """Were the parents or carers told (None: not recorded)."""
    not_told_reason: SafeText = ""
    next_review: dt.date | None = None
    highlighted: bool = False
    """No further action after significant concern or immediate danger: shown so it stands out."""


class AmendmentInfo(_Doc):
    """A change made after the screening was completed: who, when, old and new, and why."""

    at: dt.datetime
    who: SafeText
    what: SafeText
    """What changed, e.g. "Answer: How old is the child?" or "Final level"."""
    old: SafeText
    new: SafeText
    reason: SafeText


class ReportDoc(_Doc):
    """The whole report, in the order a DSL reads it."""

    schema_version: Literal[1] = SCHEMA_VERSION
    """Version of this document's shape."""
    generated_at: dt.datetime
    """When the report was made (UTC)."""
    tool: ToolInfo
    questionnaire: QuestionnaireInfo
    details: Details
    redacted: bool = False
    """True for a minimised copy: the child reference and marked names are placeholders."""
    outcome: Outcome
    reasons: list[SafeText] = Field(default_factory=list)
    """Plain sentences: why this level."""
    rules_fired: list[FiredRuleInfo] = Field(default_factory=list)
    contributions: list[ContributionInfo] = Field(default_factory=list)
    chart: list[ChartBar] = Field(default_factory=list)
    sections: list[SectionRows] = Field(default_factory=list)
    """Indicators and other answers by section (strengths and free text are listed apart)."""
    narratives: list[Narrative] = Field(default_factory=list)
    strengths: list[Row] = Field(default_factory=list)
    to_find_out: list[ToFind] = Field(default_factory=list)
    next_steps: list[SafeText] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    signposting: list[SignpostInfo] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)
    """Earlier screenings of the same child, oldest first."""
    decisions: list[DecisionInfo] = Field(default_factory=list)
    """The DSL's decisions on a saved screening, oldest first."""
    amendments: list[AmendmentInfo] = Field(default_factory=list)
    """Changes made after completion, oldest first (the original stays in the audit trail)."""
    review_due: dt.date | None = None
    """When the screening is due to be reviewed (None: no date set)."""
    final_line: SafeText
    framing: FramingInfo = Field(default_factory=FramingInfo)
    """Title, subject label, caveats and optional sections, from the questionnaire."""
