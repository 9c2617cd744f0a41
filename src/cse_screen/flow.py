"""The wizard session: one screening being filled in, question by question.

This is the pure controller (no Textual, no I/O of its own) that both the full-screen
wizard (:mod:`cse_screen.tui`) and the line-by-line plain mode (:mod:`cse_screen.plain`)
drive. It holds the questionnaire and the current :class:`~cse_screen.screening.Screening`,
knows which questions are visible (``show_if``), where the practitioner is, what is still
required, and notices the moment an answer makes an immediate-risk rule fire.

Saving is injected: pass any object with the :class:`Saver` methods (the store's
``Autosaver`` fits) and every change is handed to it as it happens.

:func:`check_installed` is the one function here that reads files: when a saved screening
is opened, it compares the questionnaire stored with it to the one installed today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from cse_screen.errors import UserError
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import (
    MultiChoiceQuestion,
    Option,
    Question,
    Questionnaire,
    Section,
    SingleChoiceQuestion,
)
from cse_screen.questionnaire.values import check_answer, check_judgement
from cse_screen.scoring import evaluate, rule_floor, visible_questions
from cse_screen.scoring.result import FiredRule, Result
from cse_screen.screening import (
    Answer,
    AnswerValue,
    DangerAcknowledgement,
    Judgement,
    Screening,
    ScreeningMeta,
)

if TYPE_CHECKING:
    from cse_screen.store.diff import QuestionnaireDiff

DangerAction = Literal["calling_now", "already_done"]


class Saver(Protocol):
    """Where changes go as they happen (the store's ``Autosaver`` has these methods).

    Implementations must not raise on I/O faults: they keep the change and retry, and
    report their state through their own attributes (e.g. ``pending``, ``last_error``).
    """

    def save_answer(self, question_id: str, answer: Answer | None) -> object:
        """Record one answer (None removes it)."""

    def save_judgement(self, judgement: Judgement | None) -> object:
        """Record the professional judgement (None clears it)."""

    def save_meta(self, meta: ScreeningMeta) -> object:
        """Record who, when and about whom."""

    def save_position(self, question_id: str | None) -> object:
        """Remember where to resume (None: at the review)."""

    def acknowledge(self, ack: DangerAcknowledgement) -> object:
        """Record that the immediate-danger alert was acknowledged."""


class NotAllowed(UserError):
    """A navigation or judgement step that the rules do not allow (message says why)."""


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """What changed when an answer was recorded, for the UI to react to."""

    result: Result
    """The result after the change."""
    immediate_risk_triggered: bool
    """True only at the moment the screening became immediate risk (not on later answers)."""
    newly_fired: tuple[FiredRule, ...]
    """Rules that fire now but did not before the change (e.g. disclosure guidance)."""
    newly_hidden_answered: tuple[str, ...]
    """Questions with answers that this change hid: kept, but no longer counting."""


@dataclass(frozen=True, slots=True)
class SectionProgress:
    """One section as the wizard shows it in the jump list."""

    section: Section
    visible: tuple[str, ...]
    """Ids of the section's visible questions, in order."""
    answered: int
    """How many of them have an answer."""


@dataclass(slots=True)
class _Cache:
    visible: list[str] = field(default_factory=list)
    result: Result | None = None


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class WizardSession:
    """A screening in progress: answers, position, visibility, result and judgement.

    Every change makes a new frozen :class:`Screening` (``session.screening``) and is passed
    to the saver when there is one. Positions are indexes into the *visible* questions;
    ``position == len(visible)`` means "past the last question" (the review).

    Args:
        loaded: The questionnaire as loaded (its hash goes into every result).
        screening: A draft to continue; a new empty screening when None.
        saver: Receives every change (optional; tests and dry runs leave it out).
        position: Question id to start at (e.g. where a draft was left); the first
            visible question when None or no longer visible.
        now: Clock for acknowledgement times (tests pass a fixed one).
    """

    def __init__(
        self,
        loaded: LoadedQuestionnaire,
        screening: Screening | None = None,
        *,
        saver: Saver | None = None,
        position: str | None = None,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self.loaded = loaded
        self.questionnaire: Questionnaire = loaded.questionnaire
        self.saver = saver
        self._now = now
        self._screening = screening or Screening(questionnaire_id=self.questionnaire.id)
        self._questions: dict[str, Question] = {q.id: q for q in self.questionnaire.questions()}
        self._section_of: dict[str, Section] = {
            q.id: s for s in self.questionnaire.sections for q in s.questions
        }
        self._cache = _Cache()
        self._refresh()
        self._index = 0
        if position is not None and position in self._cache.visible:
            self._index = self._cache.visible.index(position)
        elif position is None and screening is not None and screening.answers:
            # A draft without a saved position resumes at its first unanswered question.
            self._index = self._first_unanswered()

    # ------------------------------------------------------------------ state

    @property
    def screening(self) -> Screening:
        """The screening as it stands now."""
        return self._screening

    @property
    def visible(self) -> list[str]:
        """Ids of the questions that are asked now, in order (a copy)."""
        return list(self._cache.visible)

    @property
    def position(self) -> int:
        """Index of the current question in :attr:`visible` (``len(visible)`` at the review)."""
        return self._index

    @property
    def at_end(self) -> bool:
        """True when past the last visible question."""
        return self._index >= len(self._cache.visible)

    @property
    def current_id(self) -> str | None:
        """Id of the current question, or None at the review."""
        return None if self.at_end else self._cache.visible[self._index]

    @property
    def current(self) -> Question | None:
        """The current question, or None at the review."""
        qid = self.current_id
        return None if qid is None else self._questions[qid]

    def question(self, question_id: str) -> Question:
        """A question by id (KeyError if there is none)."""
        return self._questions[question_id]

    def section_of(self, question_id: str) -> Section:
        """The section holding a question."""
        return self._section_of[question_id]

    def options(self, question: SingleChoiceQuestion | MultiChoiceQuestion) -> list[Option]:
        """Options of a choice question, option sets resolved."""
        return self.questionnaire.options_of(question)

    def progress(self) -> tuple[int, int]:
        """``(n, m)`` for "question n of m" (n is 1-based; n == m + 1 at the review)."""
        return self._index + 1, len(self._cache.visible)

    def progress_text(self) -> str:
        """ "Question n of m", or "Review" past the last question."""
        n, m = self.progress()
        return "Review" if self.at_end else f"Question {n} of {m}"

    def sections(self) -> list[SectionProgress]:
        """Sections with their visible questions (sections with none visible are left out)."""
        visible = set(self._cache.visible)
        out = []
        for s in self.questionnaire.sections:
            ids = tuple(q.id for q in s.questions if q.id in visible)
            if ids:
                answered = sum(1 for i in ids if self._screening.value(i) is not None)
                out.append(SectionProgress(s, ids, answered))
        return out

    def is_visible(self, question_id: str) -> bool:
        """Whether the question is asked under the current answers."""
        return question_id in self._cache.visible

    def hidden_answered(self) -> list[str]:
        """Questions with a kept answer that a later change hid (they no longer count)."""
        visible = set(self._cache.visible)
        return [
            q.id
            for q in self.questionnaire.questions()
            if q.id not in visible and self._screening.value(q.id) is not None
        ]

    def missing_required(self) -> list[str]:
        """Visible required questions still without an answer (finishing needs none)."""
        return [
            qid
            for qid in self._cache.visible
            if self._questions[qid].required and self._screening.value(qid) is None
        ]

    def result(self) -> Result:
        """The result for the current answers (cached until the next change)."""
        if self._cache.result is None:
            # A judgement saved earlier may sit below a floor that later answers raised:
            # lift it (and say so) rather than fail in the middle of a screening.
            self._cache.result = evaluate(
                self.questionnaire, self._screening, sha256=self.loaded.sha256, strict_judgement=False
            )
        return self._cache.result

    def floor_level(self) -> str:
        """The lowest level professional judgement may choose (set by the rules that fire)."""
        return rule_floor(self.questionnaire, self._screening)

    @property
    def danger_acknowledged(self) -> bool:
        """Whether the immediate-danger alert has been acknowledged in this screening."""
        return bool(self._screening.danger_acknowledgements)

    # ------------------------------------------------------------------ changes

    def answer(self, question_id: str, answer: Answer | None) -> AnswerOutcome:
        """Record (or with None, remove) the answer to a question.

        Returns what changed: the new result, whether immediate risk has just been
        triggered, rules that newly fire, and answered questions that became hidden.

        Raises:
            KeyError: no question has this id.
            InvalidAnswer: the value does not fit the question.
        """
        question = self._questions[question_id]
        if answer is not None and answer.value is not None:
            check_answer(self.questionnaire, question, answer.value)
        before = self.result()
        hidden_before = set(self.hidden_answered())
        current = self.current_id
        self._screening = self._screening.with_answer(question_id, answer)
        # Saved before anything else can go wrong: an answer the practitioner gave is kept.
        if self.saver is not None:
            self.saver.save_answer(question_id, answer)
        self._refresh()
        self._keep_position(current)
        after = self.result()
        fired_before = {r.id for r in before.fired}
        return AnswerOutcome(
            result=after,
            immediate_risk_triggered=after.immediate_risk and not before.immediate_risk,
            newly_fired=tuple(r for r in after.fired if r.id not in fired_before),
            newly_hidden_answered=tuple(q for q in self.hidden_answered() if q not in hidden_before),
        )

    def set_value(
        self, question_id: str, value: AnswerValue | None, *, keep_note: bool = True
    ) -> AnswerOutcome:
        """Change only the value of an answer, keeping its note and source."""
        old = self._screening.answers.get(question_id)
        if keep_note and old is not None:
            new = old.model_copy(update={"value": value})
        else:
            new = Answer(value=value)
        if new.value is None and new.note is None and new.source is None:
            return self.answer(question_id, None)
        return self.answer(question_id, new)

    def set_note(self, question_id: str, note: str | None, source: str | None = None) -> AnswerOutcome:
        """Change the note and source of an answer, keeping its value."""
        old = self._screening.answers.get(question_id) or Answer()
        new = Answer.model_validate({"value": old.value, "note": note or None, "source": source})
        if new.value is None and new.note is None and new.source is None:
            return self.answer(question_id, None)
        return self.answer(question_id, new)

    def set_meta(self, meta: ScreeningMeta) -> None:
        """Record who, when and about whom."""
        self._screening = self._screening.model_copy(update={"meta": meta})
        if self.saver is not None:
            self.saver.save_meta(meta)

    def acknowledge_danger(self, action: DangerAction) -> DangerAcknowledgement:
        """Record that the practitioner acted on the immediate-danger alert (and when)."""
        ack = DangerAcknowledgement(action=action, at=self._now())
        self._screening = self._screening.model_copy(
            update={"danger_acknowledgements": (*self._screening.danger_acknowledgements, ack)}
        )
        self._cache.result = None
        if self.saver is not None:
            self.saver.acknowledge(ack)
        return ack

    def set_judgement(self, level: str, reason: str) -> Result:
        """Apply professional judgement: raise, or lower down to the rule floor, with a reason.

        Raises:
            InvalidAnswer: the reason is empty or the level is unknown.
            JudgementBelowFloor: the level is below the floor set by the rules (the message
                names the floor, and the rules that set it with their reasons).
        """
        check_judgement(self.questionnaire, level, reason)
        judgement = Judgement(level=level, reason=reason.strip())
        # The engine decides whether the rules allow this level (and says which rules and
        # why when they do not); strict, so a judgement given now is never silently lifted.
        result = evaluate(
            self.questionnaire,
            self._screening.model_copy(update={"judgement": judgement}),
            sha256=self.loaded.sha256,
        )
        self._set_judgement(judgement)
        self._cache.result = result
        return result

    def clear_judgement(self) -> Result:
        """Go back to the computed level."""
        self._set_judgement(None)
        return self.result()

    def _set_judgement(self, judgement: Judgement | None) -> None:
        self._screening = self._screening.model_copy(update={"judgement": judgement})
        self._cache.result = None
        if self.saver is not None:
            self.saver.save_judgement(judgement)

    # ------------------------------------------------------------------ navigation

    def next(self) -> bool:
        """Move to the next visible question (or the review).

        Returns False (and stays) when the current question is required and unanswered.
        """
        if self.at_end:
            return False
        qid = self.current_id
        if qid is not None and self._questions[qid].required and self._screening.value(qid) is None:
            return False
        self._move(self._index + 1)
        return True

    def can_skip(self) -> bool:
        """Whether the current question may be left unanswered (it is not required)."""
        q = self.current
        return q is not None and not q.required

    def skip(self) -> bool:
        """Leave the current question unanswered and move on (refused for required ones)."""
        if not self.can_skip():
            return False
        self._move(self._index + 1)
        return True

    def back(self) -> bool:
        """Move to the previous visible question; False at the first one."""
        if self._index == 0:
            return False
        self._move(min(self._index, len(self._cache.visible)) - 1)
        return True

    def goto(self, question_id: str) -> None:
        """Jump to a visible question.

        Raises:
            NotAllowed: the question is not asked under the current answers.
        """
        if question_id not in self._cache.visible:
            raise NotAllowed(
                f"{question_id}: this question is not asked with the current answers — "
                "change the earlier answer that hides it first"
            )
        self._move(self._cache.visible.index(question_id))

    def goto_section(self, section_id: str) -> None:
        """Jump to the first visible question of a section."""
        for sp in self.sections():
            if sp.section.id == section_id:
                self.goto(sp.visible[0])
                return
        raise NotAllowed(f"{section_id}: no questions of this section are asked with the current answers")

    def goto_review(self) -> None:
        """Move past the last question (the review)."""
        self._move(len(self._cache.visible))

    # ------------------------------------------------------------------ internals

    def _move(self, index: int) -> None:
        self._index = max(0, min(index, len(self._cache.visible)))
        if self.saver is not None:
            self.saver.save_position(self.current_id)

    def _refresh(self) -> None:
        self._cache.visible = visible_questions(self.questionnaire, self._screening)
        self._cache.result = None

    def _keep_position(self, current: str | None) -> None:
        if current is not None and current in self._cache.visible:
            self._index = self._cache.visible.index(current)
        else:
            self._index = min(self._index, len(self._cache.visible))

    def _first_unanswered(self) -> int:
        for i, qid in enumerate(self._cache.visible):
            if self._screening.value(qid) is None:
                return i
        return len(self._cache.visible)


# ---------------------------------------------------------------------- review


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


def answer_text(questionnaire: Questionnaire, question: Question, value: AnswerValue | None) -> str:
    """An answer value in words: option labels for choices, the value itself otherwise."""
    if value is None:
        return ""
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        labels = {o.id: o.label for o in questionnaire.options_of(question)}
        ids = value if isinstance(value, tuple) else (str(value),)
        return ", ".join(labels.get(i, i) for i in ids)
    return str(value)


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
                    answer_text(q, question, value),
                    status,
                    None if answer is None else answer.note,
                )
            )
    return rows


