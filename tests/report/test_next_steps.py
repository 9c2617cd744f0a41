"""Next steps are one list, most urgent first, with no step repeated in substance (issue 10, item 8).

Steps that mean the same thing carry the same ``id`` in the questionnaire and merge into the
first (most urgent) one, whichever rules and level they come from.
"""

from __future__ import annotations

import re

import pytest

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire, load_questionnaire_text
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.scoring import evaluate
from cse_screen.screening import Answer, Screening

TELL_DSL = re.compile(r"\b(tell|speak to) your DSL\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def tool() -> Questionnaire:
    return load_questionnaire(bundled_path("cse-screening")).questionnaire


def steps(tool: Questionnaire, **answers: object) -> list[str]:
    screening = Screening(
        questionnaire_id=tool.id, answers={k: Answer.model_validate({"value": v}) for k, v in answers.items()}
    )
    return list(evaluate(tool, screening).next_steps)


SCENARIOS = {
    "immediate and disclosure": {"age": 14, "immediate_danger": "yes", "disclosure": "yes"},
    "immediate, disclosure, under 13, sexual": {
        "age": 9,
        "immediate_danger": "yes",
        "disclosure": "yes",
        "sexual_activity": "yes_recent",
    },
    "under 13 with a sexual sign": {
        "age": 11,
        "immediate_danger": "no",
        "disclosure": "no",
        "sti": "possible",
    },
    "under 13, disclosure and a sexual sign": {
        "age": 11,
        "immediate_danger": "no",
        "disclosure": "yes",
        "sexual_activity": "possible",
    },
    "disclosure alone": {"age": 15, "immediate_danger": "no", "disclosure": "yes"},
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_no_step_is_repeated_in_substance(tool: Questionnaire, name: str) -> None:
    out = steps(tool, **SCENARIOS[name])
    assert len(out) == len(set(out))
    assert sum("999" in s for s in out) <= 1, out
    assert sum(bool(TELL_DSL.search(s)) for s in out) == 1, out
    assert sum("refers to children's social care" in s for s in out) <= 1, out
    assert sum("Write down" in s for s in out) <= 1, out


def test_immediate_danger_with_a_disclosure_is_one_short_list_with_999_first(tool: Questionnaire) -> None:
    out = steps(tool, **SCENARIOS["immediate and disclosure"])
    assert out[0].startswith("Call the police on 999 now")
    assert "tell your DSL at once" in out[1]
    # Keeping the child safe comes before how to listen to the disclosure.
    assert out.index("Stay with the child if it is safe to do so.") < next(
        i for i, s in enumerate(out) if s.startswith("Listen calmly")
    )
    assert len(out) == 7


def test_under_13_says_tell_your_dsl_today_once(tool: Questionnaire) -> None:
    out = steps(tool, **SCENARIOS["under 13 with a sexual sign"])
    assert [s for s in out if "DSL today" in s] == ["Tell your DSL today, in person."]
    # The rule's more specific wording of the referral wins over the level's.
    assert "The DSL refers to children's social care and the police the same day." in out


MERGE_TOOL = """
id: merge-test
title: Merge test
version: "1"
sections:
  - id: s
    title: S
    questions:
      - id: a
        type: single
        text: A?
        options: [{id: "yes", label: "Yes"}, {id: "no", label: "No"}]
      - id: b
        type: single
        text: B?
        options: [{id: "yes", label: "Yes"}, {id: "no", label: "No"}]
levels:
  - id: low
    label: Low
    next_steps: [Keep watching.]
  - id: high
    label: High
    next_steps:
      - {id: tell, text: Tell the lead today.}
      - Write it down.
rules:
  - id: rule_a
    when: {answer: {question: a, in: ["yes"]}}
    min_level: high
    reason: A.
    next_steps:
      - {id: tell, text: "Tell the lead now, in person."}
      - Listen.
  - id: rule_b
    when: {answer: {question: b, in: ["yes"]}}
    min_level: high
    reason: B.
    next_steps:
      - Listen.
      - {id: tell, text: Tell the lead today.}
scoring:
  bands: [{min: 0, level: low}]
final_line: Tell the lead if worried.
"""


def test_steps_with_one_id_merge_into_the_first_and_identical_steps_are_listed_once() -> None:
    loaded: LoadedQuestionnaire = load_questionnaire_text(MERGE_TOOL)
    q = loaded.questionnaire
    out = steps(q, a="yes", b="yes")
    assert out == ["Tell the lead now, in person.", "Listen.", "Write it down."]


def test_a_step_id_survives_the_canonical_json_of_the_questionnaire() -> None:
    q = load_questionnaire_text(MERGE_TOOL).questionnaire
    again = Questionnaire.model_validate_json(q.model_dump_json())
    assert steps(again, a="yes", b="yes") == steps(q, a="yes", b="yes")


def test_a_step_with_unknown_keys_is_refused_with_a_clear_message() -> None:
    from cse_screen.errors import UserError

    bad = MERGE_TOOL.replace("- Write it down.", "- {id: w, text: Write it down., colour: red}")
    with pytest.raises(UserError, match="id"):
        load_questionnaire_text(bad)
