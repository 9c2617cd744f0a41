"""Semantic checks: ids, references, condition order and kinds, bands, cases, language."""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_support import MINI, col_of, line_of, load_problems, replace, write

from cse_screen.questionnaire.checks_outcome import score_range
from cse_screen.questionnaire.loader import load_questionnaire_text
from cse_screen.validation import validate_questionnaire, validate_report


def one(text: str) -> tuple[int, int, str, str]:
    (p,) = load_problems(text)
    return p.line, p.col, p.message, p.hint


def test_duplicate_question_id_names_the_first_line() -> None:
    text = replace(MINI, "id: seen_on", "id: age")
    line, _, message, _ = one(text)
    assert line == line_of(text, "id: age", 2)
    assert message == f"duplicate question id 'age' (first used on line {line_of(text, 'id: age')})"


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        ('{id: no, label: "No"}', '{id: yes_recent, label: "No"}', "option"),
        ("{id: told, label: The child told me}", "{id: observed, label: The child told me}", "option"),
        ("{id: high, label: High,", "{id: low, label: High,", "level"),
    ],
)
def test_duplicate_ids(old: str, new: str, what: str) -> None:
    text = replace(MINI, old, new)
    problems = load_problems(text)
    assert any(
        p.message.startswith(f"duplicate {what} id") and p.line == line_of(text, new) for p in problems
    )


def test_duplicate_section_and_rule_ids() -> None:
    text = MINI + "  - name: extra\n    answers: {}\n    expect: {level: low}\n"
    text = replace(
        text,
        "rules:\n",
        "rules:\n  - id: gifts-high\n    when: {answered: age}\n    min_level: low\n    reason: Again.\n",
    )
    line, _, message, _ = one(text)
    assert line == line_of(text, "- id: gifts-high", 2)
    assert message.startswith("duplicate rule id 'gifts-high'")


def test_unknown_option_set() -> None:
    text = replace(
        MINI,
        "        options: indicator\n        tags: [risk]\n",
        "        options: indicatr\n        tags: [risk]\n",
    )
    line, col, message, hint = one(text)
    assert (line, col) == (line_of(text, "indicatr"), col_of(text, "indicatr"))
    assert message == "unknown option set 'indicatr'"
    assert hint == "did you mean 'indicator'?"


def test_weights_for_an_option_that_does_not_exist() -> None:
    text = replace(MINI, "        tags: [risk]\n", "        tags: [risk]\n        weights: {yes_recnt: 3}\n")
    line, _, message, hint = one(text)
    assert line == line_of(text, "yes_recnt")
    assert message == "weight for 'yes_recnt', which is not an option of question 'staying_out'"
    assert hint == "did you mean 'yes_recent'?"


def test_show_if_on_a_later_question_is_an_error() -> None:
    text = replace(MINI, "{answer: {question: staying_out,", "{answer: {question: sources,")
    line, col, message, _ = one(text)
    assert (line, col) == (line_of(text, "question: sources"), col_of(text, "sources,"))
    assert message == "the condition on 'gifts' looks at question 'sources', which comes later"


def test_show_if_on_itself() -> None:
    text = replace(MINI, "{answer: {question: staying_out,", "{answer: {question: gifts,")
    assert "looks at itself" in one(text)[2]


def test_answer_test_on_a_non_choice_question_and_unknown_option() -> None:
    text = replace(
        MINI,
        "show_if: {answer: {question: staying_out, in: [yes_recent]}}",
        "show_if: {answer: {question: age, in: [yes_recent]}}",
    )
    assert one(text)[2] == "question 'age' is not a choice question"
    text = replace(
        MINI,
        "show_if: {answer: {question: staying_out, in: [yes_recent]}}",
        "show_if: {answer: {question: staying_out, in: [yes, no]}}",
    )
    line, col, message, hint = one(text)
    assert (line, col) == (line_of(text, "in: [yes, no]"), col_of(text, "yes, no"))
    assert message == "'yes' is not an option of question 'staying_out'"


