"""Flags declared in the questionnaire: raised beside the level, each with its own alert.

A flag is data: its title, text, actions and acknowledgement labels come from the file, so a
tool from another field (a mental-health questionnaire) gets its own words, never the bundled
tool's 999 alert. Every person here is invented.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loader_support import load_problems as problems_of

from cse_screen.bundled import bundled_path
from cse_screen.cli import main
from cse_screen.questionnaire.loader import load_questionnaire, load_questionnaire_text
from cse_screen.scoring import evaluate
from cse_screen.screening import Answer, Screening

MOOD = """\
id: mood-check
title: Mood check (invented for tests)
version: "1"
option_sets:
  freq:
    - {id: never, label: Never, weight: 0}
    - {id: some_days, label: Some days, weight: 1}
    - {id: most_days, label: Most days, weight: 2}
sections:
  - id: main
    title: Last two weeks
    questions:
      - {id: low_mood, type: single, text: Felt low?, options: freq}
      - {id: sleep, type: single, text: Slept badly?, options: freq}
      - {id: harm_thoughts, type: single, text: Thoughts of self-harm?, options: freq,
         weights: {some_days: 0, most_days: 0}}
levels:
  - {id: minimal, label: Minimal, next_steps: [Check in again at the next visit.]}
  - {id: raised, label: Raised, next_steps: [Offer a follow-up appointment.]}
