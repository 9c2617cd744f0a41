"""Structure checks on what a questionnaire concludes: levels, bands, flags, test cases.

Also the lists a practitioner reads at the end (next steps, alerts, caveats). Each check
reports through :class:`~cse_screen.questionnaire.checks_support.Findings`;
:func:`cse_screen.questionnaire.checks.check_structure` runs them after the reference checks.
"""

from __future__ import annotations

from cse_screen.questionnaire import models as m
from cse_screen.questionnaire.checks_support import Findings, did_you_mean
from cse_screen.questionnaire.outcome_models import IMMEDIATE_RISK_FLAG
from cse_screen.questionnaire.positions import PathKey

__all__ = ["check_bands", "check_cases", "check_flags", "check_split_sentences", "score_range"]


def check_flags(q: m.Questionnaire, found: Findings) -> None:
    """Flag ids are unique; every flag a rule raises is declared; declared flags are used."""
    found.unique(((f.id, ("flags", i)) for i, f in enumerate(q.flags)), "flag")
    declared = {f.id for f in q.flags} | {IMMEDIATE_RISK_FLAG}
    raised: set[str] = set()
    for i, rule in enumerate(q.rules):
        raised.update(rule.raised_flags())
        for j, flag_id in enumerate(rule.flags):
            if flag_id not in declared:
                path: PathKey = ("rules", i, "flags", j)
                found.add(
                    path if found.doc.positions.value_at(path) is not None else ("rules", i, "flags"),
                    f"rule '{rule.id}' raises flag '{flag_id}', which is not declared",
                    did_you_mean(flag_id, declared)
                    or "declare it under `flags:` with an id, a label and an alert",
                )
    for i, flag in enumerate(q.flags):
        if flag.id not in raised:
            found.add(
                ("flags", i),
                f"flag '{flag.id}' is never raised by a rule",
                "name it in a rule's `flags:`, or remove it",
                warning=True,
            )


def check_split_sentences(q: m.Questionnaire, found: Findings) -> None:
    """Warn about a flow list that reads as one sentence cut at its commas.

    ``next_steps: [Ask about thoughts, plans and means, and act.]`` is three steps in
    YAML. Items written on one line where the next one starts in lower case and the one
    before has no full stop are almost always such a sentence.
    """
    lists: list[tuple[PathKey, list[str]]] = []
    lists += [(("levels", i, "next_steps"), lv.next_steps) for i, lv in enumerate(q.levels)]
    lists += [(("rules", i, "next_steps"), r.next_steps) for i, r in enumerate(q.rules)]
    for i, flag in enumerate(q.flags):
        if flag.alert is not None:
            lists.append((("flags", i, "alert", "text"), flag.alert.text))
            lists.append((("flags", i, "alert", "actions"), flag.alert.actions))
    lists.append((("framing", "caveats"), q.framing.caveats))
    positions = found.doc.positions
    for path, items in lists:
        for j in range(1, len(items)):
            before, after = items[j - 1].rstrip(), items[j].lstrip()
            if before[-1:] in ".!?:;" or not after[:1].islower():
                continue  # the words alone rule it out: no need to look where they were
            here, there = positions.value_at((*path, j - 1)), positions.value_at((*path, j))
            if here is not None and there is not None and here[0] == there[0]:
                found.add(
                    (*path, j - 1),
                    f"this list looks like one sentence split at its commas ({len(items)} items on one line)",
                    'put the sentence in quotes: ["Ask about thoughts, plans and means, and act."]',
                    warning=True,
                )
                break


