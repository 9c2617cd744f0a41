"""Structured conditions compiled once into plain Python predicates.

A condition from the YAML (``all``/``any``/``not``/``answer``/``answered``/``number``/
``tagged``) becomes a closure over a mapping of *effective* answers: question id -> value,
holding only questions that are visible and have a value. Hidden questions are simply not
in the mapping, so "a hidden question's answer counts as absent" needs no special case.
Compiling once per questionnaire keeps the wizard's per-keystroke re-evaluation cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

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
from cse_screen.questionnaire.index import QuestionnaireIndex
from cse_screen.screening import AnswerValue

Effective = Mapping[str, AnswerValue]
"""Answers of visible questions that have a value."""

Predicate = Callable[[Effective], bool]


def has_value(value: AnswerValue | None) -> bool:
    """Whether a recorded value counts as an answer.

    ``None``, an empty string and an empty multiple choice all mean "no answer yet", so a
    practitioner who clears a field is treated the same as one who never filled it.
    """
    return value is not None and value != "" and value != ()


def chose_any(value: AnswerValue, options: frozenset[str]) -> bool:
    """Whether a choice answer picked any of ``options`` (any chosen one, for multiple choice)."""
    if isinstance(value, str):
        return value in options
    if isinstance(value, tuple | list):
        return any(v in options for v in value)
    return False


def _whole_number(value: AnswerValue) -> int | None:
    # bool is an int subclass; a True answer is never a number.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def compile_condition(condition: Condition, index: QuestionnaireIndex) -> Predicate:
    """Turn a condition into a predicate over effective answers.

    Args:
        condition: A parsed condition from the questionnaire.
        index: The questionnaire's index (tag lookups are resolved now, not per call).

    Returns:
        A function of the effective answers that says whether the condition holds.
    """
    if isinstance(condition, AllCondition):
        parts = tuple(compile_condition(c, index) for c in condition.all)
        return lambda answers: all(p(answers) for p in parts)
    if isinstance(condition, AnyCondition):
        parts = tuple(compile_condition(c, index) for c in condition.any)
        return lambda answers: any(p(answers) for p in parts)
    if isinstance(condition, NotCondition):
        inner = compile_condition(condition.not_, index)
        return lambda answers: not inner(answers)
    if isinstance(condition, AnswerCondition):
        return _answer(condition.answer.question, frozenset(condition.answer.in_))
    if isinstance(condition, AnsweredCondition):
        question_id = condition.answered
        # Effective answers only hold values that count, so presence is the whole test.
        return lambda answers: question_id in answers
    if isinstance(condition, NumberCondition):
        return _number(condition)
    if isinstance(condition, TaggedCondition):
        test = condition.tagged
        if len(test.tags) == 1:
            # The index's own tuple, already in asking order: sorting a copy per condition made
            # compiling grow with conditions x holders (~40 ms of 5,000 questions).
            ids = index.tagged.get(test.tags[0], ())
        else:
            # A question with several of the tags counts once; asking order is kept.
            found: set[str] = set().union(*(index.tagged.get(tag, ()) for tag in test.tags))
            ids = tuple(sorted(found, key=index.position.__getitem__))
        return _tagged(ids, frozenset(test.tags), index.tags_of, frozenset(test.in_), test.at_least)
    raise TypeError(f"unknown condition kind: {type(condition).__name__}")  # pragma: no cover


def _answer(question_id: str, options: frozenset[str]) -> Predicate:
    def holds(answers: Effective) -> bool:
        value = answers.get(question_id)
        return value is not None and chose_any(value, options)

    return holds


def _number(condition: NumberCondition) -> Predicate:
    test = condition.number
    question_id = test.question
    below, above, at_least, at_most = test.below, test.above, test.at_least, test.at_most

    def holds(answers: Effective) -> bool:
        raw = answers.get(question_id)
        number = None if raw is None else _whole_number(raw)
        if number is None:
            return False
        return (
            (below is None or number < below)
            and (above is None or number > above)
            and (at_least is None or number >= at_least)
            and (at_most is None or number <= at_most)
        )

    return holds


def _tagged(
    question_ids: tuple[str, ...],
    tags: frozenset[str],
    tags_of: Mapping[str, frozenset[str]],
    options: frozenset[str],
    at_least: int,
) -> Predicate:
    none: frozenset[str] = frozenset()

    def holds(answers: Effective) -> bool:
        count = 0
        if len(answers) < len(question_ids):
            # Fewer answers than holders (early in a screening, a test case): walk the answers,
            # so many tagged show_ifs over many holders do not cost holders x conditions.
            for question_id, chosen in answers.items():
                if not tags.isdisjoint(tags_of.get(question_id, none)) and chose_any(chosen, options):
                    count += 1
                    if count >= at_least:
                        return True
            return False
        for question_id in question_ids:
            value = answers.get(question_id)
            if value is not None and chose_any(value, options):
                count += 1
                if count >= at_least:
                    return True
        return False

    return holds
