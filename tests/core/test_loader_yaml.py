"""The safe YAML reader: positions, YAML 1.1 surprises, and hostile or broken input."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from loader_support import MINI, line_of, load_problems, replace, write

from cse_screen.questionnaire import yaml_safe
from cse_screen.questionnaire.loaded import QuestionnaireError
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.questionnaire.yaml_safe import MAX_DEPTH, load_yaml, read_bytes


def only_problem(source: str | bytes, **kwargs: int) -> tuple[int, int, str, str]:
    with pytest.raises(QuestionnaireError) as info:
        load_yaml(source, "f.yaml", **kwargs)
    assert len(info.value.problems) == 1, info.value.problems
    p = info.value.problems[0]
    assert p.path == "f.yaml"
    return p.line, p.col, p.message, p.hint


def test_positions_point_at_values_and_keys() -> None:
    doc = load_yaml("a: 1\nlist:\n  - x\n  - {k: v}\n")
    assert doc.data == {"a": 1, "list": ["x", {"k": "v"}]}
    assert doc.positions.values[("a",)] == (1, 4)
    assert doc.positions.keys[("list",)] == (2, 1)
    assert doc.positions.values[("list", 1, "k")] == (4, 9)
    # A path that does not exist falls back to its nearest ancestor.
    assert doc.positions.find(("list", 1, "missing", 3)) == (4, 5)


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "On"])
def test_yaml11_booleans_stay_strings(word: str) -> None:
    doc = load_yaml(f"value: {word}\n{word}: key\nlist: [{word}]\n")
    assert doc.data == {"value": word, word: "key", "list": [word]}


def test_only_true_false_are_booleans_and_keys_are_always_text() -> None:
    doc = load_yaml("a: true\nb: False\ntrue: 1\n1: x\nnull: 2\nc: ~\nd:\n")
    assert doc.data == {"a": True, "b": False, "true": 1, "1": "x", "null": 2, "c": None, "d": None}


def test_numbers_dates_and_quoted_text() -> None:
    doc = load_yaml("i: 012\nf: 1.5\nh: 0x1f\nd: 2026-11-20\nbad: 2026-02-30\ns: '12'\nsex: 1:30\n")
    assert doc.data == {
        "i": 12,  # YAML 1.2: no octal surprise
        "f": 1.5,
        "h": 31,
        "d": dt.date(2026, 11, 20),
        "bad": "2026-02-30",
        "s": "12",
        "sex": "1:30",  # YAML 1.1 would make this 90
    }
    assert doc.positions.raw[("f",)] == "1.5"
    assert ("s",) not in doc.positions.raw


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    with pytest.raises(QuestionnaireError) as info:
        load_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "f.yaml")
    problems = info.value.problems
    assert [(p.line, p.col) for p in problems] == [(4, 3), (5, 1)]
    assert "duplicate key 'c' (first given on line 3)" in problems[0].message
    assert "duplicate key 'a' (first given on line 1)" in problems[1].message


def test_duplicate_question_key_in_questionnaire_is_found_on_its_line() -> None:
    text = replace(
        MINI, "        text: How old is the child?\n", "        text: How old?\n        text: Age?\n"
    )
    (p,) = load_problems(text)
    assert p.line == line_of(text, "text: Age?")
    assert "duplicate key 'text'" in p.message


def test_alias_bomb_is_refused_fast() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    # How fast the refusal comes is measured in benchmarks/hostile_input_bench.py.
    line, _, message, _ = only_problem("\n".join(lines) + "\n")
    assert "expands to more than" in message
    assert line <= 10


def test_small_aliases_are_fine() -> None:
    doc = load_yaml("steps: &s [Tell the DSL]\nagain: *s\n")
    assert doc.data["again"] == ["Tell the DSL"]


def test_recursive_alias_is_refused() -> None:
    line, col, message, _ = only_problem("a: &x [1, *x]\n")
    assert (line, col) == (1, 11)
    assert "not finished" in message


DEEP_DOCUMENTS = {
    # libyaml's composer recurses in C; a million '[' would crash the interpreter.
    "flow, a million levels": "a: " + "[" * 1_000_000 + "]" * 1_000_000,
    # libyaml 0.2.6 (PyYAML 6.0.4 wheels) refuses these itself at 1,000 levels, in its scanner,
    # before our builder sees an event; 0.2.5 and the pure-Python parser leave it to us.
    "flow, 2,000 levels": "a: " + "[" * 2000 + "]" * 2000,
    "block, 1,100 levels": "".join(" " * i + "k:\n" for i in range(1100)) + " " * 1100 + "v\n",
    "block list, 1,100 levels": "- " * 1100 + "x\n",
    "json, 2,000 levels": '{\t"a": ' + "[" * 2000 + "]" * 2000 + "}",
    # JSON indented with tabs is read by the json module: the same limit applies there.
    "json, 100 levels": '{\t"a": ' + "[" * 100 + "]" * 100 + "}",
}


@pytest.mark.parametrize("parser", ["libyaml", "pure-python"])
@pytest.mark.parametrize("name", DEEP_DOCUMENTS)
def test_deep_nesting_gets_our_message_whoever_refuses_it(
    name: str, parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The behaviour, not one library's wording: our message and hint with every PyYAML.
    if parser == "pure-python":
        monkeypatch.setattr(yaml_safe, "_Parser", yaml.SafeLoader)
    with pytest.raises(QuestionnaireError) as info:
        load_yaml(DEEP_DOCUMENTS[name], "f.yaml", max_bytes=3_000_000)
    (problem,) = info.value.problems
    assert problem.message == f"the document is nested more than {MAX_DEPTH} levels deep"
    assert problem.hint == "flatten it"
    assert "quotes" not in str(problem) and "exceeded" not in str(problem)


def test_object_tags_are_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    line, col, message, _ = only_problem(f"a: 1\nb: !!python/object/apply:os.system ['touch {marker}']\n")
    assert (line, col) == (2, 4)
    assert "!!python/object/apply:os.system" in message
    assert not marker.exists()


def test_unknown_local_tag_is_refused() -> None:
    line, col, message, _ = only_problem("a: !secret x\n")
    assert (line, col, message) == (1, 4, "the tag !secret is not allowed")


def test_oversized_file_is_refused_before_reading_it_all(tmp_path: Path) -> None:
    path = write(tmp_path, "a: " + "x" * 5000 + "\n")
    with pytest.raises(QuestionnaireError) as info:
        read_bytes(path, "big.yaml", 1024)
    assert "larger than 1 KiB" in info.value.problems[0].message
    with pytest.raises(QuestionnaireError, match="larger than"):
        load_questionnaire(path, max_bytes=1024)


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, b"id: mini\ntitle: caf\xe9 \n")
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    (p,) = info.value.problems
    assert (p.line, p.col) == (2, 11)
    assert "not valid UTF-8" in p.message and "byte 19" in p.message


def test_tab_indentation_names_the_line() -> None:
    line, col, message, hint = only_problem("a:\n  b: 1\n\tc: 2\n")
    assert (line, col) == (3, 1)
    assert message == "a tab is used for indentation"
    assert hint == "indent with spaces"


def test_tab_after_a_colon_is_fine() -> None:
    assert load_yaml("a:\t1\n").data == {"a": 1}


@pytest.mark.parametrize("text", ["", "   \n\n", "# just a comment\n"])
def test_empty_file(text: str) -> None:
    assert only_problem(text)[2] == "the file is empty"


@pytest.mark.parametrize(("text", "kind"), [("- a\n- b\n", "a list"), ("just words\n", "a single value")])
def test_top_level_must_be_a_mapping(text: str, kind: str) -> None:
    line, col, message, _ = only_problem(text)
    assert (line, col) == (1, 1)
    assert message == f"the top level is {kind}, not a mapping"


def test_multiple_documents_are_refused_at_the_second() -> None:
    line, col, message, _ = only_problem("a: 1\n---\nb: 2\n")
    assert (line, col) == (2, 1)
    assert "second YAML document" in message


def test_control_character_names_the_line() -> None:
    line, col, message, _ = only_problem("a: 1\nb: x\x07y\n")
    assert (line, col) == (2, 5)
    assert "control character" in message


def test_syntax_error_names_the_line() -> None:
    line, col, message, hint = only_problem('a: 1\nb: "unclosed\nc: 2\n')
    assert (line, col) == (2, 4)  # where the quote opened, not the end of the stream (line 4)
    assert message.startswith("not valid YAML") and "never closed" in message
    assert 'closing "' in hint


def test_an_error_inside_quotes_still_points_at_itself() -> None:
    line, col, message, _ = only_problem('a: 1\nb: "abc\\q"\n')
    assert (line, col) == (2, 8) and "escape" in message


@pytest.mark.parametrize("command", [["validate"], ["run", "--plain"]])
def test_an_unclosed_quote_is_reported_where_it_opened_by_validate_and_run(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cse_screen.cli import main

    lines = [f"k{n}: v{n}" for n in range(1, 10)] + ["text: 'Is it", "other: 2"]
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main([*command, str(path)]) == 2
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert f"{path}:10:7: not valid YAML" in said and ":12:" not in said and "Traceback" not in said


def test_merge_keys_and_complex_keys_are_refused() -> None:
    assert "merge keys" in only_problem("a: &x {k: 1}\nb:\n  <<: *x\n")[2]
    assert only_problem("? [a, b]\n: 1\n")[2] == "a mapping key must be plain text"


def test_json_with_tabs_is_read() -> None:
    doc = load_yaml('{\n\t"answers": {\n\t\t"age": 12,\n\t\t"x": "no"\n\t}\n}\n')
    assert doc.data == {"answers": {"age": 12, "x": "no"}}


def test_bad_json_names_line() -> None:
    line, _, message, _ = only_problem('{\n\t"a": 1,\n\t"b" 2\n}\n')
    assert line == 3 and message.startswith("not valid JSON")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(QuestionnaireError, match="file not found"):
        load_questionnaire(tmp_path / "nope.yaml")
    with pytest.raises(QuestionnaireError, match="folder"):
        load_questionnaire(tmp_path)