def test_number_test_on_a_choice_question_and_impossible_bounds() -> None:
    text = replace(
        MINI,
        "show_if: {answer: {question: staying_out, in: [yes_recent]}}",
        "show_if: {number: {question: staying_out, below: 13}}",
    )
    assert one(text)[2] == "question 'staying_out' is not a whole-number question"
    text = replace(
        MINI,
        "show_if: {answer: {question: staying_out, in: [yes_recent]}}",
        "show_if: {number: {question: age, below: 10, above: 12}}",
    )
    assert one(text)[2] == "this number condition can never hold"


def test_unknown_question_in_a_rule_with_suggestion() -> None:
    text = replace(
        MINI, "when: {tagged: {tags: [significant], in: [yes_recent]}}", "when: {not: {answered: gift}}"
    )
    line, _, message, hint = one(text)
    assert line == line_of(text, "when: {not")
    assert message == "unknown question 'gift'"
    assert hint == "did you mean 'gifts'?"


def test_tag_tests_need_real_tags_and_options() -> None:
    text = replace(MINI, "tags: [significant], in: [yes_recent]", "tags: [signifcant], in: [yes_recent]")
    line, _, message, hint = one(text)
    assert message == "no question has the tag 'signifcant'" and hint == "did you mean 'significant'?"
    assert line == line_of(text, "signifcant")
    text = replace(MINI, "tags: [significant], in: [yes_recent]", "tags: [significant], in: [observed]")
    assert one(text)[2] == "'observed' is not an option of any question with these tags"


def test_unknown_levels_in_rules_bands_and_cases() -> None:
    text = replace(MINI, "    min_level: high\n", "    min_level: hihg\n")
    text = replace(text, "{min: 0, max: 1, level: low}", "{min: 0, max: 1, level: lowest}")
    text = replace(text, "expect: {level: low}", "expect: {level: medium}")
    problems = load_problems(text)
    assert [(p.line, p.message) for p in problems] == [
        (line_of(text, "hihg"), "unknown level 'hihg'"),
        (line_of(text, "lowest"), "unknown level 'lowest'"),
        (line_of(text, "medium"), "unknown level 'medium'"),
    ]
    assert problems[0].hint == "did you mean 'high'?"


def test_case_expecting_an_unknown_rule() -> None:
    text = replace(MINI, "rules: [gifts-high]", "rules: [gift-high]")
    assert one(text)[2] == "unknown rule 'gift-high'"


def test_score_range_counts_unanswered_and_multi() -> None:
    q = load_questionnaire_text(MINI).questionnaire
    assert score_range(q) == (0, 4)
    text = replace(MINI, "{id: observed, label: Observed}", "{id: observed, label: Observed, weight: -1}")
    text = replace(
        text, "{id: told, label: The child told me}", "{id: told, label: The child told me, weight: 3}"
    )
    text = replace(text, "{min: 0, max: 1, level: low}", "{min: -1, max: 1, level: low}")
    assert score_range(load_questionnaire_text(text).questionnaire) == (-1, 7)


def test_band_gap_and_overlap_and_uncovered_ends() -> None:
    text = replace(MINI, "{min: 2, level: high}", "{min: 3, level: high}")
    line, _, message, hint = one(text)
    assert (line, message, hint) == (
        line_of(text, "{min: 3"),
        "score 2 is not in any band",
        "start band 2 at 2",
    )
    text = replace(MINI, "{min: 2, level: high}", "{min: 1, level: high}")
    assert one(text)[2] == "band 2 (from 1) overlaps band 1 (up to 1)"
    text = replace(MINI, "{min: 0, max: 1, level: low}", "{min: 1, max: 1, level: low}")
    assert one(text)[2] == "score 0 is not in any band (the lowest possible score is 0)"
    text = replace(MINI, "{min: 2, level: high}", "{min: 2, max: 3, level: high}")
    line, _, message, hint = one(text)
    assert message == "score 4 is not in any band (the highest possible score is 4)"
    assert hint == "leave out `max` on the last band"


def test_open_ended_band_that_is_not_last_and_inverted_band() -> None:
    text = replace(MINI, "{min: 0, max: 1, level: low}", "{min: 0, level: low}")
    assert "only the last band may be open-ended" in one(text)[2]
    text = replace(MINI, "{min: 0, max: 1, level: low}", "{min: 1, max: 0, level: low}")
    assert "max (0) is below min (1)" in load_problems(text)[0].message


