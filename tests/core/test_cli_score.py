"""``cse-screen score``: JSON shape, readable summary, and exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cse_screen.cli import main

TOOL = """\
id: tiny-tool
title: Tiny tool
version: "2.1"
option_sets:
  indicator:
    - {id: "yes", label: "Yes", weight: 5}
    - {id: possible, label: "Possible", weight: 1}
    - {id: "no", label: "No"}
    - {id: not_known, label: "Not known", not_known: true}
sections:
  - id: main
    title: Main
    questions:
      - {id: danger, type: single, text: "In danger now?", options: indicator, weights: {"yes": 0}}
      - {id: disclosure, type: single, text: "Told you about abuse?", options: indicator}
      - {id: missing, type: single, text: "Gone missing?", options: indicator}
      - {id: late, type: single, text: "Out late?", options: indicator}
levels:
  - {id: none, label: "No concern identified", icon: "○", next_steps: ["Stay curious."]}
  - {id: low, label: "Low concern", icon: "◔", next_steps: ["Share with the DSL."]}
  - {id: significant, label: "Significant concern", icon: "●", next_steps: ["Tell the DSL today."]}
  - {id: immediate, label: "Immediate danger", icon: "▲", next_steps: ["Call 999 now."]}
rules:
  - id: danger
    when: {answer: {question: danger, in: ["yes"]}}
    set_level: immediate
    immediate_risk: true
    reason: "The child is in danger now."
    next_steps: ["Call 999 now.", "Then tell the DSL."]
  - id: disclosure
    when: {answer: {question: disclosure, in: ["yes"]}}
    min_level: significant
    reason: "The child disclosed abuse."
scoring:
  bands:
    - {min: 0, max: 0, level: none}
    - {min: 1, max: 4, level: low}
    - {min: 5, level: significant}
final_line: "If you are worried, tell your DSL; in immediate danger call 999."
"""


@pytest.fixture()
def tool(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TOOL, encoding="utf-8")
    return path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def score_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["score", *args, "--json"]) == 0
    out = capsys.readouterr().out
    return json.loads(out)  # exactly one JSON document: json.loads rejects trailing text


def test_json_shape(tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(
        tmp_path, 'answers:\n  danger: "no"\n  disclosure: "no"\n  missing: possible\n  late: not_known\n'
    )
    data = score_json(capsys, str(tool), str(answers))
    ref = data["questionnaire"]
    assert isinstance(ref, dict)
    assert (ref["id"], ref["version"], ref["title"]) == ("tiny-tool", "2.1", "Tiny tool")
    import hashlib

    assert ref["sha256"] == hashlib.sha256(tool.read_bytes()).hexdigest()  # the file's bytes
    assert data["computed_level"] == data["level"] == "low"
    assert data["score"] == 1
    assert data["immediate_risk"] is False and data["incomplete"] is False
    assert data["not_known"] == ["late"]
    assert data["next_steps"] == ["Share with the DSL."]
    assert data["final_line"].startswith("If you are worried")  # type: ignore[union-attr]
    assert isinstance(data["reasons"], list) and data["reasons"]
    for key in ("floor_level", "band_level", "fired", "unanswered", "hidden_answered", "judgement"):
        assert key in data


def test_json_immediate_danger_comes_first(
    tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, 'answers:\n  danger: "yes"\n  disclosure: "yes"\n')
    data = score_json(capsys, str(tool), str(answers))
    assert data["level"] == "immediate" and data["immediate_risk"] is True
    assert data["next_steps"] == ["Call 999 now.", "Then tell the DSL."]
    assert [f["id"] for f in data["fired"]] == ["danger", "disclosure"]  # type: ignore[union-attr, index]


def test_json_with_judgement(tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(
        tmp_path,
        'answers:\n  danger: "no"\n  disclosure: "no"\n  missing: "no"\n  late: "no"\n'
        "judgement: {level: significant, reason: Invented reason for the test}\n",
    )
    data = score_json(capsys, str(tool), str(answers))
    assert (data["computed_level"], data["level"]) == ("none", "significant")
    assert data["judgement"] == {"level": "significant", "reason": "Invented reason for the test"}
    assert data["next_steps"] == ["Tell the DSL today."]


def test_readable_summary(
    tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    answers = write(tmp_path, 'answers:\n  danger: "yes"\n  late: possible\n')
    assert main(["score", str(tool), str(answers)]) == 0
    out = capsys.readouterr().out
    # `immediate_risk: true` with no flag declared: the neutral built-in alert, never CSE words.
    assert "URGENT — ACT NOW" in out and "IMMEDIATE DANGER" not in out
    assert "▲ Immediate danger" in out  # icon and label, never colour alone
    assert "1. Call 999 now." in out and "2. Then tell the DSL." in out
    assert "Out late?" in out  # a contribution row names the question
    assert "disclosure, missing" in out  # unanswered ids
    assert out.rstrip().endswith("in immediate danger call 999.")


def test_bundled_id_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path, 'answers:\n  immediate_danger: "yes"\n')
    data = score_json(capsys, "cse-screening", str(answers))
    assert data["questionnaire"]["id"] == "cse-screening"  # type: ignore[index]
    assert data["level"] == "immediate"
    assert "999" in data["next_steps"][0]  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('answers:\n  danger: "sort of"\n', "danger"),
        ('answers:\n  nobody: "yes"\n', "unknown question id 'nobody'"),
        (
            'answers:\n  disclosure: "yes"\njudgement: {level: low, reason: "Invented private words"}\n',
            "cannot go below 'Significant concern' because",
        ),
        (
            'answers:\n  late: "no"\njudgement: {level: urgent, reason: "Invented private words"}\n',
            "none, low, significant, immediate",
        ),
    ],
)
def test_bad_answers_exit_2_without_echoing_content(
    tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    answers = write(tmp_path, text)
    assert main(["score", str(tool), str(answers), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert expected in captured.err
    assert "Traceback" not in captured.err
    assert "Invented private words" not in captured.err
    assert str(answers) in captured.err  # says which file to fix


def test_missing_files_exit_2(tool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(tool), str(tmp_path / "nope.yaml")]) == 2
    assert main(["score", "no-such-tool", str(tool)]) == 2
    err = capsys.readouterr().err
    assert "nope.yaml" in err and "no-such-tool" in err


def test_broken_questionnaire_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TOOL.replace("min_level: significant", "min_level: severe"), encoding="utf-8")
    answers = write(tmp_path, "answers: {}\n")
    assert main(["score", str(bad), str(answers)]) == 2
    assert "severe" in capsys.readouterr().err
