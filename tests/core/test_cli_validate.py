"""`cse-screen validate`, `schema` and `list` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loader_support import MINI, line_of, replace, write

from cse_screen.cli import main


def test_validate_ok_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, MINI)
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{path}: ok (6 questions, 2 cases passed)\n"
    assert err == ""


def test_validate_bad_file_prints_every_problem_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = replace(MINI, "type: long_text", "type: longtext")
    text = replace(text, "    min_level: high\n", "    min_level: hihg\n")
    path = write(tmp_path, text)
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert (
        lines[0] == f"{path}:{line_of(text, 'longtext')}:15: unknown question type 'longtext'"
        " — did you mean 'long_text'?"
    )
    assert lines[-1] == f"{path}: 1 problem"
    assert "Traceback" not in out + err


def test_structure_errors_are_all_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = replace(MINI, "    min_level: high\n", "    min_level: hihg\n")
    text = replace(text, "{min: 2, level: high}", "{min: 3, level: high}")
    path = write(tmp_path, text)
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}:{line_of(text, 'hihg')}:")
    assert out[1].startswith(f"{path}:{line_of(text, '{min: 3')}:")
    assert out[2] == f"{path}: 2 problems"


def test_warnings_do_not_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = replace(MINI, "{min: 0, max: 1, level: low}", "{min: 0, max: 1, level: high}")
    text = replace(text, "{min: 2, level: high}", "{min: 2, level: low}")
    text = replace(text, "expect: {level: low}", "expect: {level: high}")
    path = write(tmp_path, text)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "warning: band 2 gives a lower level" in out[0]
    assert out[-1] == f"{path}: ok (6 questions, 2 cases passed, 1 warning)"


def test_several_files_exit_2_if_any_is_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, MINI, "good.yaml")
    bad = write(tmp_path, "- not a mapping\n", "bad.yaml")
    assert main(["validate", str(good), str(bad)]) == 2
    out = capsys.readouterr().out
    assert f"{good}: ok" in out
    assert f"{bad}:1:1: the top level is a list, not a mapping" in out


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe\x00",
        b"a: [\n",
        b"a: 1\na: 2\n",
        b"id: x\n\ttitle: y\n",
        b"a: !!python/object/apply:os.system [echo]\n",
        b"a: 1\n---\nb: 2\n",
        b"sections: 5\n",
        b"id: x\ncases: [{answers: {q: 1}}]\n",
    ],
)
def test_no_traceback_for_any_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = write(tmp_path, content)
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out.startswith(f"{path}:")
    assert "Traceback" not in out + err and "sorry" not in err


def test_missing_file_is_reported_and_the_rest_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, MINI)
    assert main(["validate", str(tmp_path / "nope.yaml"), str(good)]) == 2
    out = capsys.readouterr().out
    assert f"{tmp_path / 'nope.yaml'}: no such questionnaire file or id" in out
    assert f"{good}: ok" in out


def test_validate_by_bundled_id(capsys: pytest.CaptureFixture[str], repo_root: Path) -> None:
    if not (repo_root / "questionnaires" / "cse-screening.yaml").exists():
        pytest.skip("bundled questionnaire not written yet")
    assert main(["validate", "cse-screening"]) == 0
    assert "cse-screening.yaml: ok (" in capsys.readouterr().out


def test_schema_is_json_schema_by_alias(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["title"] == "Questionnaire"
    assert "in" in schema["$defs"]["AnswerTest"]["properties"]
    assert "not" in schema["$defs"]["NotCondition"]["properties"]
    # field docstrings become descriptions for editors
    assert schema["$defs"]["Level"]["properties"]["next_steps"]["description"]


def test_schema_report(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["schema", "--report"])
    out, err = capsys.readouterr()
    if code == 0:
        assert json.loads(out)["$schema"]
    else:
        assert code == 2 and "not available yet" in err


def test_list_shows_bundled_and_broken_user_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    user_dir = config / "questionnaires"
    user_dir.mkdir(parents=True)
    write(user_dir, MINI, "mini.yaml")
    write(user_dir, "id: broken\n\ttitle: x\n", "broken.yaml")
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(config))
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "Mini tool" in out
    assert "cannot be loaded" in out
    assert "broken.yaml:2:1: a tab is used for indentation" in out


def test_catalog_entries(tmp_path: Path) -> None:
    from cse_screen.questionnaire.catalog import list_questionnaires

    write(tmp_path, MINI, "mini.yaml")
    write(tmp_path, "nonsense: [\n", "zz.yml")
    user = [e for e in list_questionnaires(tmp_path) if not e.bundled]
    assert [(e.id, e.questions, e.error is None) for e in user] == [("mini", 6, True), ("zz", 0, False)]


def test_validate_a_deeply_nested_file_gives_our_message_and_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # libyaml 0.2.6 refuses this itself with its own wording; the user must see ours.
    path = tmp_path / "deep.yaml"
    path.write_text("id: deep\nsections: " + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert f"{path}:2:" in out
    assert "nested more than 64 levels deep — flatten it" in out
    assert "quotes" not in out + err and "Traceback" not in out + err
