"""A questionnaire compiled for the engine, once per questionnaire object.

Conditions become closures, level ids become ranks, each question gets its kind (for the
engine's fast path) and whether it counts for completeness, and the flags rules can raise
are resolved. A questionnaire that names an unknown level or flag is refused here, with
:class:`UnknownLevel` or :class:`UnknownFlag`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cse_screen.errors import UserError
from cse_screen.questionnaire.index import IdentityCache, QuestionnaireIndex, index_of
from cse_screen.questionnaire.models import (
    DateQuestion,
    IntegerQuestion,
    MultiChoiceQuestion,
    Option,
    Question,
    Questionnaire,
    SingleChoiceQuestion,
)
from cse_screen.questionnaire.outcome_models import Alert, Band, Flag, Rule
from cse_screen.scoring.conditions import Predicate, compile_condition
from cse_screen.scoring.result import Contribution, FiredRule


class UnknownLevel(UserError):
    """A level id (in a judgement or in the questionnaire) is not one of the questionnaire's levels."""


class UnknownFlag(UserError):
    """A rule raises a flag the questionnaire does not declare."""


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: Rule
    when: Predicate
    min_rank: int | None
    set_rank: int | None
    flags: tuple[str, ...]
    interrupts: bool
    """True when one of its flags has an alert that interrupts the wizard."""

    @property
    def rank(self) -> int:
        """The highest level this rule names (-1 if none): orders its next steps."""
        return max(r for r in (self.min_rank, self.set_rank, -1) if r is not None)

    def fired(self) -> FiredRule:
        """This rule as a result lists it once it fires (one home for the engine and live answers)."""
        return FiredRule(
            id=self.rule.id,
            reason=self.rule.reason,
            min_level=self.rule.min_level,
            set_level=self.rule.set_level,
            immediate_risk=self.interrupts,
            flags=self.flags,
        )


SINGLE, MULTI, INTEGER, TEXT, DATE = range(5)


@dataclass(frozen=True, slots=True)
class CompiledQuestion:
    question: Question
    id: str
    show_if: Predicate | None
    kind: int
    """One of SINGLE, MULTI, INTEGER, TEXT (text and long text), DATE."""
    options: dict[str, Option]
    counts: bool
    """Whether the question counts for completeness (see :func:`_counts`)."""


@dataclass(frozen=True, slots=True)
class Compiled:
    index: QuestionnaireIndex
    questions: tuple[CompiledQuestion, ...]
    rules: tuple[CompiledRule, ...]
    bands: tuple[tuple[Band, int], ...]
    flags: tuple[Flag, ...]
    """Every flag a rule can raise, in declaration order (the shorthand's default last)."""
    min_answered: float | None
    up_to_rank: int
    """``completeness.min_answered`` applies to levels up to this rank."""
    scored: dict[tuple[str, tuple[str, ...]], tuple[int, bool, Contribution | None]] = field(
        default_factory=dict
    )
    """(question id, chosen options) -> (points, any not known, contribution): the wizard
    re-scores after every answer and most answers do not change between calls."""


def kind_of(question: Question) -> int:
    """The question's kind: one of SINGLE, MULTI, INTEGER, TEXT (text and long text), DATE."""
    if isinstance(question, SingleChoiceQuestion):
        return SINGLE
    if isinstance(question, MultiChoiceQuestion):
        return MULTI
    if isinstance(question, IntegerQuestion):
        return INTEGER
    if isinstance(question, DateQuestion):
        return DATE
    return TEXT


def _level_rank(index: QuestionnaireIndex, level_id: str, where: str) -> int:
    try:
        return index.rank(level_id)
    except KeyError:
        known = ", ".join(index.level_rank)
        raise UnknownLevel(f"{where}: unknown level '{level_id}' — use one of: {known}") from None


def _flag(questionnaire: Questionnaire, flag_id: str, rule_id: str) -> Flag:
    try:
        return questionnaire.flag(flag_id)
    except KeyError:
        known = ", ".join(f.id for f in questionnaire.flags) or "none declared"
        raise UnknownFlag(
            f"questionnaire '{questionnaire.id}', rule '{rule_id}': unknown flag '{flag_id}' — "
            f"declare it under `flags:` (declared: {known})"
        ) from None


def _interrupts(alert: Alert | None) -> bool:
    return alert is not None and alert.interrupt


def _counts(questionnaire: Questionnaire, question: Question, options: Mapping[str, Option]) -> bool:
    """Whether a question counts for completeness (text, long text and dates never do).

    Declared: by tag or by id. Otherwise a question counts when it is required or carries
    points: an optional question that scores nothing (strengths, where information came
    from, a "how difficult" question) never makes a result incomplete.
    """
    if kind_of(question) in (TEXT, DATE):
        return False
    declared = questionnaire.completeness
    if declared is not None and (declared.tags or declared.questions):
        return question.id in declared.questions or any(t in declared.tags for t in question.tags)
    return question.required or any(o.weight for o in options.values())


def _compile(questionnaire: Questionnaire) -> Compiled:
    index = index_of(questionnaire)
    raised = {
        flag_id: _flag(questionnaire, flag_id, rule.id)
        for rule in questionnaire.rules
        for flag_id in rule.raised_flags()
    }
    declared = [f for f in questionnaire.flags if f.id in raised]
    flags = tuple(declared + [f for f in raised.values() if f not in declared])
    questions = tuple(
        CompiledQuestion(
            question=q,
            id=q.id,
            show_if=None if q.show_if is None else compile_condition(q.show_if, index),
            kind=kind_of(q),
            options=index.options.get(q.id, {}),
            counts=_counts(questionnaire, q, index.options.get(q.id, {})),
        )
        for q in index.questions
    )
    rules = tuple(
        CompiledRule(
            rule=rule,
            when=compile_condition(rule.when, index),
            min_rank=None
            if rule.min_level is None
            else _level_rank(index, rule.min_level, f"questionnaire '{questionnaire.id}', rule '{rule.id}'"),
            set_rank=None
            if rule.set_level is None
            else _level_rank(index, rule.set_level, f"questionnaire '{questionnaire.id}', rule '{rule.id}'"),
            flags=tuple(rule.raised_flags()),
            interrupts=any(_interrupts(raised[f].alert) for f in rule.raised_flags()),
        )
        for rule in questionnaire.rules
    )
    bands = tuple(
        (band, _level_rank(index, band.level, f"questionnaire '{questionnaire.id}', scoring band {i + 1}"))
        for i, band in enumerate(questionnaire.scoring.bands)
    )
    completeness = questionnaire.completeness
    up_to = completeness.up_to_level if completeness is not None else None
    return Compiled(
        index=index,
        questions=questions,
        rules=rules,
        bands=bands,
        flags=flags,
        min_answered=completeness.min_answered if completeness is not None else None,
        up_to_rank=0
        if up_to is None
        else _level_rank(index, up_to, f"questionnaire '{questionnaire.id}', completeness.up_to_level"),
    )


_COMPILED: IdentityCache[Questionnaire, Compiled] = IdentityCache(_compile)


def compiled_form(questionnaire: Questionnaire) -> Compiled:
    """The compiled form of ``questionnaire``, built on first use and kept while it lives."""
    return _COMPILED.get(questionnaire)