def test_band_levels_going_down_and_unused_level_are_warnings() -> None:
    text = replace(MINI, "{min: 0, max: 1, level: low}", "{min: 0, max: 1, level: high}")
    text = replace(text, "{min: 2, level: high}", "{min: 2, level: low}")
    loaded = load_questionnaire_text(text)
    messages = [w.message for w in loaded.warnings]
    assert "band 2 gives a lower level than the band below it" in messages


def test_integer_min_above_max() -> None:
    text = replace(MINI, "        max: 17\n", "        max: -1\n")
    assert one(text)[2] == "question 'age': min is above max"


# --------------------------------------------------------------------------- validate (cases, language)


def test_validate_runs_cases(tmp_path: Path) -> None:
    report = validate_report(write(tmp_path, MINI))
    assert report.problems == []
    assert report.cases_passed == 2
    assert report.loaded is not None


def test_failing_case_names_the_expectation_line(tmp_path: Path) -> None:
    text = replace(
        MINI, "expect: {level: high, rules: [gifts-high]}", "expect: {level: low, rules: [gifts-high]}"
    )
    loaded, problems = validate_questionnaire(write(tmp_path, text))
    assert loaded is None
    (p,) = problems
    assert p.line == line_of(text, "expect: {level: low, rules")
    assert p.message == "test case 'gifts seen' fails: expected level 'low', got 'high'"
    assert "rules fired: gifts-high" in p.hint


def test_case_with_bad_answers_points_into_the_case(tmp_path: Path) -> None:
    text = replace(MINI, "answers: {age: 12, staying_out: no}", "answers: {age: 12, staying_out: nope}")
    _, problems = validate_questionnaire(write(tmp_path, text))
    (p,) = problems
    assert (p.line, p.col) == (line_of(text, "staying_out: nope"), col_of(text, "nope"))
    assert p.message == "test case 'nothing seen': not an option of question 'staying_out'"


def test_case_judgement_below_the_floor_is_reported(tmp_path: Path) -> None:
    text = replace(
        MINI,
        "    answers: {age: 14, staying_out: yes_recent, gifts: yes_recent}\n",
        "    answers: {age: 14, staying_out: yes_recent, gifts: yes_recent}\n"
        "    judgement: {level: low, reason: Known to services already.}\n",
    )
    _, problems = validate_questionnaire(write(tmp_path, text))
    (p,) = problems
    assert p.line == line_of(text, "judgement: {level: low")
    assert p.message.startswith("test case 'gifts seen' cannot be scored")


def test_wrong_rules_expectation(tmp_path: Path) -> None:
    text = replace(
        MINI, "expect: {level: low}", "expect: {level: low, rules: [gifts-high], incomplete: true}"
    )
    _, problems = validate_questionnaire(write(tmp_path, text))
    messages = sorted(p.message for p in problems)
    assert messages == [
        # Complete: the only unanswered choice question (where information came from) is optional
        # and scores nothing, so it does not count for completeness.
        "test case 'nothing seen' fails: expected incomplete true, got false",
        "test case 'nothing seen' fails: expected rules [gifts-high], got []",
    ]


def test_language_warning_names_the_phrase_and_alternative(tmp_path: Path) -> None:
    from cse_screen.language import check_text

    phrase = "putting themselves at risk"
    assert check_text(f"Is the child {phrase}?"), "the language list should flag this phrase"
    text = replace(
        MINI, "text: Is the child staying out late?", f"text: Is the child {phrase} by staying out late?"
    )
    loaded, problems = validate_questionnaire(write(tmp_path, text))
    assert loaded is not None  # warnings do not fail validation
    (p,) = problems
    assert p.severity == "warning"
    assert p.line == line_of(text, phrase)
    assert phrase in p.message.lower()
    assert p.hint.startswith("say instead: ")
    assert loaded.warnings == (p,)


def test_bundled_questionnaire_validates(repo_root: Path) -> None:
    path = repo_root / "questionnaires" / "cse-screening.yaml"
    if not path.exists():
        pytest.skip("bundled questionnaire not written yet")
    report = validate_report(path)
    errors = [str(p) for p in report.problems if p.severity == "error"]
    assert errors == []
    assert report.loaded is not None
    assert report.cases_passed == len(report.loaded.questionnaire.cases) > 0
