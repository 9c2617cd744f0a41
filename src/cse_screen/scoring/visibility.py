"""Which questions are asked, and which rules fire, for the answers given so far.

A question is visible when its ``show_if`` holds against the answers of visible earlier
questions; a hidden question's answer is kept but treated as absent. Answers are checked
on the way: common valid ones by a fast path on the compiled kinds, anything else by the
one validation path (:func:`cse_screen.questionnaire.values.check_answer`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cse_screen.questionnaire.models import Questionnaire
from cse_screen.questionnaire.values import check_answer, is_date
from cse_screen.scoring.compiled import (
    DATE,
    INTEGER,
    MULTI,
    SINGLE,
    Compiled,
    CompiledQuestion,
    CompiledRule,
    compiled_form,
)
from cse_screen.screening import AnswerValue, Screening


def fits(q: CompiledQuestion, value: AnswerValue) -> bool:
    """Fast acceptance of the common, valid answers; anything else goes to :func:`check_answer`.

    Never accepts more than ``check_answer(..., limits=False)`` does (a test compares them).
    """
    kind = q.kind
    if kind == SINGLE:
        return type(value) is str and value in q.options
    if kind == MULTI:
        return type(value) is tuple and all(v in q.options for v in value)
    if kind == INTEGER:
        return type(value) is int
    if kind == DATE:
        return type(value) is str and is_date(value)
    return type(value) is str


def effective_answers(
    questionnaire: Questionnaire, compiled: Compiled, screening: Screening
) -> tuple[dict[str, AnswerValue], list[CompiledQuestion]]:
    """Effective answers (visible questions with a value) and the visible questions, in order."""
    answers = screening.answers
    effective: dict[str, AnswerValue] = {}
    visible: list[CompiledQuestion] = []
    for q in compiled.questions:
        if q.show_if is not None and not q.show_if(effective):
            continue
        visible.append(q)
        answer = answers.get(q.id)
        if answer is None:
            continue
        value = answer.value
        # has_value inlined: this loop runs once per question on every keystroke in the wizard.
        if value is not None and value != "" and value != ():
            if not fits(q, value):
                check_answer(questionnaire, q.question, value, limits=False)
            effective[q.id] = value
    return effective, visible


def visible_questions(questionnaire: Questionnaire, screening: Screening) -> list[str]:
    """Ids of the questions currently asked, in order.

    A question is visible when its ``show_if`` holds against the answers of visible
    earlier questions; a hidden question's answer is kept but treated as absent.

    Raises:
        InvalidAnswer: a visible question's answer does not fit it.
    """
    _, visible = effective_answers(questionnaire, compiled_form(questionnaire), screening)
    return [q.id for q in visible]


def fired_rules(compiled: Compiled, effective: Mapping[str, AnswerValue]) -> list[CompiledRule]:
    """The rules whose condition holds, in file order."""
    return [r for r in compiled.rules if r.when(effective)]


def floor_rank_of(fired: Iterable[CompiledRule], top: int) -> int:
    """The rank professional judgement cannot go below, given the fired rules."""
    # Immediate risk is always the top level, whatever min_level the rule names: a tool
    # that forgot min_level must not show "call 999" beside a low level (domain rule 1).
    ranks = (top if r.rule.immediate_risk else r.min_rank for r in fired)
    return max((rank for rank in ranks if rank is not None), default=0)


def rule_floor(questionnaire: Questionnaire, screening: Screening) -> str:
    """The level professional judgement cannot go below: the highest ``min_level`` of fired rules.

    The lowest level when no rule with a floor fires. Cheap enough to call on every answer.

    Raises:
        InvalidAnswer: a visible question's answer does not fit it.
    """
    compiled = compiled_form(questionnaire)
    effective, _ = effective_answers(questionnaire, compiled, screening)
    top = len(questionnaire.levels) - 1
    return questionnaire.levels[floor_rank_of(fired_rules(compiled, effective), top)].id
