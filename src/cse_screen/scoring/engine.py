"""The rules engine: from a questionnaire and a screening to a :class:`Result`.

Pure and deterministic: no I/O, no Textual, no clocks. Everything CSE-specific lives in
the questionnaire (rules, weights, bands, next steps); this module only knows the format.
The order of work is fixed and explained in ``docs/scoring.md`` (the questionnaire is
compiled once, :mod:`compiled`; visibility and fired rules are :mod:`visibility`; reasons
and next steps are :mod:`explain`):

1. visibility, in asking order, looking only at answers of visible earlier questions;
2. the additive score over visible choice answers, mapped to a band;
3. rules (floors, set levels, flags beside the level, advice) over visible answers;
4. not known / unanswered / incomplete (which questions count is the questionnaire's
   ``completeness``);
5. professional judgement (may raise; may lower only down to the rules' floor);
6. reasons and next steps, most urgent first.
"""

from __future__ import annotations

from cse_screen.errors import InvalidAnswer
from cse_screen.questionnaire.index import sha256_of
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.questionnaire.outcome_models import Band
from cse_screen.questionnaire.values import check_answer, check_judgement
from cse_screen.scoring.compiled import DATE, INTEGER, TEXT, CompiledQuestion, compiled_form
from cse_screen.scoring.conditions import has_value
from cse_screen.scoring.explain import next_steps_for, reasons_for
from cse_screen.scoring.result import Contribution, QuestionnaireRef, RaisedFlag, Result
from cse_screen.scoring.visibility import effective_answers, fired_rules, fits, floor_rank_of
from cse_screen.screening import Screening


class JudgementBelowFloor(InvalidAnswer):
    """Professional judgement tried to go below the level the rules require.

    The message names the floor (its label) and why the rules that set it fired (their
    reasons: questionnaire text, never anything the practitioner wrote).
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
        # In the questionnaire's words (the rules' reasons, the level's label): ids are for
        # authors and stay on the exception's attributes.
        because = "; ".join(reasons) or ", ".join(f"rule '{r}'" for r in rule_ids)
        super().__init__(
            f"the judgement cannot go below {label!r} because: {because}",
            f"choose {label!r} or higher, or change the answers that fired the rule if they were "
            "recorded by mistake",
        )


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
) -> tuple[list[CompiledQuestion], Result]:
    compiled = compiled_form(questionnaire)
    index = compiled.index
    levels = questionnaire.levels
    effective, visible = effective_answers(questionnaire, compiled, screening)
    visible_ids = {q.id for q in visible}

    # Answers kept for questions no longer asked: listed, explained, never counted.
    hidden: list[str] = []
    for cq in compiled.questions:
        kept = screening.answers.get(cq.id) if cq.id not in visible_ids else None
        if kept is not None and kept.value is not None and has_value(kept.value):
            # A hidden answer is still stored and reported, so it must still make sense.
            if not fits(cq, kept.value):
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
        if kind in (TEXT, DATE):
            continue
        counted += cq.counts
        value = effective.get(cq.id)
        if value is None:
            unanswered.append(cq.id)
            if cq.counts:
                to_find_out.append(cq.id)
            continue
        if kind == INTEGER:
            continue
        if isinstance(value, str):
            chosen: tuple[str, ...] = (value,)
        elif isinstance(value, tuple | list):
            # A repeated option in a multiple choice counts once.
            chosen = tuple(dict.fromkeys(value))
        else:  # pragma: no cover - check_answer rejects anything else for a choice question
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
    fired = fired_rules(compiled, effective)
    floor_rank = floor_rank_of(fired, len(levels) - 1)
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
    reasons = reasons_for(
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
    next_steps = next_steps_for(questionnaire, fired, final_rank=final_rank, incomplete=incomplete)

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
        fired=tuple(r.fired() for r in fired),
        contributions=tuple(contributions),
        not_known=tuple(not_known),
        unanswered=tuple(unanswered),
        hidden_answered=hidden_answered,
        reasons=tuple(reasons),
        next_steps=tuple(next_steps),
        final_line=questionnaire.final_line,
    )
