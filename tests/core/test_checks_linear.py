"""The checks stay linear in the questionnaire: work is counted, never timed.

A tagged condition used to read the options of every question carrying its tags (a model
copy for each weighted one), so checks grew with conditions × holders: a 1.2 MB
questionnaire with many tagged ``show_if`` took 26 s to validate.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator

import pytest

from cse_screen.questionnaire import checks
from cse_screen.questionnaire import models as m
from cse_screen.questionnaire.checks_outcome import score_range
from cse_screen.questionnaire.loader import build_questionnaire, load_questionnaire_text
from cse_screen.questionnaire.yaml_safe import gc_paused, load_yaml


def tool(holders: int, tagged: int, shown_by: str = "['yes', 'maybe']") -> str:
    """``holders`` weighted questions tagged ``t``, then ``tagged`` questions shown by a tagged condition."""
    lines = [
        "id: linear",
        "title: Linear",
        "version: '1'",
        "option_sets:",
        "  yn:",
        "    - {id: 'yes', label: 'Yes', weight: 1}",
        "    - {id: 'no', label: 'No'}",
        "sections:",
        "  - id: s",
        "    title: S",
        "    questions:",
    ]
    for i in range(holders):
        lines.append(f"      - {{id: h{i}, type: single, text: 'Holder {i}?', options: yn, tags: [t],")
        lines.append("         weights: {'yes': 2}}")
    for i in range(tagged):
        lines.append(f"      - {{id: c{i}, type: single, text: 'Shown {i}?', options: yn,")
        lines.append("         show_if: {tagged: {tags: [t], in: " + shown_by + "}}}")
    lines += [
        "levels:",
        "  - {id: low, label: Low, next_steps: [Talk to the DSL.]}",
        "  - {id: high, label: High, next_steps: [Talk to the DSL today.]}",
        "rules:",
        "  - {id: r, when: {tagged: {tags: [t], in: ['yes']}}, min_level: high, reason: Invented.}",
        "scoring:",
        "  bands: [{min: 0, max: 0, level: low}, {min: 1, level: high}]",
        "final_line: Invented.",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Count every read of a question's options and every option copy during the checks."""
    calls: Counter[str] = Counter()
    for owner, name in (
        (m.Questionnaire, "options_of"),
        (checks._Checker, "option_ids"),
        (m.Option, "model_copy"),
    ):
        original = getattr(owner, name)

        def wrapper(*args: object, _original: object = original, _name: str = name, **kw: object) -> object:
            calls[_name] += 1
            return _original(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(owner, name, wrapper)
    yield calls


@pytest.mark.parametrize("tagged", [10, 80])
def test_options_are_read_once_per_question_not_once_per_condition(
    counted: Counter[str], tagged: int
) -> None:
    holders = 60
    text = tool(holders, tagged)
    doc = load_yaml(text)
    q = build_questionnaire(doc, "<text>")
    counted.clear()
    problems = checks.check_structure(q, doc, "<text>")
    # 'maybe' is not an option of any question with tag t: one error per condition, so the
    # tagged checks really ran.
    assert sum("'maybe' is not an option" in p.message for p in problems) == tagged
    reads = counted["options_of"] + counted["option_ids"]
    # Once per question, and once more per holder for the tag (was holders × (tagged + 1)).
    assert reads <= 2 * (holders + tagged) + 1
    assert counted["model_copy"] == 0  # weights never change option ids


def test_score_range_applies_weights_without_copying_options(counted: Counter[str]) -> None:
    q = load_questionnaire_text(tool(5, 0)).questionnaire
    counted.clear()
    assert score_range(q) == (0, 10)  # five questions weighted 'yes': 2
    assert counted["model_copy"] == 0
    # The same figures options_of gives (it copies the weighted options).
    low = high = 0
    for question in q.questions():
        assert isinstance(question, m.SingleChoiceQuestion)
        weights = [o.weight for o in q.options_of(question)]
        low, high = low + min(0, *weights), high + max(0, *weights)
    assert (low, high) == (0, 10)


@pytest.mark.parametrize("enabled", [True, False])
def test_gc_paused_restores_the_collector_even_after_an_error(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with pytest.raises(RuntimeError), gc_paused():
            assert not gc.isenabled()
            raise RuntimeError
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_loading_and_validating_leave_the_collector_on(tmp_path: object) -> None:
    assert gc.isenabled()
    load_questionnaire_text(tool(3, 2, "['yes']"))
    assert gc.isenabled()


def test_a_tag_listed_twice_on_one_question_counts_it_once() -> None:
    # Tagged conditions on one tag use the index's holder tuple as it is (no sorted copy per
    # condition), so the index must hold each question once per tag.
    from loader_support import MINI, replace

    from cse_screen.scoring import evaluate
    from cse_screen.screening import Answer, Screening

    text = replace(MINI, "tags: [risk, significant]", "tags: [risk, significant, significant]")
    text = replace(
        text,
        "    when: {tagged: {tags: [significant], in: [yes_recent]}}",
        "    when: {tagged: {tags: [significant], in: [yes_recent], at_least: 2}}",
    )
    text = replace(text, "expect: {level: high, rules: [gifts-high]}", "expect: {level: low}")
    q = load_questionnaire_text(text).questionnaire
    answers = {"age": 14, "staying_out": "yes_recent", "gifts": "yes_recent"}
    result = evaluate(
        q, Screening(questionnaire_id=q.id, answers={k: Answer(value=v) for k, v in answers.items()})
    )
    assert [r.id for r in result.fired] == []


@pytest.mark.parametrize("at_least", [1, 2, 3])
@pytest.mark.parametrize("answered", [0, 1, 2, 3, 5, 8])  # 8 > holders: the walk over holders
def test_tagged_conditions_count_the_same_whichever_side_is_walked(at_least: int, answered: int) -> None:
    # A tagged predicate walks the answers when there are fewer answers than holders, else
    # the holders; both must count exactly the answered holders that chose a listed option.
    from cse_screen.scoring import evaluate
    from cse_screen.screening import Answer, Screening

    text = tool(6, 2, "['yes']").replace(
        "r, when: {tagged: {tags: [t], in: ['yes']}}",
        f"r, when: {{tagged: {{tags: [t], in: ['yes'], at_least: {at_least}}}}}",
    )
    q = load_questionnaire_text(text).questionnaire
    values = ["yes", "no", "yes", "yes", "no", "yes", "no", "no"][:answered]
    ids = [f"h{i}" for i in range(6)] + ["c0", "c1"]
    answers = {qid: Answer(value=v) for qid, v in zip(ids, values, strict=False)}
    result = evaluate(q, Screening(questionnaire_id=q.id, answers=answers))
    yes_on_holders = sum(1 for qid, v in zip(ids[:6], values, strict=False) if v == "yes")
    assert ("r" in [r.id for r in result.fired]) is (yes_on_holders >= at_least)


def test_score_range_is_the_sum_over_questions_of_what_each_can_add() -> None:
    # Questions on a shared set are worked out once per set: the result must be the plain
    # sum over every question, with weights of its own, inline options and multi-choice.
    from loader_support import MINI, replace

    from cse_screen.bundled import bundled_path

    weighted = replace(
        MINI,
        "        options: indicator\n        tags: [risk]\n",
        "        options: indicator\n        tags: [risk]\n        weights: {no: -2, yes_recent: 5}\n",
    )
    texts = [MINI, weighted, tool(7, 3), bundled_path("cse-screening").read_text(encoding="utf-8")]
    for text in texts:
        q = build_questionnaire(load_yaml(text), "<text>")
        low = high = 0
        for question in q.questions():
            if isinstance(question, m.SingleChoiceQuestion | m.MultiChoiceQuestion):
                weights = [o.weight for o in q.options_of(question)]
                if isinstance(question, m.MultiChoiceQuestion):
                    low += sum(w for w in weights if w < 0)
                    high += sum(w for w in weights if w > 0)
                else:
                    low, high = low + min(0, *weights), high + max(0, *weights)
        assert score_range(q) == (low, high)
    assert score_range(build_questionnaire(load_yaml(MINI), "m")) == (0, 4)
    assert score_range(build_questionnaire(load_yaml(weighted), "w")) == (-2, 7)