def check_bands(q: m.Questionnaire, found: Findings) -> None:
    """Bands name levels, go lowest first without gaps or overlaps, and cover every reachable score."""
    bands = q.scoring.bands
    base: PathKey = ("scoring", "bands")
    ok = True
    for i, band in enumerate(bands):
        ok = found.level_ref(band.level, (*base, i, "level")) and ok
        if band.max is not None and band.max < band.min:
            found.add(
                (*base, i, "max"),
                f"band {i + 1}: max ({band.max}) is below min ({band.min})",
                "swap them",
            )
            ok = False
        if band.max is None and i != len(bands) - 1:
            found.add(
                (*base, i),
                f"band {i + 1} has no max, but only the last band may be open-ended",
                "give it a `max:`",
            )
            ok = False
    if not ok:
        return
    for i in range(1, len(bands)):
        prev, band = bands[i - 1], bands[i]
        assert prev.max is not None
        if band.min <= prev.max:
            found.add(
                (*base, i, "min"),
                f"band {i + 1} (from {band.min}) overlaps band {i} (up to {prev.max})",
                f"start it at {prev.max + 1}; bands go lowest first",
            )
        elif band.min > prev.max + 1:
            found.add(
                (*base, i, "min"),
                f"{_scores(prev.max + 1, band.min - 1)} not in any band",
                f"start band {i + 1} at {prev.max + 1}",
            )
        if found.levels.index(band.level) < found.levels.index(prev.level):
            found.add(
                (*base, i, "level"),
                f"band {i + 1} gives a lower level than the band below it",
                "higher scores should never give a lower level",
                warning=True,
            )
    low, high = score_range(q)
    first, last = bands[0], bands[-1]
    for i, band in enumerate(bands):
        if band.min > high:
            found.add(
                (*base, i, "min"),
                f"band {i + 1} starts at {band.min}, above the highest reachable score ({high}): "
                f"level '{band.level}' can never come from the score",
                "check the weights and the band; remove the band if a rule gives this level",
                warning=True,
            )
    if first.min > low:
        found.add(
            (*base, 0, "min"),
            f"{_scores(low, first.min - 1)} not in any band (the lowest possible score is {low})",
            f"start the first band at {low}",
        )
    if last.max is not None and last.max < high:
        found.add(
            (*base, len(bands) - 1, "max"),
            f"{_scores(last.max + 1, high)} not in any band (the highest possible score is {high})",
            "leave out `max` on the last band",
        )
    used = {b.level for b in bands} | {r.min_level for r in q.rules} | {r.set_level for r in q.rules}
    for i, level in enumerate(q.levels):
        if level.id not in used:
            found.add(
                ("levels", i),
                f"level '{level.id}' is never given by a band or a rule",
                "use it in a band or rule, or remove it",
                warning=True,
            )


def check_cases(q: m.Questionnaire, found: Findings) -> None:
    """Test cases expect levels, rules and flags that exist."""
    rule_ids = {r.id for r in q.rules}
    for i, case in enumerate(q.cases):
        path: PathKey = ("cases", i, "expect")
        found.level_ref(case.expect.level, (*path, "level"))
        for j, rule_id in enumerate(case.expect.rules or []):
            if rule_id not in rule_ids:
                found.add(
                    (*path, "rules", j),
                    f"unknown rule '{rule_id}'",
                    did_you_mean(rule_id, rule_ids) or "check the rule id",
                )
        flag_ids = {f.id for f in q.flags} | {IMMEDIATE_RISK_FLAG}
        for j, flag_id in enumerate(case.expect.flags or []):
            if flag_id not in flag_ids:
                found.add(
                    (*path, "flags", j),
                    f"unknown flag '{flag_id}'",
                    did_you_mean(flag_id, flag_ids) or "check the flag id",
                )


def score_range(questionnaire: m.Questionnaire) -> tuple[int, int]:
    """Lowest and highest reachable additive score.

    A question may be left unanswered or hidden (adding 0), so a single-choice question adds
    between min(0, lowest weight) and max(0, highest weight); a multi-choice question
    adds between the sum of its negative and the sum of its positive weights.
    """
    low = high = 0
    # What a question on a shared option set without weights of its own adds, by set and kind:
    # worked out once per set, not once per question.
    by_set: dict[tuple[str, bool], tuple[int, int]] = {}
    for question in questionnaire.questions():
        if not isinstance(question, m.SingleChoiceQuestion | m.MultiChoiceQuestion):
            continue
        multi = isinstance(question, m.MultiChoiceQuestion)
        if isinstance(question.options, str):
            if question.options not in questionnaire.option_sets:
                continue
            if not question.weights:
                key = (question.options, multi)
                adds = by_set.get(key)
                if adds is None:
                    weights = [o.weight for o in questionnaire.option_sets[question.options]]
                    adds = by_set[key] = _adds(weights, multi)
                low, high = low + adds[0], high + adds[1]
                continue
            options = questionnaire.option_sets[question.options]
        else:
            options = question.options
        # The weights options_of would give, without copying every weighted option.
        adds = _adds([question.weights.get(o.id, o.weight) for o in options], multi)
        low, high = low + adds[0], high + adds[1]
    return low, high


def _adds(weights: list[int], multi: bool) -> tuple[int, int]:
    """Lowest and highest a question with these option weights adds to the score."""
    if multi:
        return sum(w for w in weights if w < 0), sum(w for w in weights if w > 0)
    return min(0, *weights), max(0, *weights)


def _scores(low: int, high: int) -> str:
    return f"score {low} is" if low == high else f"scores {low} to {high} are"
