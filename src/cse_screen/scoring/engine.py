"""The rules engine: from a questionnaire and a screening to a :class:`Result`.

Pure and deterministic: no I/O, no Textual, no clocks. Everything CSE-specific lives in
the questionnaire (rules, weights, bands, next steps); this module only knows the format.
The order of work is fixed and explained in ``docs/scoring.md``:

1. visibility, in asking order, looking only at answers of visible earlier questions;
2. the additive score over visible choice answers, mapped to a band;
3. rules (floors, set levels, flags beside the level, advice) over visible answers;
4. not known / unanswered / incomplete (which questions count is the questionnaire's
   ``completeness``);
5. professional judgement (may raise; may lower only down to the rules' floor);
6. reasons and next steps, most urgent first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cse_screen.errors import InvalidAnswer, UserError
from cse_screen.questionnaire.index import IdentityCache, QuestionnaireIndex, index_of, sha256_of
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
from cse_screen.questionnaire.values import check_answer, check_judgement, is_date
from cse_screen.scoring.conditions import Predicate, compile_condition, has_value
from cse_screen.scoring.result import Contribution, FiredRule, QuestionnaireRef, RaisedFlag, Result
from cse_screen.screening import AnswerValue, Judgement, Screening


class JudgementBelowFloor(InvalidAnswer):
    """Professional judgement tried to go below the level the rules require.

    The message names the floor (label and id) and the rules that set it, with their
    reasons (questionnaire text, never anything the practitioner wrote).
    """

    def __init__(
        self,
        judged: str,
        floor: str,
        rule_ids: tuple[str, ...],
        *,
        floor_label: str = "",
        reasons: tuple[str, ...] = (),
    ) -> None:
        """Build the message from the judged level, the floor and the rules that set it."""
        self.judged = judged
        self.floor = floor
        self.rule_ids = rule_ids
        label = floor_label or floor
        because = "; ".join(
            f"{reason} (rule '{rule}')" for rule, reason in zip(rule_ids, reasons, strict=False)
        ) or ", ".join(f"rule '{r}'" for r in rule_ids)
        super().__init__(
            f"the judgement cannot go below {label!r} ('{floor}') because: {because}",
            f"choose {label!r} or higher, or change the answers that fired the rule if they were "
            "recorded by mistake",
        )


class UnknownLevel(UserError):
    """A level id (in a judgement or in the questionnaire) is not one of the questionnaire's levels."""


class UnknownFlag(UserError):
    """A rule raises a flag the questionnaire does not declare."""


# --------------------------------------------------------------------------- compiled form


@dataclass(frozen=True, slots=True)
class _CompiledRule:
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


_SINGLE, _MULTI, _INTEGER, _TEXT, _DATE = range(5)


@dataclass(frozen=True, slots=True)
class _CompiledQuestion:
    question: Question
    id: str
    show_if: Predicate | None
    kind: int
    """One of _SINGLE, _MULTI, _INTEGER, _TEXT (text and long text), _DATE."""
    options: dict[str, Option]
    counts: bool
    """Whether the question counts for completeness (see :func:`_counts`)."""


@dataclass(frozen=True, slots=True)
class _Compiled:
    index: QuestionnaireIndex
    questions: tuple[_CompiledQuestion, ...]
    rules: tuple[_CompiledRule, ...]
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


def _kind(question: Question) -> int:
    if isinstance(question, SingleChoiceQuestion):
        return _SINGLE
    if isinstance(question, MultiChoiceQuestion):
        return _MULTI
    if isinstance(question, IntegerQuestion):
        return _INTEGER
    if isinstance(question, DateQuestion):
        return _DATE
    return _TEXT


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
    if _kind(question) in (_TEXT, _DATE):
        return False
    declared = questionnaire.completeness
    if declared is not None and (declared.tags or declared.questions):
        return question.id in declared.questions or any(t in declared.tags for t in question.tags)
    return question.required or any(o.weight for o in options.values())


