"""The engine's explanation of a result: the reasons, and the next steps in order.

Reasons say, in plain words, how the level came about (fired rules, the score band,
floors, what is not known, professional judgement). Next steps put interrupting alerts
first, then rules by level, then the level's own steps; steps that mean the same thing
are listed once.
"""

from __future__ import annotations

from cse_screen.questionnaire.models import Questionnaire
from cse_screen.questionnaire.outcome_models import Band
from cse_screen.scoring.compiled import CompiledRule
from cse_screen.screening import Judgement


def _describe_band(band: Band) -> str:
    if band.max is None:
        return f"{band.min} or more"
    if band.min == band.max:
        return f"exactly {band.min}"
    return f"{band.min} to {band.max}"


_NAMED = 5
"""How many questions still to find out a reason names before saying "and N more"."""


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def reasons_for(
    questionnaire: Questionnaire,
    *,
    fired: list[CompiledRule],
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
    """The reasons for a result, in the order the practitioner should read them."""
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


def next_steps_for(
    questionnaire: Questionnaire, fired: list[CompiledRule], *, final_rank: int, incomplete: bool
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
