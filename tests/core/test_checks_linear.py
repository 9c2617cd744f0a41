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
    assert checks.score_range(q) == (0, 10)  # five questions weighted 'yes': 2
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
