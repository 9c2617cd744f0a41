"""No string from a file reaches the terminal raw: control sequences are shown, never acted on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cse_screen.cli import main

REPO = Path(__file__).resolve().parent.parent
ESC_TITLE = "\x1b]0;owned\x07"
ESC_CLIP = "\x1b]52;c;ZWNobyBoaQ==\x07"
FAKE_OK = "\x1b[2K\r\x1b[1Aok"
C1 = "\x9b31m"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _hostile_tool(tmp_path: Path, *, extra_key: bool = False) -> Path:
    data = yaml.safe_load((REPO / "tests" / "plain_tool.yaml").read_text(encoding="utf-8"))
    data["title"] = f"Plain tool {ESC_TITLE}"
    data["description"] = f"about {C1}"
    for level in data["levels"]:
        level["next_steps"] = [f"Tell the DSL {ESC_CLIP}", f"[bold]APPROVED[/bold] {FAKE_OK}"]
        level["label"] = f"{level['label']} {ESC_TITLE}"
    data["final_line"] = f"If you are worried, tell your DSL. {ESC_CLIP}"
    data["sections"][0]["questions"][0]["text"] = f"How old is the child? {FAKE_OK}"
    if extra_key:
        data[f"x{FAKE_OK}"] = 1
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(
        yaml.safe_dump({"answers": {"age": 13, "immediate_danger": "no", f"bad{ESC_TITLE}": "x"}}),
        encoding="utf-8",
    )
    return path


def _assert_inert(text: str) -> None:
    found = RAW.findall(text.replace("\n", "").replace("\t", ""))
    assert not found, f"raw control characters reached the terminal: {found!r}"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_unknown_key_names_are_shown_inert_by_validate_score_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _hostile_tool(tmp_path, extra_key=True)
    for args in (
        ["validate", str(bad)],
        ["score", str(bad), str(_answers(tmp_path))],
        ["report", str(bad), str(_answers(tmp_path)), "-o", str(tmp_path / "r.html")],
    ):
        code, out = _run(capsys, *args)
        assert code == 2, args
        _assert_inert(out)
        assert "[U+001B]" in out, args


def test_titles_steps_and_labels_are_shown_inert_by_score_and_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tool = _hostile_tool(tmp_path)
    answers = tmp_path / "ok.yaml"
    answers.write_text("answers: {age: 13, immediate_danger: 'no'}\n", encoding="utf-8")
    code, out = _run(capsys, "score", str(tool), str(answers))
    assert code == 0
    _assert_inert(out)
    assert "[bold]APPROVED[/bold]" in out  # shown literally, not as markup
    code, out = _run(capsys, "score", str(tool), str(answers), "--json")
    assert code == 0
    _assert_inert(out)

    config = tmp_path / "config"
    (config / "questionnaires").mkdir(parents=True)
    (config / "questionnaires" / "hostile.yaml").write_bytes(tool.read_bytes())
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(config))
    code, out = _run(capsys, "--data-dir", str(tmp_path / "data"), "list")
    assert code == 0 and "Plain tool" in out
    _assert_inert(out)