flags:
  - id: urgent_safety
    label: Urgent safety concern
    alert:
      title: "URGENT: ASK ABOUT SAFETY TODAY"
      text: [The person has had thoughts of harming themselves.]
      actions: [Ask directly about plans and means before they leave., Follow your service's safety plan.]
      acknowledge: {acting_now: I am assessing safety now, already_done: A safety check is done}
rules:
  - id: harm_thoughts
    when: {answer: {question: harm_thoughts, in: [some_days, most_days]}}
    flags: urgent_safety
    reason: The person reports thoughts of self-harm.
    next_steps: [Ask about safety today.]
  - id: poor_sleep_advice
    when: {answer: {question: sleep, in: [most_days]}}
    reason: Poor sleep most days is worth asking about.
    next_steps: [Ask about sleep routines.]
scoring:
  bands:
    - {min: 0, max: 1, level: minimal}
    - {min: 2, level: raised}
final_line: If you are worried about someone's safety, follow your service's urgent procedure.
"""


def _screening(**answers: str) -> Screening:
    return Screening(questionnaire_id="t", answers={k: Answer(value=v) for k, v in answers.items()})


def test_a_flag_sits_beside_a_minimal_level() -> None:
    q = load_questionnaire_text(MOOD).questionnaire
    result = evaluate(q, _screening(low_mood="never", sleep="never", harm_thoughts="some_days"))
    assert result.level == "minimal"  # the flag does not change the level
    assert [f.id for f in result.flags] == ["urgent_safety"]
    assert result.flags[0].rules == ("harm_thoughts",)
    assert result.immediate_risk  # its alert interrupts the wizard
    alert = result.interrupting_alert()
    assert alert is not None and alert.title == "URGENT: ASK ABOUT SAFETY TODAY"
    assert alert.acknowledge.acting_now == "I am assessing safety now"
    # The flag's rule comes first in the reasons and its steps first in the next steps.
    assert result.reasons[0] == "The person reports thoughts of self-harm."
    assert result.next_steps[0] == "Ask about safety today."
    assert result.fired[0].flags == ("urgent_safety",) and result.fired[0].immediate_risk


def test_no_flag_when_the_rule_does_not_fire() -> None:
    q = load_questionnaire_text(MOOD).questionnaire
    result = evaluate(q, _screening(low_mood="most_days", sleep="never", harm_thoughts="never"))
    assert result.level == "raised" and result.flags == () and not result.immediate_risk
    assert result.interrupting_alert() is None


def test_an_advisory_rule_adds_steps_without_changing_the_level() -> None:
    q = load_questionnaire_text(MOOD).questionnaire
    result = evaluate(q, _screening(low_mood="never", sleep="most_days", harm_thoughts="never"))
    assert result.band_level == "raised" and result.level == "raised"
    assert [r.id for r in result.fired] == ["poor_sleep_advice"]
    assert result.floor_level == "minimal"  # advisory: no floor
    assert "Ask about sleep routines." in result.next_steps


def test_a_flag_without_interrupt_is_listed_but_does_not_interrupt() -> None:
    text = MOOD.replace(
        "      acknowledge: {acting_now", "      interrupt: false\n      acknowledge: {acting_now"
    )
    q = load_questionnaire_text(text).questionnaire
    result = evaluate(q, _screening(harm_thoughts="most_days"))
    assert [f.id for f in result.flags] == ["urgent_safety"]
    assert not result.immediate_risk and result.interrupting_alert() is None


def test_a_rule_without_any_effect_is_refused() -> None:
    text = MOOD.replace("    next_steps: [Ask about sleep routines.]\n", "")
    messages = [p.message for p in problems_of(text)]
    assert any("a rule needs an effect" in m for m in messages)


def test_an_undeclared_flag_is_an_error_naming_the_rule() -> None:
    text = MOOD.replace("    flags: urgent_safety", "    flags: urgent_safty")
    problems = problems_of(text)
    assert len(problems) == 1
    assert "rule 'harm_thoughts' raises flag 'urgent_safty', which is not declared" in problems[0].message
    assert problems[0].hint == "did you mean 'urgent_safety'?"
    assert problems[0].line == text.splitlines().index("    flags: urgent_safty") + 1


def test_test_cases_can_expect_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = (
        "cases:\n"
        "  - name: thoughts of harm with a minimal total\n"
        "    answers: {low_mood: never, sleep: some_days, harm_thoughts: some_days}\n"
        "    expect: {level: minimal, flags: [urgent_safety]}\n"
        "  - name: wrong on purpose\n"
        "    answers: {harm_thoughts: never}\n"
        "    expect: {level: minimal, flags: [urgent_safety]}\n"
    )
    path = tmp_path / "mood.yaml"
    path.write_text(MOOD + cases, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert "test case 'wrong on purpose' fails: expected flags [urgent_safety], got []" in out
    assert "thoughts of harm" not in out


def test_score_json_lists_raised_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tool = tmp_path / "mood.yaml"
    tool.write_text(MOOD, encoding="utf-8")
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers: {low_mood: never, sleep: never, harm_thoughts: most_days}\n", "utf-8")
    assert main(["score", str(tool), str(answers), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["level"] == "minimal"
    assert [f["id"] for f in data["flags"]] == ["urgent_safety"]
    assert data["flags"][0]["alert"]["title"] == "URGENT: ASK ABOUT SAFETY TODAY"
    assert main(["score", str(tool), str(answers)]) == 0
    out = capsys.readouterr().out
    assert "URGENT: ASK ABOUT SAFETY TODAY" in out and "999" not in out


def test_bundled_tool_raises_its_immediate_danger_flag_with_its_999_alert() -> None:
    q = load_questionnaire(bundled_path("cse-screening")).questionnaire
    result = evaluate(q, _screening(immediate_danger="yes", disclosure="no"))
    assert result.level == "immediate" and result.immediate_risk
    assert [f.id for f in result.flags] == ["immediate_danger"]
    alert = result.interrupting_alert()
    assert alert is not None
    assert alert.title == "IMMEDIATE DANGER — CALL THE POLICE ON 999 NOW"
    assert (alert.acknowledge.acting_now, alert.acknowledge.already_done) == (
        "I am calling 999 now",
        "Already done",
    )
    # No actions declared: the wizard shows the result's next steps, 999 first, as before.
    assert alert.actions == [] and "999" in result.next_steps[0]


def test_the_older_immediate_risk_shorthand_still_floors_at_the_top_with_a_neutral_alert() -> None:
    text = MOOD.replace("    flags: urgent_safety\n", "    immediate_risk: true\n").replace(
        "flags:\n  - id: urgent_safety", "unused:\n  - id: urgent_safety"
    )
    text = text.split("unused:")[0] + "rules:" + text.split("rules:", 1)[1]
    q = load_questionnaire_text(text).questionnaire
    result = evaluate(q, _screening(harm_thoughts="some_days"))
    assert result.level == "raised"  # the top level, as before
    assert [f.id for f in result.flags] == ["immediate_risk"]
    alert = result.interrupting_alert()
    assert alert is not None and "999" not in alert.title and "child" not in " ".join(alert.text)


def test_the_default_urgent_flag_is_the_validated_flag() -> None:
    # It is built without validation (so importing the models builds no validator):
    # it must be exactly what validating the same values gives.
    from cse_screen.questionnaire.outcome_models import DEFAULT_IMMEDIATE_RISK_FLAG, Flag

    validated = Flag.model_validate(
        {
            "id": "immediate_risk",
            "label": "Urgent action needed",
            "alert": {
                "title": "URGENT — ACT NOW",
                "text": ["An answer means someone may need help urgently."],
            },
        }
    )
    assert validated == DEFAULT_IMMEDIATE_RISK_FLAG
    assert DEFAULT_IMMEDIATE_RISK_FLAG.model_dump() == validated.model_dump()
    assert Flag.model_validate(DEFAULT_IMMEDIATE_RISK_FLAG.model_dump()) == DEFAULT_IMMEDIATE_RISK_FLAG