def _compile(questionnaire: Questionnaire) -> _Compiled:
    index = index_of(questionnaire)
    raised = {
        flag_id: _flag(questionnaire, flag_id, rule.id)
        for rule in questionnaire.rules
        for flag_id in rule.raised_flags()
    }
    declared = [f for f in questionnaire.flags if f.id in raised]
    flags = tuple(declared + [f for f in raised.values() if f not in declared])
    questions = tuple(
        _CompiledQuestion(
            question=q,
            id=q.id,
            show_if=None if q.show_if is None else compile_condition(q.show_if, index),
            kind=_kind(q),
            options=index.options.get(q.id, {}),
            counts=_counts(questionnaire, q, index.options.get(q.id, {})),
        )
        for q in index.questions
    )
    rules = tuple(
        _CompiledRule(
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
    return _Compiled(
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


_COMPILED: IdentityCache[Questionnaire, _Compiled] = IdentityCache(_compile)


def _compiled(questionnaire: Questionnaire) -> _Compiled:
    return _COMPILED.get(questionnaire)


# --------------------------------------------------------------------------- visibility


def _fits(q: _CompiledQuestion, value: AnswerValue) -> bool:
    """Fast acceptance of the common, valid answers; anything else goes to :func:`check_answer`.

    Never accepts more than ``check_answer(..., limits=False)`` does (a test compares them).
    """
    kind = q.kind
    if kind == _SINGLE:
        return type(value) is str and value in q.options
    if kind == _MULTI:
        return type(value) is tuple and all(v in q.options for v in value)
    if kind == _INTEGER:
        return type(value) is int
    if kind == _DATE:
        return type(value) is str and is_date(value)
    return type(value) is str


def _effective(
    questionnaire: Questionnaire, compiled: _Compiled, screening: Screening
) -> tuple[dict[str, AnswerValue], list[_CompiledQuestion]]:
    """Effective answers (visible questions with a value) and the visible questions, in order."""
    answers = screening.answers
    effective: dict[str, AnswerValue] = {}
    visible: list[_CompiledQuestion] = []
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
            if not _fits(q, value):
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
    _, visible = _effective(questionnaire, _compiled(questionnaire), screening)
    return [q.id for q in visible]


def _fired(compiled: _Compiled, effective: Mapping[str, AnswerValue]) -> list[_CompiledRule]:
    return [r for r in compiled.rules if r.when(effective)]


def _floor_rank(fired: Iterable[_CompiledRule], top: int) -> int:
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
    compiled = _compiled(questionnaire)
    effective, _ = _effective(questionnaire, compiled, screening)
    top = len(questionnaire.levels) - 1
    return questionnaire.levels[_floor_rank(_fired(compiled, effective), top)].id


# --------------------------------------------------------------------------- score


def _band_for(bands: tuple[tuple[Band, int], ...], score: int) -> tuple[Band, int]:
    """The band holding ``score``; outside every band, the nearest one (the higher on a tie).

    The loader checks that bands cover every reachable score; clamping keeps a result
    defined (and never silently lowest) if a hand-edited file leaves a gap.
    """
    best: tuple[int, int, tuple[Band, int]] | None = None
    for band, rank in bands:
        upper = band.max
        if band.min <= score and (upper is None or score <= upper):
            return band, rank
        distance = band.min - score if score < band.min else score - (upper if upper is not None else score)
        key = (distance, -rank)
        if best is None or key < best[:2]:
            best = (distance, -rank, (band, rank))
    assert best is not None  # a questionnaire has at least one band
    return best[2]


def _describe_band(band: Band) -> str:
    if band.max is None:
        return f"{band.min} or more"
    if band.min == band.max:
        return f"exactly {band.min}"
    return f"{band.min} to {band.max}"


# --------------------------------------------------------------------------- evaluate


def evaluate(
    questionnaire: Questionnaire,
    screening: Screening,
    *,
    sha256: str | None = None,
    strict_judgement: bool = True,
) -> Result:
    """Score a screening and explain the suggested level.

    Args:
        questionnaire: The questionnaire the screening answers.
        screening: The answers (hidden questions' answers are kept but do not count).
        sha256: The hash of the questionnaire file as loaded; when None, the hash of the
            model's canonical JSON (computed once per questionnaire).
        strict_judgement: True (for judgements given now, e.g. in an answers file) raises
            when the judgement is below the rules' floor. False (for a judgement recorded
            earlier, before later answers raised the floor) lifts the level to the floor and
            says so in the reasons, so the wizard never fails on a saved screening.

    Returns:
        The result: computed and final level, fired rules, score, reasons, next steps.

    Raises:
        InvalidAnswer: an answer does not fit its question, or the judgement names a level
            that does not exist or gives no reason.
        UnknownLevel: the questionnaire names a level that does not exist.
        JudgementBelowFloor: with ``strict_judgement``, the judgement is below the level the
            fired rules require.
    """
    return _evaluate(questionnaire, screening, sha256=sha256, strict_judgement=strict_judgement)[1]


def evaluate_visible(
    questionnaire: Questionnaire,
    screening: Screening,
    *,
    sha256: str | None = None,
    strict_judgement: bool = True,
) -> tuple[list[str], Result]:
    """Like :func:`evaluate`, also giving the visible question ids, from the same single pass.

    The wizard calls this once per answer: visibility and the result come from one walk
    over the questions instead of two.
    """
    visible, result = _evaluate(questionnaire, screening, sha256=sha256, strict_judgement=strict_judgement)
    return [q.id for q in visible], result


def _evaluate(
    questionnaire: Questionnaire, screening: Screening, *, sha256: str | None, strict_judgement: bool
) -> tuple[list[_CompiledQuestion], Result]:
    compiled = _compiled(questionnaire)
    index = compiled.index
    levels = questionnaire.levels
    effective, visible = _effective(questionnaire, compiled, screening)
    visible_ids = {q.id for q in visible}

    # Answers kept for questions no longer asked: listed, explained, never counted.
    hidden: list[str] = []
    for cq in compiled.questions:
        kept = screening.answers.get(cq.id) if cq.id not in visible_ids else None
        if kept is not None and kept.value is not None and has_value(kept.value):
            # A hidden answer is still stored and reported, so it must still make sense.
            if not _fits(cq, kept.value):
                check_answer(questionnaire, cq.question, kept.value, limits=False)
            hidden.append(cq.id)
    hidden_answered = tuple(hidden)

    # Score, not known and unanswered over visible questions.
    score = 0
    contributions: list[Contribution] = []
    not_known: list[str] = []
    unanswered: list[str] = []
    to_find_out: list[str] = []
    counted = 0
    scored = compiled.scored
    for cq in visible:
        kind = cq.kind
        if kind in (_TEXT, _DATE):
            continue
        counted += cq.counts
        value = effective.get(cq.id)
        if value is None:
            unanswered.append(cq.id)
            if cq.counts:
                to_find_out.append(cq.id)
            continue
        if kind == _INTEGER:
            continue
        if isinstance(value, str):
            chosen: tuple[str, ...] = (value,)
        elif isinstance(value, tuple | list):
            # A repeated option in a multiple choice counts once.
            chosen = tuple(dict.fromkeys(value))
        else:  # pragma: no cover - _check_value rejects anything else for a choice question
            continue
        key = (cq.id, chosen)
        cached = scored.get(key)
        if cached is None:
            points = sum(cq.options[o].weight for o in chosen)
            unknown = any(cq.options[o].not_known for o in chosen)
            contribution = (
                Contribution.model_construct(question_id=cq.id, option_ids=chosen, points=points)
                if points
                else None
            )
            cached = scored[key] = (points, unknown, contribution)
        points, unknown, contribution = cached
        if unknown:
            not_known.append(cq.id)
            if cq.counts:
                to_find_out.append(cq.id)
        if contribution is not None:
            score += points
            contributions.append(contribution)

    band, band_rank = _band_for(compiled.bands, score)

    # Rules.
    fired = _fired(compiled, effective)
    floor_rank = _floor_rank(fired, len(levels) - 1)
    set_ranks = [r.set_rank for r in fired if r.set_rank is not None]
    base_rank = max(set_ranks) if set_ranks else band_rank
    computed_rank = max(base_rank, floor_rank)
    immediate_risk = any(r.interrupts for r in fired)
    raised_flags = tuple(
        RaisedFlag(
            id=flag.id,
            label=flag.label,
            rules=tuple(r.rule.id for r in fired if flag.id in r.flags),
            alert=flag.alert,
        )
        for flag in compiled.flags
        if any(flag.id in r.flags for r in fired)
    )

    # Professional judgement.
    judgement = screening.judgement
    final_rank = computed_rank
    if judgement is not None:
        check_judgement(questionnaire, judgement.level, judgement.reason)
        final_rank = index.rank(judgement.level)
        if final_rank < floor_rank:
            if strict_judgement:
                # Immediate risk floors at the top level even without a min_level: it is one of
                # the rules that set the floor, and the message must say so.
                floor_rules = [
                    r.rule
                    for r in fired
                    if r.min_rank == floor_rank or (r.rule.immediate_risk and floor_rank == len(levels) - 1)
                ]
                raise JudgementBelowFloor(
                    judgement.level,
                    levels[floor_rank].id,
                    tuple(r.id for r in floor_rules),
                    floor_label=levels[floor_rank].label,
                    reasons=tuple(r.reason for r in floor_rules),
                )
            superseded_rank, final_rank = final_rank, floor_rank
        else:
            superseded_rank = None
    else:
        superseded_rank = None
    # Rule 7: a lowest-level result with gaps may reassure falsely, whether the rules or the
    # practitioner's judgement put it there. Only questions that count for completeness
    # are gaps; a declared minimum share also guards low results above the lowest level.
    low_rank = min(computed_rank, final_rank)
    incomplete = low_rank == 0 and bool(to_find_out)
    share_short = (
        compiled.min_answered is not None
        and counted > 0
        and low_rank <= compiled.up_to_rank
        and (counted - len(to_find_out)) / counted < compiled.min_answered
    )
    incomplete = incomplete or share_short

    final = levels[final_rank]
    reasons = _reasons(
        questionnaire,
        fired=fired,
        score=score,
        band=band,
        band_rank=band_rank,
        set_rank=max(set_ranks) if set_ranks else None,
        floor_rank=floor_rank,
        base_rank=base_rank,
        computed_rank=computed_rank,
        judgement=judgement,
        final_rank=final_rank,
        not_known=len(not_known),
        unanswered=len(unanswered),
        hidden=len(hidden_answered),
        incomplete=incomplete,
        share=(counted - len(to_find_out), counted, compiled.min_answered) if share_short else None,
        to_find_out=[index.by_id[qid].text for qid in to_find_out],
    )
    if superseded_rank is not None:
        reasons.append(
            f"The professional judgement ({levels[superseded_rank].label}) was recorded before later "
            f"answers; the rules now require at least {levels[floor_rank].label}, so that is the level. "
            "Review the judgement."
        )
    next_steps = _next_steps(questionnaire, fired, final_rank=final_rank, incomplete=incomplete)

    return visible, Result(
        questionnaire=QuestionnaireRef(
            id=questionnaire.id,
            version=questionnaire.version,
            sha256=sha256 if sha256 is not None else sha256_of(questionnaire),
        ),
        score=score,
        band_level=levels[band_rank].id,
        floor_level=levels[floor_rank].id,
        computed_level=levels[computed_rank].id,
        level=final.id,
        level_label=final.label,
        level_icon=final.icon,
        judgement=judgement,
        immediate_risk=immediate_risk,
        flags=raised_flags,
        incomplete=incomplete,
        to_find_out=tuple(to_find_out),
        counted=counted,
        fired=tuple(
            FiredRule(
                id=r.rule.id,
                reason=r.rule.reason,
                min_level=r.rule.min_level,
                set_level=r.rule.set_level,
                immediate_risk=r.interrupts,
                flags=r.flags,
            )
            for r in fired
        ),
        contributions=tuple(contributions),
        not_known=tuple(not_known),
        unanswered=tuple(unanswered),
        hidden_answered=hidden_answered,
        reasons=tuple(reasons),
        next_steps=tuple(next_steps),
        final_line=questionnaire.final_line,
    )


_NAMED = 5
"""How many questions still to find out a reason names before saying "and N more"."""


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _reasons(
    questionnaire: Questionnaire,
    *,
    fired: list[_CompiledRule],
    score: int,
    band: Band,
    band_rank: int,
    set_rank: int | None,
    floor_rank: int,
    base_rank: int,
    computed_rank: int,
    judgement: Judgement | None,
    final_rank: int,
    not_known: int,
    unanswered: int,
    hidden: int,
    incomplete: bool,
    share: tuple[int, int, float | None] | None,
    to_find_out: list[str],
) -> list[str]:
    levels = questionnaire.levels

    def label(rank: int) -> str:
        return levels[rank].label

    reasons: list[str] = []
    # An interrupting alert first: it is what the practitioner must act on before anything else.
    for r in sorted(fired, key=lambda r: not r.interrupts):
        reasons.append(r.rule.reason)
    reasons.append(
        f"The score is {score}; the band for {_describe_band(band)} points suggests {label(band_rank)}."
    )
    if set_rank is not None:
        reasons.append(f"A rule sets the level to {label(set_rank)} instead of the score band.")
    if floor_rank > base_rank:
        reasons.append(
            f"Rules mean the level cannot be lower than {label(floor_rank)}, so it is raised to it."
        )
    elif floor_rank > 0:
        reasons.append(f"Rules mean the level cannot be lower than {label(floor_rank)}.")
    if not_known:
        reasons.append(
            f"{_plural(not_known, 'answer is', 'answers are')} not known: this is information still to "
            "gather, not a no."
        )
    if unanswered:
        reasons.append(f"{_plural(unanswered, 'question has', 'questions have')} no answer yet.")
    if hidden:
        reasons.append(
            f"{_plural(hidden, 'answer belongs', 'answers belong')} to questions no longer asked because "
            "of later changes; they are kept but do not count."
        )
    if share is not None:
        known, counted, needed = share
        assert needed is not None
        shown = "; ".join(to_find_out[:_NAMED])
        more = f" and {len(to_find_out) - _NAMED} more" if len(to_find_out) > _NAMED else ""
        reasons.append(
            f"Only {known} of the {counted} questions this result rests on have a known answer; "
            f"at least {needed:.0%} are needed before a {label(min(computed_rank, final_rank))} "
            f"result can be relied on. Still to find out: {shown}{more}."
        )
    if incomplete:
        reasons.append(questionnaire.incomplete_message)
    if judgement is not None:
        if final_rank > computed_rank:
            how = f"raised the level from {label(computed_rank)} to {label(final_rank)}"
        elif final_rank < computed_rank:
            how = f"lowered the level from {label(computed_rank)} to {label(final_rank)}"
        else:
            how = f"kept the level at {label(final_rank)}"
        reasons.append(f"Professional judgement {how}: {judgement.reason}")
    return reasons


def _next_steps(
    questionnaire: Questionnaire, fired: list[_CompiledRule], *, final_rank: int, incomplete: bool
) -> list[str]:
    """Rule steps (interrupting alerts first, then by level, highest first), then the level's steps.

    Identical steps, and steps with the same ``id``, are listed once, where they first appear.
    """
    ordered = sorted(fired, key=lambda r: (not r.interrupts, -r.rank))  # stable: file order on ties
    steps: list[str] = [s for r in ordered for s in r.rule.next_steps]
    level_steps = list(questionnaire.levels[final_rank].next_steps)
    if incomplete and final_rank == 0:
        # Nothing more urgent applies: gathering the missing information comes first.
        steps.append(questionnaire.incomplete_message)
        steps.extend(level_steps)
    else:
        steps.extend(level_steps)
        if incomplete:
            steps.append(questionnaire.incomplete_message)
    # Steps sharing an id mean the same thing: the first (most urgent) one stands for all.
    merged: dict[tuple[bool, str], str] = {}
    for step in steps:
        step_id = getattr(step, "id", None)
        merged.setdefault((step_id is None, step_id or step), step)
    return list(merged.values())
