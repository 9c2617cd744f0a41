"""What the practitioner reads about a screening: review rows, guidance, hints, rule notices.

Shared by the wizard and plain mode so both say the same things in the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from cse_screen.questionnaire.models import Question, Questionnaire
from cse_screen.questionnaire.values import answer_words
from cse_screen.scoring.result import FiredRule
from cse_screen.session.wizard import WizardSession

__all__ = [
    "REVIEW_MARKS",
    "ReviewRow",
    "ReviewStatus",
    "RuleNotice",
    "answer_words",
    "guidance_lines",
    "language_hints",
    "review_rows",
    "rule_notices",
]

ReviewStatus = Literal["answered", "not_known", "unanswered", "required", "hidden"]

REVIEW_MARKS: dict[str, str] = {
    "answered": "✓",
    "not_known": "? not known",
    "unanswered": "– unanswered",
    "required": "! required, unanswered",
    "hidden": "⊘ hidden: kept, not counted",
}
"""Text marks for review rows, so status never depends on colour alone."""


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One question as the review lists it."""

    section: str
    """The section's title."""
    question_id: str
    text: str
    """The question."""
    answer: str
    """The answer in words ("" when there is none)."""
    status: ReviewStatus
    note: str | None = None


def review_rows(session: WizardSession) -> list[ReviewRow]:
    """Every question that is asked or has a kept answer, by section, with its status."""
    q = session.questionnaire
    rows = []
    not_known = set(session.result().not_known)
    for section in q.sections:
        for question in section.questions:
            value = session.screening.value(question.id)
            visible = session.is_visible(question.id)
            if not visible and value is None:
                continue
            status: ReviewStatus
            if not visible:
                status = "hidden"
            elif question.id in not_known:
                status = "not_known"
            elif value is not None:
                status = "answered"
            else:
                status = "required" if question.required else "unanswered"
            answer = session.screening.answers.get(question.id)
            rows.append(
                ReviewRow(
                    section.title,
                    question.id,
                    question.text,
                    answer_words(q, question, value),
                    status,
                    None if answer is None else answer.note,
                )
            )
    return rows


def guidance_lines(question: Question) -> list[str]:
    """The question's guidance as labelled lines (empty when it has none)."""
    g = question.guidance
    if g is None:
        return []
    parts = (("What it means", g.means), ("Look for", g.look_for), ("You could ask", g.ask))
    return [f"{label}: {text}" for label, text in parts if text]


_NAME_LIKE = re.compile(r"^[A-Z][a-z'\-]{1,}(\s+[A-Z][a-z'\-]{1,})+$")

FULL_NAME_HINT = "This looks like a full name. Initials or a local reference keep the person's details safer."
"""Said (never enforced) when a child reference looks like a full name."""


def looks_like_full_name(text: str) -> bool:
    """True for "Firstname Lastname"-shaped text (a gentle hint, never a block)."""
    return bool(_NAME_LIKE.match(text.strip()))


CHILD_WORDS = "child_words"
"""A question with this id or tag holds the child's own words (the report's convention too)."""


def checks_language(question: Question) -> bool:
    """Whether what is typed for ``question`` is checked for victim-blaming words.

    Everything the practitioner writes is (their analysis, a long or short text answer);
    the child's own words never are: they are recorded exactly as said.
    """
    return question.id != CHILD_WORDS and CHILD_WORDS not in question.tags


def language_hints(text: str) -> list[str]:
    """A suggestion for each victim-blaming phrase found in ``text`` (empty when none)."""
    # Imported when a note is first checked: the wizard's first frame does not need it.
    from cse_screen.language import check_text

    return [f"Instead of \u201c{f.matched}\u201d, consider: {f.suggestion}" for f in check_text(text)]


@dataclass(frozen=True, slots=True)
class RuleNotice:
    """What to do now because an answer made a rule fire (not immediate risk: that has its alert)."""

    rule_id: str
    reason: str
    """Why the rule fired (the questionnaire's words)."""
    next_steps: tuple[str, ...]


def rule_notices(questionnaire: Questionnaire, fired: tuple[FiredRule, ...]) -> list[RuleNotice]:
    """Notices for rules that have just fired and have next steps of their own."""
    rules = {r.id: r for r in questionnaire.rules}
    out = []
    for f in fired:
        rule = rules.get(f.id)
        if rule is None or f.immediate_risk or not rule.next_steps:
            continue
        out.append(RuleNotice(f.id, f.reason, tuple(rule.next_steps)))
    return out
