"""Visibility, effective answers and fired rules kept up to date one answer at a time.

The engine (:mod:`cse_screen.scoring.engine`) walks every question on each call; the wizard
changes one answer at a time, and most answers change nothing else. :class:`LiveAnswers`
keeps what the wizard needs after each answer — which questions are asked, the effective
answers, the rules that fire and the answers kept for hidden questions — and, after a
change, re-evaluates only what reads the changed answer, found through a dependency map
built once per questionnaire:

* question id -> the later questions whose ``show_if`` reads it (directly, or as a holder of
  a tag a ``tagged`` condition counts);
* question id -> the rules whose ``when`` reads it.

The meaning is exactly the engine's (tests compare the two over random answer sequences):
a ``show_if`` sees only the answers of visible *earlier* questions, so the questions whose
visibility may change are re-evaluated in asking order, each against the answers before it,
and a question that appears or disappears passes the change on to what reads it. The full
:class:`~cse_screen.scoring.result.Result` (reasons, next steps) is still the engine's
single pass, computed when it is asked for.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cse_screen.questionnaire.condition_models import (
    AllCondition,
    AnswerCondition,
    AnsweredCondition,
    AnyCondition,
    Condition,
    NotCondition,
    NumberCondition,
    TaggedCondition,
)
from cse_screen.questionnaire.index import IdentityCache, QuestionnaireIndex
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.questionnaire.values import check_answer
from cse_screen.scoring.compiled import Compiled, CompiledQuestion, compiled_form
from cse_screen.scoring.result import FiredRule
from cse_screen.scoring.visibility import effective_answers, fits
from cse_screen.screening import AnswerValue, Screening

__all__ = ["LiveAnswers", "reads"]


def reads(condition: Condition, index: QuestionnaireIndex) -> set[str]:
    """Ids of the questions whose answers ``condition`` can depend on.

    A ``tagged`` condition reads every question carrying one of its tags.
    """
    if isinstance(condition, AllCondition):
        return set().union(*(reads(c, index) for c in condition.all))
    if isinstance(condition, AnyCondition):
        return set().union(*(reads(c, index) for c in condition.any))
    if isinstance(condition, NotCondition):
        return reads(condition.not_, index)
    if isinstance(condition, AnswerCondition):
        return {condition.answer.question}
    if isinstance(condition, AnsweredCondition):
        return {condition.answered}
    if isinstance(condition, NumberCondition):
        return {condition.number.question}
    if isinstance(condition, TaggedCondition):
        return {qid for tag in condition.tagged.tags for qid in index.tagged.get(tag, ())}
    raise TypeError(f"unknown condition kind: {type(condition).__name__}")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class _Dependencies:
    shown_by: dict[str, tuple[int, ...]]
    """Question id -> positions of the later questions whose ``show_if`` reads it."""
    rules_of: dict[str, tuple[int, ...]]
    """Question id -> indexes of the rules whose ``when`` reads it."""


def _build_dependencies(questionnaire: Questionnaire) -> _Dependencies:
    compiled = compiled_form(questionnaire)
    index = compiled.index
    shown_by: dict[str, list[int]] = {}
    for k, cq in enumerate(compiled.questions):
        if cq.question.show_if is None:
            continue
        for qid in reads(cq.question.show_if, index):
            # A show_if sees only earlier answers: a later question can never change it.
            if index.position.get(qid, k) < k:
                shown_by.setdefault(qid, []).append(k)
    rules_of: dict[str, list[int]] = {}
    for i, rule in enumerate(compiled.rules):
        for qid in reads(rule.rule.when, index):
            rules_of.setdefault(qid, []).append(i)
    return _Dependencies(
        shown_by={k: tuple(v) for k, v in shown_by.items()},
        rules_of={k: tuple(v) for k, v in rules_of.items()},
    )


_DEPENDENCIES: IdentityCache[Questionnaire, _Dependencies] = IdentityCache(_build_dependencies)


class _Before(Mapping[str, AnswerValue]):
    """The effective answers of questions before position ``limit`` (what a show_if sees)."""

    __slots__ = ("_answers", "_limit", "_position")

    def __init__(self, answers: dict[str, AnswerValue], position: dict[str, int], limit: int) -> None:
        self._answers = answers
        self._position = position
        self._limit = limit

    def __getitem__(self, key: str) -> AnswerValue:
        if self._position.get(key, self._limit) < self._limit:
            return self._answers[key]
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._answers and self._position[key] < self._limit

    def __iter__(self) -> Iterator[str]:
        return (k for k in self._answers if self._position[k] < self._limit)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LiveAnswers:
    """What the engine's visibility pass and rules give, kept current one answer at a time.

    Args:
        questionnaire: The questionnaire.
        screening: The answers to start from (one full pass).

    Raises:
        InvalidAnswer: an answer of a question that is asked (or kept while hidden) does not
            fit it, as the engine raises.
    """

    def __init__(self, questionnaire: Questionnaire, screening: Screening) -> None:
        self._questionnaire = questionnaire
        self._compiled: Compiled = compiled_form(questionnaire)
        self._deps = _DEPENDENCIES.get(questionnaire)
        self._position = self._compiled.index.position
        effective, visible = effective_answers(questionnaire, self._compiled, screening)
        self.effective: dict[str, AnswerValue] = effective
        """Answers of asked questions that have a value (what conditions and rules see)."""
        self._shown: list[int] = [self._position[q.id] for q in visible]
        self.asked: set[str] = {q.id for q in visible}
        """Ids of the questions asked now."""
        self._hidden: set[str] = set()
        for cq in self._compiled.questions:
            if cq.id not in self.asked and self._kept(cq, screening):
                self._hidden.add(cq.id)
        self._fired: set[int] = {i for i, r in enumerate(self._compiled.rules) if r.when(self.effective)}
        self._visible: list[str] | None = None

    # ------------------------------------------------------------------ reading

    @property
    def visible(self) -> list[str]:
        """Ids of the questions asked now, in asking order (do not change the list)."""
        if self._visible is None:
            questions = self._compiled.questions
            self._visible = [questions[k].id for k in self._shown]
        return self._visible

    def index_of(self, question_id: str) -> int:
        """Where an asked question is in :attr:`visible` (ValueError when it is not asked)."""
        if question_id not in self.asked:
            raise ValueError(f"{question_id} is not asked")
        return bisect_left(self._shown, self._position[question_id])

    def hidden_answered(self) -> tuple[str, ...]:
        """Questions not asked now whose kept answer has a value, in asking order."""
        return tuple(sorted(self._hidden, key=self._position.__getitem__))

    def fired(self) -> tuple[FiredRule, ...]:
        """The rules that fire now, in the questionnaire's order, as the engine's result lists them."""
        rules = self._compiled.rules
        return tuple(rules[i].fired() for i in sorted(self._fired))

    def fired_ids(self) -> frozenset[str]:
        """Ids of the rules that fire now."""
        rules = self._compiled.rules
        return frozenset(rules[i].rule.id for i in self._fired)

    @property
    def immediate_risk(self) -> bool:
        """Whether a fired rule raises a flag whose alert interrupts the wizard."""
        rules = self._compiled.rules
        return any(rules[i].interrupts for i in self._fired)

    # ------------------------------------------------------------------ changing

    def changed(self, screening: Screening, question_id: str) -> None:
        """Bring everything up to date after the answer to ``question_id`` changed.

        ``screening`` is the screening after the change; only that one answer may differ
        from the screening this object was last brought up to date with.

        Raises:
            KeyError: no question has this id.
            InvalidAnswer: a value that does not fit its question became counted.
        """
        compiled = self._compiled
        cq = compiled.questions[self._position[question_id]]
        touched: list[str] = []
        if question_id in self.asked:
            if self._count(cq, screening):
                touched.append(question_id)
        elif self._kept(cq, screening):
            self._hidden.add(question_id)
        else:
            self._hidden.discard(question_id)
        # Later questions whose show_if reads a touched answer, in asking order.
        queue: list[int] = []
        queued: set[int] = set()

        def follow(qid: str) -> None:
            for k in self._deps.shown_by.get(qid, ()):
                if k not in queued:
                    queued.add(k)
                    heapq.heappush(queue, k)

        for qid in touched:
            follow(qid)
        while queue:
            k = heapq.heappop(queue)
            other = compiled.questions[k]
            assert other.show_if is not None  # only questions with a show_if are queued
            now = other.show_if(_Before(self.effective, self._position, k))
            if now == (other.id in self.asked):
                continue
            self._visible = None
            if now:
                self.asked.add(other.id)
                insort(self._shown, k)
                self._hidden.discard(other.id)
                if self._count(other, screening):
                    touched.append(other.id)
                    follow(other.id)
            else:
                self.asked.discard(other.id)
                del self._shown[bisect_left(self._shown, k)]
                if self.effective.pop(other.id, None) is not None:
                    touched.append(other.id)
                    follow(other.id)
                if self._kept(other, screening):
                    self._hidden.add(other.id)
        rules = compiled.rules
        for i in {i for qid in touched for i in self._deps.rules_of.get(qid, ())}:
            if rules[i].when(self.effective):
                self._fired.add(i)
            else:
                self._fired.discard(i)

    # ------------------------------------------------------------------ internals

    def _value(self, cq: CompiledQuestion, screening: Screening) -> AnswerValue | None:
        """The answer's value when it counts as one (checked as the engine checks it)."""
        answer = screening.answers.get(cq.id)
        value = None if answer is None else answer.value
        if value is None or value == "" or value == ():
            return None
        if not fits(cq, value):
            check_answer(self._questionnaire, cq.question, value, limits=False)
        return value

    def _count(self, cq: CompiledQuestion, screening: Screening) -> bool:
        """Put an asked question's answer into the effective answers; True when it changed."""
        value = self._value(cq, screening)
        old = self.effective.get(cq.id)
        if value is None:
            return self.effective.pop(cq.id, None) is not None
        self.effective[cq.id] = value
        return old is None or old != value

    def _kept(self, cq: CompiledQuestion, screening: Screening) -> bool:
        """Whether a hidden question keeps an answer with a value (listed, never counted)."""
        return self._value(cq, screening) is not None
