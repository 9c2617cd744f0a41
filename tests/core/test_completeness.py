"""Completeness as data: which questions a low result rests on, and how many must be known.

Every child and person here is invented.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loader_support import load_problems

from cse_screen.bundled import bundled_path
from cse_screen.cli import main
from cse_screen.questionnaire.loader import load_questionnaire, load_questionnaire_text
from cse_screen.scoring import evaluate
from cse_screen.screening import Answer, Screening

BUNDLED = bundled_path("cse-screening")


def _bundled_ids(tag: str) -> list[str]:
    q = load_questionnaire(BUNDLED).questionnaire
    return [question.id for question in q.questions() if tag in question.tags]


def _score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answers: dict[str, object]
) -> dict[str, object]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    assert main(["score", "cse-screening", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_every_indicator_answered_with_strengths_and_sources_blank_is_not_incomplete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers: dict[str, object] = {"age": 14, "immediate_danger": "no", "disclosure": "no"}
    answers |= {qid: "no" for qid in _bundled_ids("indicator") + _bundled_ids("vulnerability")}
    data = _score(tmp_path, capsys, answers)
    assert data["level"] == "none"
    assert data["incomplete"] is False
    assert data["to_find_out"] == []
    # The blank strengths and sources are still listed as unanswered, just not as gaps.
    assert {"trusted_adult", "information_sources"} <= set(data["unanswered"])  # type: ignore[arg-type]


def test_a_low_result_with_most_indicators_unanswered_is_incomplete_and_says_what_to_find_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _score(
        tmp_path,
        capsys,
        {"age": 14, "immediate_danger": "no", "disclosure": "no", "staying_out_late": "yes_recent"},
    )
    assert data["level"] == "low"
    assert data["incomplete"] is True
    assert data["counted"] == 30
    assert len(data["to_find_out"]) == 29  # type: ignore[arg-type]
    reason = next(r for r in data["reasons"] if r.startswith("Only 1 of the 30"))  # type: ignore[union-attr]
    assert "at least 75% are needed before a Low concern result can be relied on" in reason
    assert "Still to find out: " in reason and "and 24 more." in reason


def test_a_low_result_with_enough_known_answers_is_not_incomplete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counted = _bundled_ids("indicator") + _bundled_ids("vulnerability")
    answers: dict[str, object] = {"age": 14, "immediate_danger": "no", "disclosure": "no"}
    # 23 of 30 known (77%): above the bundled tool's 75%.
    answers |= {qid: "no" for qid in counted[:23] if qid != "staying_out_late"}
    answers["staying_out_late"] = "yes_recent"
    data = _score(tmp_path, capsys, answers)
    assert (data["level"], data["incomplete"]) == ("low", False)
    # One fewer known answer (22 of 30, 73%) and the same low result is incomplete.
    del answers[counted[22]]
    data = _score(tmp_path, capsys, answers)
    assert (data["level"], data["incomplete"]) == ("low", True)


def test_a_moderate_result_is_never_marked_incomplete_by_the_share(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _score(
        tmp_path,
        capsys,
        {"age": 14, "immediate_danger": "no", "disclosure": "no", "unexplained_gifts": "possible"},
    )
    assert (data["level"], data["incomplete"]) == ("moderate", False)


MOOD = """\
id: mood
title: Mood (invented)
version: "1"
option_sets:
  freq:
    - {id: never, label: Never, weight: 0}
    - {id: often, label: Often, weight: 2}
sections:
  - id: main
    title: Main
    questions:
      - {id: a, type: single, text: Item A?, options: freq, tags: [item]}
      - {id: b, type: single, text: Item B?, options: freq, tags: [item]}
      - id: difficulty
        type: single
        text: How hard have these made daily life?
        options: [{id: not_hard, label: Not hard}, {id: very_hard, label: Very hard}]
levels:
  - {id: minimal, label: Minimal, next_steps: [Check in next time.]}
  - {id: raised, label: Raised, next_steps: [Offer a follow-up.]}
scoring:
  bands:
    - {min: 0, max: 1, level: minimal}
    - {min: 2, level: raised}
final_line: Follow your service's procedure if you are worried.
"""


def _evaluate(text: str, **answers: str) -> tuple[bool, tuple[str, ...]]:
    q = load_questionnaire_text(text).questionnaire
    screening = Screening(questionnaire_id="mood", answers={k: Answer(value=v) for k, v in answers.items()})
    result = evaluate(q, screening)
    return result.incomplete, result.to_find_out


def test_an_optional_unscored_question_never_counts_by_default() -> None:
    assert _evaluate(MOOD, a="never", b="never") == (False, ())
    assert _evaluate(MOOD, a="never") == (True, ("b",))


def test_declared_questions_count_even_if_optional() -> None:
    text = MOOD + "completeness: {tags: [item], questions: [difficulty]}\n"
    assert _evaluate(text, a="never", b="never") == (True, ("difficulty",))


def test_completeness_names_unknown_tags_questions_and_levels() -> None:
    text = MOOD + "completeness: {tags: [itme], questions: [dificulty], min_answered: 0.5, up_to_level: hi}\n"
    problems = sorted(load_problems(text), key=lambda p: p.col)
    messages = [(p.message, p.hint) for p in problems]
    assert ("no question has the tag 'itme'", "did you mean 'item'?") in messages
    assert ("unknown question 'dificulty'", "did you mean 'difficulty'?") in messages
    assert any(m == "unknown level 'hi'" for m, _ in messages)


def test_min_answered_must_be_a_share() -> None:
    text = MOOD + "completeness: {tags: [item], min_answered: 75}\n"
    (problem,) = load_problems(text)
    assert "min_answered" in problem.message


def test_a_judgement_lowering_to_low_on_few_known_answers_is_incomplete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(
        "answers: {age: 14, immediate_danger: 'no', disclosure: 'no', staying_out_late: yes_recent,\n"
        "          multiple_callers: yes_recent, phone_use_concern: yes_recent}\n"
        "judgement: {level: low, reason: Invented reason for the test}\n",
        encoding="utf-8",
    )
    assert main(["score", "cse-screening", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["computed_level"], data["level"]) == ("moderate", "low")
    assert data["incomplete"] is True  # the practitioner's "low" rests on 3 of 30 known answers