# ---------------------------------------------------------------------- installed version

InstalledStatus = Literal["changed", "missing", "unreadable"]
"""How the installed questionnaire compares: different, not installed, or not readable."""

_PROBLEM_CHARS = 200
"""Longest loader message quoted when the installed file cannot be read."""


@dataclass(frozen=True, slots=True)
class InstalledVersion:
    """The questionnaire installed today, compared with the copy saved with a screening.

    A saved screening always reopens with its own copy, so its result never shifts; this
    only tells the practitioner what a new screening would ask differently.
    """

    status: InstalledStatus
    questionnaire_id: str
    saved_version: str
    """The version the screening was started with."""
    installed_version: str | None = None
    installed_sha256: str | None = None
    path: str | None = None
    """Where the installed file is (None when there is none)."""
    diff: QuestionnaireDiff | None = None
    """What differs (only when ``status`` is ``"changed"``)."""
    problem: str | None = None
    """Why the installed file could not be read (``"unreadable"``)."""
    question_texts: dict[str, str] = field(default_factory=dict)
    """Question id → wording (the installed wording where there is one), to name questions."""

    def lines(self, *, draft: bool = True) -> list[str]:
        """Plain sentences for the practitioner, in the order they should be read.

        Args:
            draft: True for a draft that will be continued; False for a completed screening.
        """
        what = "this draft" if draft else "this screening"
        qid = self.questionnaire_id
        if self.status == "missing":
            return [
                f"No questionnaire with the id '{qid}' is installed now, so it cannot be compared "
                f"with the copy saved with {what}; {what} keeps using that copy."
            ]
        if self.status == "unreadable":
            return [
                f"The installed questionnaire '{qid}' ({self.path}) could not be read, so what "
                f"changed cannot be shown ({self.problem}); {what} keeps using the copy saved with it."
            ]
        lines = [
            f"A newer version of this questionnaire is installed: version {self.installed_version}; "
            f"{what} uses version {self.saved_version}."
            if self.installed_version != self.saved_version
            else f"The installed copy of this questionnaire (version {self.saved_version}) has been "
            f"changed since {what} was started."
        ]
        diff = self.diff
        if diff is not None:
            groups = (
                (diff.added, f"New questions (not asked in {what}):"),
                (diff.removed, "Questions no longer in the installed version:"),
                (diff.reworded, "Questions reworded:"),
                (diff.options_changed, "Answer options changed:"),
            )
            for ids, heading in groups:
                if ids:
                    lines.append(heading)
                    lines.extend(f"  • {self.question_texts.get(i, i)} ({i})" for i in ids)
            if diff.rules_changed:
                lines.append(f"Rules changed: {', '.join(diff.rules_changed)}.")
            if diff.bands_changed:
                lines.append("The score bands changed.")
            if diff.levels_changed:
                lines.append("The levels or their next steps changed.")
        if diff is None or not diff.changed:
            lines.append(
                "Its questions, answer options, rules, bands and levels are the same; "
                "only other text (such as guidance) differs."
            )
        lines.append(
            "This draft continues on the version it was started with, so its result does not "
            "shift while you work. A new screening uses the installed version."
            if draft
            else "This screening keeps the version it was done with, so its result stays as it was."
        )
        return lines

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description (``cse-screen show --json``)."""
        diff = self.diff
        return {
            "status": self.status,
            "questionnaire_id": self.questionnaire_id,
            "saved_version": self.saved_version,
            "installed_version": self.installed_version,
            "installed_sha256": self.installed_sha256,
            "path": self.path,
            "problem": self.problem,
            "added": list(diff.added) if diff else [],
            "removed": list(diff.removed) if diff else [],
            "reworded": list(diff.reworded) if diff else [],
            "options_changed": list(diff.options_changed) if diff else [],
            "rules_changed": list(diff.rules_changed) if diff else [],
            "bands_changed": bool(diff and diff.bands_changed),
            "levels_changed": bool(diff and diff.levels_changed),
        }


def check_installed(saved: LoadedQuestionnaire) -> InstalledVersion | None:
    """Compare a screening's saved questionnaire with the one installed under the same id.

    The installed one is found as ``cse-screen run ID`` would find it (bundled first,
    then the user's questionnaires folder).

    Args:
        saved: The questionnaire stored with the screening.

    Returns:
        None when the installed file is the very same text (same SHA-256); otherwise what
        differs, or why the installed one could not be compared. Never raises for a
        missing or broken file.
    """
    from cse_screen.questionnaire.loader import load_questionnaire, resolve_questionnaire
    from cse_screen.store.diff import diff_questionnaires

    old = saved.questionnaire
    try:
        path = resolve_questionnaire(old.id)
    except UserError:
        return InstalledVersion("missing", old.id, old.version)
    try:
        current = load_questionnaire(path)
    except UserError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if len(first) > _PROBLEM_CHARS:
            first = first[: _PROBLEM_CHARS - 1] + "…"
        return InstalledVersion("unreadable", old.id, old.version, path=str(path), problem=first)
    new = current.questionnaire
    if current.sha256 == saved.sha256:
        return None
    if new.id != old.id:
        # A file named after the id that holds another questionnaire is not a newer version.
        return InstalledVersion("missing", old.id, old.version)
    texts = {q.id: q.text for q in old.questions()} | {q.id: q.text for q in new.questions()}
    return InstalledVersion(
        "changed",
        old.id,
        old.version,
        installed_version=new.version,
        installed_sha256=current.sha256,
        path=str(path),
        diff=diff_questionnaires(old, new),
        question_texts=texts,
    )
