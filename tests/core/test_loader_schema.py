"""Schema errors become problems with human wording, a fix, and the right line."""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_support import MINI, col_of, line_of, load_problems, replace, write

from cse_screen.errors import UserError
from cse_screen.questionnaire.loaded import QuestionnaireError
from cse_screen.questionnaire.loader import load_questionnaire, load_questionnaire_text, resolve_questionnaire


def test_the_mini_questionnaire_loads(tmp_path: Path) -> None:
    path = write(tmp_path, MINI)
    loaded = load_questionnaire(path)
    assert loaded.questionnaire.id == "mini"
    assert [q.id for q in loaded.questionnaire.questions()][:3] == ["age", "staying_out", "gifts"]
    assert loaded.path == path
    assert loaded.text == MINI
    import hashlib

    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    # yes/no-like ids survive as text
    assert loaded.questionnaire.option_sets["indicator"][1].id == "no"


def test_unknown_key_suggests_the_closest() -> None:
    text = replace(
        MINI, "        required: true\n", "        required: true\n        guidnce: {means: Age}\n"
    )
    (p,) = load_problems(text)
    assert (p.line, p.col) == (line_of(text, "guidnce"), col_of(text, "guidnce"))
    assert p.message == "unknown key 'guidnce' in question 'age'"
    assert p.hint == "did you mean 'guidance'?"


def test_unknown_key_in_a_deep_condition_lists_allowed_keys() -> None:
    text = replace(
        MINI,
        "show_if: {answer: {question: staying_out, in: [yes_recent]}}",
        "show_if: {answer: {question: staying_out, in: [yes_recent], whatever: 1}}",
    )
    (p,) = load_problems(text)
    assert p.line == line_of(text, "whatever")
    assert p.message == "unknown key 'whatever' in the answer condition"
    assert p.hint == "allowed keys: question, in"


def test_missing_field_says_what_to_add() -> None:
    text = replace(MINI, "        text: When was this?\n", "")
    (p,) = load_problems(text)
    assert p.line == line_of(text, "id: seen_on")
    assert p.message == "question 'seen_on' is missing `text`"
    assert p.hint == "add `text: …`"


def test_missing_label_deep_inside_inline_options() -> None:
    text = replace(MINI, "{id: told, label: The child told me}", "{id: told}")
    (p,) = load_problems(text)
    assert (p.line, p.col) == (line_of(text, "{id: told}"), col_of(text, "{id: told}"))
    assert p.message == "option 'told' is missing `label`"


def test_wrong_question_type_points_at_type() -> None:
    text = replace(MINI, "type: long_text", "type: longtext")
    (p,) = load_problems(text)
    assert (p.line, p.col) == (line_of(text, "type: longtext"), col_of(text, "longtext"))
    assert p.message == "unknown question type 'longtext'"
    assert p.hint == "did you mean 'long_text'?"


def test_missing_type() -> None:
    text = replace(MINI, "        type: date\n", "")
    (p,) = load_problems(text)
    assert p.line == line_of(text, "id: seen_on")
    assert "has no `type`" in p.message


def test_wrong_kind_of_value() -> None:
    text = replace(MINI, "        min: 0\n", "        min: zero\n")
    (p,) = load_problems(text)
    assert (p.line, p.col) == (line_of(text, "min: zero"), col_of(text, "zero"))
    assert p.message == "`min` should be a whole number, not text"


def test_options_union_reports_one_clear_problem() -> None:
    old = "        options: indicator\n        tags: [risk]\n"
    text = replace(MINI, old, "        options: {a: 1}\n        tags: [risk]\n")
    (p,) = load_problems(text)
    assert p.line == line_of(text, "options: {a: 1}")
    assert p.message == "`options` should be text or a list, not a mapping"


def test_plain_number_as_option_set_id_is_read_as_the_id() -> None:
    old = "        options: indicator\n        tags: [risk]\n"
    text = replace(MINI, old, "        options: 5\n        tags: [risk]\n")
    (p,) = load_problems(text)
    assert p.line == line_of(text, "options: 5")
    assert p.message == "unknown option set '5'"
    assert "(defined: indicator)" in p.hint


def test_bad_id_suggests_a_valid_one() -> None:
    text = replace(MINI, "id: staying_out\n", "id: Staying Out\n")
    problems = load_problems(text)
    assert problems[0].line == line_of(text, "id: Staying Out")
    assert problems[0].message == "'Staying Out' is not a valid id"
    assert "staying_out" in problems[0].hint


