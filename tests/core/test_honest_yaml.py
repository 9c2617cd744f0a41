"""Honest YAML: booleans are true/false only, and the pitfalls that used to pass silently warn."""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_support import MINI, line_of, load_problems, replace, write

from cse_screen.questionnaire.loader import load_questionnaire_text
from cse_screen.validation import validate_questionnaire


@pytest.mark.parametrize(("written", "fix"), [("yes", "true"), ("no", "false"), ("on", "true")])
def test_yes_and_no_in_a_boolean_field_are_refused_with_the_fix(written: str, fix: str) -> None:
    text = replace(MINI, "        required: true\n", f"        required: {written}\n")
    (problem,) = load_problems(text)
    assert problem.line == line_of(text, f"required: {written}")
    assert problem.message.startswith("`required` should be true or false")
    assert problem.hint.startswith(f"write {fix} ")
    assert "yes, no, on and off are text" in problem.hint


def test_true_and_false_are_still_booleans() -> None:
    loaded = load_questionnaire_text(replace(MINI, "        required: true\n", "        required: false\n"))
    assert loaded.questionnaire.questions()[0].required is False


def test_the_json_schema_says_boolean_fields_are_booleans() -> None:
    from cse_screen.questionnaire.outcome_models import Rule

    schema = Rule.model_json_schema()
    assert schema["properties"]["immediate_risk"]["type"] == "boolean"


def test_a_sentence_split_at_its_commas_in_a_flow_list_warns(tmp_path: Path) -> None:
    text = replace(
        MINI,
        "    reason: A significant indicator was seen recently.\n",
        "    reason: A significant indicator was seen recently.\n"
        "    next_steps: [Ask about thoughts, plans and means, and act.]\n",
    )
    loaded, problems = validate_questionnaire(write(tmp_path, text))
    assert loaded is not None  # a warning, not an error
    (problem,) = problems
    assert problem.severity == "warning"
    assert "one sentence split at its commas (3 items on one line)" in problem.message
    assert problem.line == line_of(text, "next_steps: [Ask")
    assert "quotes" in problem.hint


def test_separate_steps_on_one_line_do_not_warn(tmp_path: Path) -> None:
    text = replace(
        MINI,
        "    reason: A significant indicator was seen recently.\n",
        "    reason: A significant indicator was seen recently.\n"
        "    next_steps: [Tell the DSL today., Write down what you saw.]\n",
    )
    _, problems = validate_questionnaire(write(tmp_path, text))
    assert problems == []


def test_a_band_starting_above_the_reachable_maximum_warns(tmp_path: Path) -> None:
    # MINI's highest score is 4 (two questions of 2 points); a band from 40 is never reached.
    text = replace(
        MINI,
        "    - {min: 2, level: high}\n",
        "    - {min: 2, max: 39, level: high}\n    - {min: 40, level: high}\n",
    )
    loaded, problems = validate_questionnaire(write(tmp_path, text))
    assert loaded is not None
    messages = [p.message for p in problems if "starts at 40" in p.message]
    assert messages == [
        "band 3 starts at 40, above the highest reachable score (4): "
        "level 'high' can never come from the score"
    ]


GIRLFRIEND = "Does the child have an older girlfriend who gives them money?"


def test_a_language_warning_names_the_words_found_and_points_at_them(tmp_path: Path) -> None:
    text = replace(MINI, "text: Is the child staying out late?", f"text: {GIRLFRIEND}")
    _, problems = validate_questionnaire(write(tmp_path, text))
    (problem,) = problems
    assert "'girlfriend'" in problem.message and "boyfriend" not in problem.message
    assert problem.line == line_of(text, "girlfriend")
    source_line = text.splitlines()[problem.line - 1]
    assert source_line[problem.col - 1 :].startswith("girlfriend")


def test_a_language_warning_inside_a_folded_text_points_at_its_line(tmp_path: Path) -> None:
    text = replace(
        MINI,
        "text: Is the child staying out late?",
        "text: >-\n          Is the child staying out late, maybe\n          with an older boyfriend?",
    )
    _, problems = validate_questionnaire(write(tmp_path, text))
    (problem,) = problems
    assert problem.line == line_of(text, "with an older boyfriend")
    assert problem.col == text.splitlines()[problem.line - 1].index("boyfriend") + 1


def test_a_per_file_allowlist_silences_a_published_tools_wording(tmp_path: Path) -> None:
    text = replace(MINI, "text: Is the child staying out late?", f"text: {GIRLFRIEND}")
    text += "language_allow: [girlfriend]\n"
    _, problems = validate_questionnaire(write(tmp_path, text))
    assert problems == []


def test_framing_caveats_are_checked_for_split_sentences_and_wording(tmp_path: Path) -> None:
    text = MINI + "framing:\n  caveats: [A low result is not the end, keep noticing.]\n"
    loaded, problems = validate_questionnaire(write(tmp_path, text))
    assert loaded is not None
    assert [p.message for p in problems] == [
        "this list looks like one sentence split at its commas (2 items on one line)"
    ]
    text = MINI + 'framing:\n  caveats: ["Never say a child is putting themselves at risk."]\n'
    _, problems = validate_questionnaire(write(tmp_path, text))
    assert ["putting themselves at risk" in p.message for p in problems] == [True]
