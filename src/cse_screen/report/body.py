"""The answers part of the report: what was asked and answered, and what it adds up to.

Nothing here knows CSE question ids; the questionnaire decides (see :mod:`report.build`):
``long_text`` questions are narratives, questions tagged ``strength`` are strengths, the
chart counts the questions the framing names and buckets options as it says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from cse_screen.questionnaire.index import QuestionnaireIndex
from cse_screen.questionnaire.models import (
    ChartBucket,
    DateQuestion,
    LongTextQuestion,
    MultiChoiceQuestion,
    Option,
    Question,
    Questionnaire,
    SingleChoiceQuestion,
    TextQuestion,
)
from cse_screen.report.doc import Category, ChartBar, LanguageNote, Narrative, Row, SectionRows, ToFind
from cse_screen.scoring.result import Result
from cse_screen.screening import SOURCE_LABELS, Answer, Screening

STRENGTH_TAG = "strength"
CHILD_WORDS = "child_words"
ANALYSIS_IDS = frozenset({"practitioner_analysis", "analysis"})


def language_notes(*texts: str) -> list[LanguageNote]:
    """Language-list phrases in the practitioner's texts, in order (see :mod:`cse_screen.language`)."""
    from cse_screen.language import check_text

    return [
        LanguageNote(matched=flag.matched, suggestion=flag.suggestion, soft=flag.soft)
        for text in texts
        if text.strip()
        for flag in check_text(text)
    ]


def categorise(option: Option, buckets: Mapping[ChartBucket, Sequence[str]] | None = None) -> Category:
    """How an option counts in the chart (yes / possible / not known / no / other).

    ``buckets`` (the questionnaire's ``framing.chart.buckets``) wins over the defaults.
    """
    for bucket, ids in (buckets or {}).items():
        if option.id in ids:
            return bucket
    if option.not_known:
        return "not_known"
    oid = option.id
    if oid == "no" or oid.startswith(("no_", "no-")):
        return "no"
    if oid.startswith("possibl"):
        return "possible"
    if oid == "yes" or oid.startswith(("yes_", "yes-")):
        return "yes"
    return "other"


class ReportBody:
    """The answers part of a report: rows by section, the chart, narratives, strengths, gaps.

    Args:
        questionnaire: the questionnaire the screening used.
        index: its index (options and questions by id).
        screening: the answers, notes and details.
        result: the engine's result for the screening (hidden and unanswered questions).
        clean: applied to every text the practitioner wrote (the redactor, or nothing).
    """

    def __init__(
        self,
        questionnaire: Questionnaire,
        index: QuestionnaireIndex,
        screening: Screening,
        result: Result,
        clean: Callable[[str], str],
    ) -> None:
        self.q = questionnaire
        self.index = index
        self.screening = screening
        self.result = result
        self.hidden = set(result.hidden_answered)
        self.unanswered = set(result.unanswered)
        self.clean = clean

    def answer_words(self, question: Question, answer: Answer) -> tuple[str, Category]:
        value = answer.value
        if value is None:
            return "Not answered", "unanswered"
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            options = self.index.options.get(question.id, {})
            ids = [value] if isinstance(value, str | int) else list(value)
            chosen = [options.get(str(i)) for i in ids]
            words = "; ".join(o.label if o else str(i) for o, i in zip(chosen, ids, strict=True))
            if isinstance(question, SingleChoiceQuestion) and chosen and chosen[0] is not None:
                return words, categorise(chosen[0], self.q.framing.chart.buckets)
            return words, "other"
        if isinstance(question, DateQuestion):
            return str(value), "other"
        text = value if isinstance(value, str) else str(value)
        return (self.clean(text) if isinstance(value, str) else text), "other"

    def row(self, question: Question) -> Row | None:
        answer = self.screening.answers.get(question.id)
        if question.id in self.hidden:
            return None  # hidden by show_if: the kept answer does not count and is not reported
        if answer is None or answer.value is None:
            if question.id not in self.unanswered:
                return None  # not asked (hidden) or optional free text left empty
            answer = answer or Answer()
        words, category = self.answer_words(question, answer)
        note = self.clean(answer.note or "")
        typed = words if isinstance(question, TextQuestion) else ""  # typed by the practitioner
        return Row(
            question_id=question.id,
            question=question.text,
            tags=list(question.tags),
            answer=words,
            category=category,
            source=SOURCE_LABELS.get(answer.source, "") if answer.source else "",
            note=note,
            language=language_notes(typed, note),
        )

    def parts(self) -> tuple[list[SectionRows], list[ChartBar], list[Narrative], list[Row]]:
        """Rows by section, chart bars, narratives (child's words first) and strengths."""
        chart_tags = set(self.q.framing.chart.tags)
        sections: list[SectionRows] = []
        chart: list[ChartBar] = []
        narratives: list[Narrative] = []
        strengths: list[Row] = []
        for section in self.q.sections:
            rows: list[Row] = []
            counts = {"yes": 0, "possible": 0, "not_known": 0, "no": 0}
            for question in section.questions:
                if isinstance(question, LongTextQuestion):
                    narrative = self.narrative(question)
                    if narrative is not None:
                        narratives.append(narrative)
                    continue
                row = self.row(question)
                if row is None:
                    continue
                if STRENGTH_TAG in question.tags:
                    strengths.append(row)
                    continue
                rows.append(row)
                counted = (
                    chart_tags.intersection(question.tags)
                    if chart_tags
                    else isinstance(question, SingleChoiceQuestion)
                )
                if counted:
                    if row.category in counts:
                        counts[row.category] += 1
                    elif row.category == "unanswered":
                        counts["not_known"] += 1
            if rows:
                sections.append(SectionRows(id=section.id, title=section.title, rows=rows))
            if any(counts.values()):
                chart.append(ChartBar(section_id=section.id, title=section.title, **counts))
        order = {"child_words": 0, "analysis": 1, "other": 2}
        narratives.sort(key=lambda n: order[n.kind])  # stable: questionnaire order within a kind
        return sections, chart, narratives, strengths

    def narrative(self, question: LongTextQuestion) -> Narrative | None:
        answer = self.screening.answers.get(question.id)
        if answer is None or question.id in self.hidden or not isinstance(answer.value, str):
            return None
        if not answer.value.strip():
            return None
        tags = set(question.tags)
        kind: Literal["child_words", "analysis", "other"]
        if self.q.framing.child_words and (question.id == CHILD_WORDS or CHILD_WORDS in tags):
            kind = "child_words"
        elif question.id in ANALYSIS_IDS or "analysis" in tags:
            kind = "analysis"
        else:
            kind = "other"
        text = answer.value if not answer.note else f"{answer.value}\n\nNote: {answer.note}"
        # The child's words are quoted as said and never checked; the practitioner's note on
        # them, and every other free text, is.
        checked = self.clean(answer.note or "") if kind == "child_words" else self.clean(text)
        return Narrative(
            question_id=question.id,
            title=question.text,
            kind=kind,
            text=self.clean(text),
            source=SOURCE_LABELS.get(answer.source, "") if answer.source else "",
            language=language_notes(checked),
        )

    def to_find_out(self) -> list[ToFind]:
        status: dict[str, Literal["not_known", "unanswered"]] = {
            qid: "not_known" for qid in self.result.not_known
        }
        status.update({qid: "unanswered" for qid in self.result.unanswered})
        out = []
        for question in self.index.questions:
            if question.id in status:
                out.append(
                    ToFind(question_id=question.id, question=question.text, status=status[question.id])
                )
        return out