def test_condition_that_is_a_string() -> None:
    text = replace(
        MINI, "show_if: {answer: {question: staying_out, in: [yes_recent]}}", "show_if: staying_out == yes"
    )
    (p,) = load_problems(text)
    assert p.line == line_of(text, "show_if:")
    assert p.message == "not a valid condition"
    assert "exactly one of the keys" in p.hint


def test_missing_in_deep_in_a_rule_condition() -> None:
    text = replace(
        MINI,
        "when: {tagged: {tags: [significant], in: [yes_recent]}}",
        "when: {all: [{tagged: {tags: [significant]}}]}",
    )
    (p,) = load_problems(text)
    assert p.line == line_of(text, "when:")
    assert p.message == "the tagged condition is missing `in`"


def test_rule_without_effect_uses_the_model_message() -> None:
    text = replace(MINI, "    min_level: high\n", "")
    (p,) = load_problems(text)
    assert p.line == line_of(text, "- id: gifts-high")
    assert p.message.startswith("a rule needs an effect")


def test_empty_list_and_text() -> None:
    text = replace(MINI, "next_steps: [Tell the DSL today.]", "next_steps: []")
    text = replace(text, "title: Mini tool", 'title: ""')
    problems = load_problems(text)
    assert [(p.line, p.message) for p in problems] == [
        (line_of(text, 'title: ""'), "`title` must not be empty"),
        (line_of(text, "next_steps: []"), "`next_steps` needs at least 1 item"),
    ]


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    text = replace(MINI, "        min: 0\n", "        min: zero\n")
    text = replace(text, "type: long_text", "type: longtext")
    text = replace(text, "final_line: If you are worried, tell your DSL.\n", "")
    problems = load_problems(text)
    assert len(problems) == 3
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert "missing `final_line`" in problems[0].message  # the top mapping starts on line 1


def test_plain_number_where_text_is_expected_is_taken_as_written() -> None:
    text = replace(MINI, 'version: "1"', "version: 1.10")
    text = replace(text, "label: Observed", "label: 2026-01-01")
    loaded = load_questionnaire_text(text)
    assert loaded.questionnaire.version == "1.10"
    assert loaded.questionnaire.questions()[3].options[0].label == "2026-01-01"  # type: ignore[union-attr]


def test_true_as_an_option_id_is_text() -> None:
    text = replace(MINI, '{id: no, label: "No"}', '{id: false, label: "No"}')
    text = replace(text, "staying_out: no}", "staying_out: false}")
    loaded = load_questionnaire_text(text)
    assert loaded.questionnaire.option_sets["indicator"][1].id == "false"


def test_problem_strings_have_the_standard_shape() -> None:
    text = replace(MINI, "type: long_text", "type: longtext")
    (p,) = load_problems(text)
    assert str(p) == f"q.yaml:{p.line}:{p.col}: unknown question type 'longtext' — did you mean 'long_text'?"


def test_resolve_by_path_bundled_id_and_user_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, MINI, "mine.yaml")
    assert resolve_questionnaire(str(path)) == path
    user_dir = tmp_path / "config" / "questionnaires"
    user_dir.mkdir(parents=True)
    write(user_dir, MINI, "my-tool.yaml")
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(tmp_path / "config"))
    assert resolve_questionnaire("my-tool") == user_dir / "my-tool.yaml"
    with pytest.raises(UserError) as info:
        resolve_questionnaire("my-tol")
    assert "did you mean 'my-tool'?" in str(info.value)
    assert "my-tool" in str(info.value)


def test_bad_questionnaire_error_is_a_user_error() -> None:
    text = replace(MINI, "type: long_text", "type: longtext")
    with pytest.raises(UserError):
        load_questionnaire_text(text)
    with pytest.raises(QuestionnaireError):
        load_questionnaire_text(text)


def test_the_first_example_in_the_format_docs_is_sound(repo_root: Path, tmp_path: Path) -> None:
    import re

    from cse_screen.validation import validate_report

    doc = (repo_root / "docs" / "questionnaire-format.md").read_text(encoding="utf-8")
    example = re.findall(r"```yaml\n(.*?)```", doc, re.S)[0]
    report = validate_report(write(tmp_path, example))
    assert report.problems == []
    assert report.cases_passed == 1
