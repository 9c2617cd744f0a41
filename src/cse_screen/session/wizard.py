"""The wizard session: one screening being filled in, question by question.

This is the pure controller (no Textual, no I/O of its own) that both the full-screen
wizard (:mod:`cse_screen.tui`) and the line-by-line plain mode (:mod:`cse_screen.plain`)
drive. It holds the questionnaire and the current :class:`~cse_screen.screening.Screening`,
knows which questions are visible (``show_if``), where the practitioner is, what is still
required, and notices the moment an answer makes an immediate-risk rule fire.

Saving is injected: pass any object with the :class:`Saver` methods (the store's
``Autosaver`` and :class:`cse_screen.session.saving.SaveLink`'s saver fit) and every change
is handed to it as it happens.

After an answer, only what reads that answer is re-evaluated
(:class:`cse_screen.scoring.incremental.LiveAnswers`: which questions are asked, the rules
that fire, answers kept for hidden questions), so a key costs the same at 50 questions as
at 5,000. The full :class:`~cse_screen.scoring.result.Result` is the engine's single pass
(:func:`cse_screen.scoring.evaluate_visible`), computed when it is asked for and kept
until the next change.

Why this module is long: :class:`WizardSession` is one cohesive class of about 350 lines:
the state, the changes and the navigation of one screening share the same invariants (the
position, the visible questions and the last engine pass move together), so splitting it
would spread one invariant over several files. What the practitioner reads about it lives
in :mod:`cse_screen.session.review`; what is saved, in :mod:`cse_screen.session.saving`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

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
from cse_screen.questionnaire.values import check_answer, check_judgement, check_text
from cse_screen.scoring import evaluate_visible
from cse_screen.scoring.incremental import LiveAnswers
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
    pass

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

    _result: Callable[[], Result]
    """Gives the result after the change (the full pass runs only if it is read)."""
    immediate_risk_triggered: bool
    """True only at the moment the screening became immediate risk (not on later answers)."""
    newly_fired: tuple[FiredRule, ...]
    """Rules that fire now but did not before the change (e.g. disclosure guidance)."""
    newly_hidden_answered: tuple[str, ...]
    """Questions with answers that this change hid: kept, but no longer counting."""

    @property
    def result(self) -> Result:
        """The result after the change."""
        return self._result()


@dataclass(frozen=True, slots=True)
class SectionProgress:
    """One section as the wizard shows it in the jump list."""

    section: Section
    visible: tuple[str, ...]
    """Ids of the section's visible questions, in order."""
    answered: int
    """How many of them have an answer."""


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
        now: Clock for acknowledgement times (tests pass a fixed one; None: UTC now).
    """

    def __init__(
        self,
        loaded: LoadedQuestionnaire,
        screening: Screening | None = None,
        *,
        saver: Saver | None = None,
        position: str | None = None,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.loaded = loaded
        self.questionnaire: Questionnaire = loaded.questionnaire
        self.saver = saver
        self._now = now or _utc_now
        self._screening = screening or Screening(questionnaire_id=self.questionnaire.id)
        self._questions: dict[str, Question] = {q.id: q for q in self.questionnaire.questions()}
        self._section_of: dict[str, Section] = {
            q.id: s for s in self.questionnaire.sections for q in s.questions
        }
        self._live = LiveAnswers(self.questionnaire, self._screening)
        self._result: Result | None = None
        # Computed now: a draft whose answers or judgement do not fit fails here, not later.
        self.result()
        self._index = 0
        if position is not None and position in self._live.asked:
            self._index = self._live.index_of(position)
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
        return list(self._live.visible)

    @property
    def position(self) -> int:
        """Index of the current question in :attr:`visible` (``len(visible)`` at the review)."""
        return self._index

    @property
    def at_end(self) -> bool:
        """True when past the last visible question."""
        return self._index >= len(self._live.visible)

    @property
    def current_id(self) -> str | None:
        """Id of the current question, or None at the review."""
        return None if self.at_end else self._live.visible[self._index]

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
        return self._index + 1, len(self._live.visible)

    def progress_text(self) -> str:
        """ "Question n of m", or "Review" past the last question."""
        n, m = self.progress()
        return "Review" if self.at_end else f"Question {n} of {m}"

    def sections(self) -> list[SectionProgress]:
        """Sections with their visible questions (sections with none visible are left out)."""
        visible = self._live.asked
        out = []
        for s in self.questionnaire.sections:
            ids = tuple(q.id for q in s.questions if q.id in visible)
            if ids:
                answered = sum(1 for i in ids if self._screening.value(i) is not None)
                out.append(SectionProgress(s, ids, answered))
        return out

    def is_visible(self, question_id: str) -> bool:
        """Whether the question is asked under the current answers."""
        return question_id in self._live.asked

    def hidden_answered(self) -> list[str]:
        """Questions with a kept answer that a later change hid (they no longer count)."""
        return list(self._live.hidden_answered())

    def missing_required(self) -> list[str]:
        """Visible required questions still without an answer (finishing needs none)."""
        return [
            qid
            for qid in self._live.visible
            if self._questions[qid].required and self._screening.value(qid) is None
        ]

    def result(self) -> Result:
        """The result for the current answers (one engine pass, kept until the next change)."""
        if self._result is None:
            # Not strict: a judgement saved earlier may sit below a floor that later answers
            # raised; it is lifted (and the reasons say so) rather than fail mid-screening.
            _, self._result = evaluate_visible(
                self.questionnaire, self._screening, sha256=self.loaded.sha256, strict_judgement=False
            )
        return self._result

    def floor_level(self) -> str:
        """The lowest level professional judgement may choose (set by the rules that fire)."""
        return self.result().floor_level

    @property
    def immediate_risk(self) -> bool:
        """Whether the answers make this an immediate-risk screening (no full pass needed)."""
        return self._live.immediate_risk

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
        live = self._live
        risk_before = live.immediate_risk
        fired_before = live.fired_ids()
        hidden_before = set(live.hidden_answered())
        current = self.current_id
        self._screening = self._screening.with_answer(question_id, answer)
        # Saved before anything else can go wrong: an answer the practitioner gave is kept.
        if self.saver is not None:
            self.saver.save_answer(question_id, answer)
        self._result = None
        live.changed(self._screening, question_id)
        self._keep_position(current)
        return AnswerOutcome(
            _result=self.result,
            immediate_risk_triggered=live.immediate_risk and not risk_before,
            newly_fired=tuple(r for r in live.fired() if r.id not in fired_before)
            if live.fired_ids() != fired_before
            else (),
            newly_hidden_answered=tuple(q for q in live.hidden_answered() if q not in hidden_before),
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
        """Change the note and source of an answer, keeping its value.

        Raises:
            InvalidAnswer: the note is longer than the limit (nothing is changed).
        """
        check_text("the note", note)
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
        self._result = None
        if self.saver is not None:
            self.saver.acknowledge(ack)
        return ack

    def keeps_computed(self, level: str) -> bool:
        """Whether choosing ``level`` keeps the level the answers suggest (no judgement to record)."""
        return level == self.result().computed_level

    def set_judgement(self, level: str, reason: str) -> Result:
        """Apply professional judgement: raise, or lower down to the rule floor, with a reason.

        Choosing the computed level itself keeps it: no judgement is recorded (an earlier
        one is cleared) and no reason is needed, so a report never says "kept" on the
        strength of a reason typed for another level.

        Raises:
            InvalidAnswer: the reason is empty or the level is unknown.
            JudgementBelowFloor: the level is below the floor set by the rules (the message
                names the floor, and the rules that set it with their reasons).
        """
        if self.keeps_computed(level):
            return self.clear_judgement()
        check_text("the reason", reason)
        check_judgement(self.questionnaire, level, reason)
        judgement = Judgement(level=level, reason=reason.strip())
        # The engine decides whether the rules allow this level (and says which rules and
        # why when they do not); strict, so a judgement given now is never silently lifted.
        screening = self._screening.model_copy(update={"judgement": judgement})
        _, result = evaluate_visible(
            self.questionnaire, screening, sha256=self.loaded.sha256, strict_judgement=True
        )
        self._set_judgement(judgement, result)
        return result

    def check_judgement_level(self, level: str) -> None:
        """Refuse a level the rules do not allow before any reason is asked (nothing is saved).

        Raises:
            InvalidAnswer: the level is unknown.
            JudgementBelowFloor: as :meth:`set_judgement` (naming the floor and the rules).
        """
        probe = Judgement(level=level, reason="(level only)")
        check_judgement(self.questionnaire, level, probe.reason)
        screening = self._screening.model_copy(update={"judgement": probe})
        evaluate_visible(self.questionnaire, screening, sha256=self.loaded.sha256, strict_judgement=True)

    def clear_judgement(self) -> Result:
        """Go back to the computed level."""
        if self._screening.judgement is None:
            return self.result()  # nothing to clear: nothing saved, nothing in the trail
        self._set_judgement(None)
        return self.result()

    def _set_judgement(self, judgement: Judgement | None, evaluated: Result | None = None) -> None:
        self._screening = self._screening.model_copy(update={"judgement": judgement})
        # The answers are unchanged: only the result depends on the judgement.
        self._result = evaluated
        self.result()
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
        self._move(min(self._index, len(self._live.visible)) - 1)
        return True

    def goto(self, question_id: str) -> None:
        """Jump to a visible question.

        Raises:
            NotAllowed: the question is not asked under the current answers.
        """
        if question_id not in self._live.asked:
            raise NotAllowed(
                f"{question_id}: this question is not asked with the current answers — "
                "change the earlier answer that hides it first"
            )
        self._move(self._live.index_of(question_id))

    def goto_section(self, section_id: str) -> None:
        """Jump to the first visible question of a section."""
        for sp in self.sections():
            if sp.section.id == section_id:
                self.goto(sp.visible[0])
                return
        raise NotAllowed(f"{section_id}: no questions of this section are asked with the current answers")

    def goto_review(self) -> None:
        """Move past the last question (the review)."""
        self._move(len(self._live.visible))

    # ------------------------------------------------------------------ internals

    def _move(self, index: int) -> None:
        self._index = max(0, min(index, len(self._live.visible)))
        if self.saver is not None:
            self.saver.save_position(self.current_id)

    def _keep_position(self, current: str | None) -> None:
        if current is not None and current in self._live.asked:
            self._index = self._live.index_of(current)
        else:
            self._index = min(self._index, len(self._live.visible))

    def _first_unanswered(self) -> int:
        for i, qid in enumerate(self._live.visible):
            if self._screening.value(qid) is None:
                return i
        return len(self._live.visible)
