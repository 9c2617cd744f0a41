"""Questionnaires are found by the `id:` inside the file, and still by file name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loader_support import MINI

from cse_screen import paths
from cse_screen.bundled import bundled_path
from cse_screen.cli import main
from cse_screen.errors import UserError
from cse_screen.questionnaire.catalog import list_questionnaires
from cse_screen.questionnaire.loader import resolve_questionnaire


def _own(name: str, questionnaire_id: str) -> Path:
    folder = paths.user_questionnaires_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(MINI.replace("id: mini\n", f"id: {questionnaire_id}\n", 1), encoding="utf-8")
    return path


def test_a_user_questionnaire_is_found_by_its_id_whatever_the_file_is_called() -> None:
    path = _own("seraf-style.yaml", "seraf")
    assert resolve_questionnaire("seraf") == path
    assert resolve_questionnaire("seraf-style") == path  # the file name still works


def test_the_bundled_tool_is_still_found_by_id() -> None:
    assert resolve_questionnaire("cse-screening") == bundled_path("cse-screening")


def test_two_files_with_one_id_is_an_error_naming_both() -> None:
    first = _own("a.yaml", "our-tool")
    second = _own("b.yaml", "our-tool")
    with pytest.raises(UserError) as caught:
        resolve_questionnaire("our-tool")
    message = str(caught.value)
    assert str(first) in message and str(second) in message
    assert "another `id:`" in message
    entries = {e.path.name: e for e in list_questionnaires(check=False) if not e.bundled}
    assert entries["a.yaml"].error is None
    assert entries["b.yaml"].error is not None and str(first) in entries["b.yaml"].error


def test_a_copy_of_the_bundled_tool_with_its_id_is_refused_clearly() -> None:
    folder = paths.user_questionnaires_dir()
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "my-copy.yaml"
    copy.write_text(bundled_path("cse-screening").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(UserError, match="two questionnaire files have the id 'cse-screening'"):
        resolve_questionnaire("cse-screening")


def test_score_and_the_did_you_mean_hint_use_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _own("seraf-style.yaml", "seraf")
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers: {age: 12, staying_out: no}\n", encoding="utf-8")
    assert main(["score", "seraf", str(answers), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["questionnaire"]["id"] == "seraf"
    assert main(["score", "serf", str(answers)]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'seraf'?" in err


def test_a_file_that_only_mentions_an_id_is_not_taken_for_it() -> None:
    wanted = _own("seraf-style.yaml", "seraf")
    other = _own("notes.yaml", "notes")
    other.write_text(
        other.read_text(encoding="utf-8").replace("title: Mini tool", 'title: "Notes on seraf"'), "utf-8"
    )
    assert resolve_questionnaire("seraf") == wanted


def test_a_quoted_id_with_a_comment_is_found() -> None:
    path = _own("q.yaml", "quoted-tool")
    path.write_text(
        path.read_text(encoding="utf-8").replace("id: quoted-tool\n", 'id: "quoted-tool"  # ours\n'), "utf-8"
    )
    assert resolve_questionnaire("quoted-tool") == path
