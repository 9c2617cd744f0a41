"""Leftovers: stale temporary reports are cleaned, names stay off the command line."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from report_cases import TOOL_PATH

from cse_screen.cli import main
from cse_screen.report.files import STALE_AFTER_SECONDS, write_report

ANSWERS = """\
answers:
  age: 14
  danger_now: "no"
  child_words: "Jo Bloggs is my friend"
details:
  child_ref: "QX-12"
  date: 2026-03-04
  practitioner: Sam Teacher
"""


def test_a_report_write_removes_temporary_files_a_killed_write_left(tmp_path: Path) -> None:
    old = time.time() - STALE_AFTER_SECONDS - 60
    stale = tmp_path / ".cse-report-k1ll3d.tmp"
    stale.write_text("a whole invented report", encoding="utf-8")
    os.utime(stale, (old, old))
    running = tmp_path / ".cse-report-wr1t1ng.tmp"  # another write, still going
    running.write_text("partial", encoding="utf-8")
    target = tmp_path / "elsewhere.txt"
    target.write_text("not ours", encoding="utf-8")
    link = tmp_path / ".cse-report-l1nk.tmp"
    link.symlink_to(target)
    os.utime(link, (old, old), follow_symlinks=False)

    write_report("new report", tmp_path / "r.md")
    assert not stale.exists()
    assert running.exists() and link.is_symlink() and target.read_text(encoding="utf-8") == "not ours"
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == "new report"


def test_names_to_redact_can_come_from_standard_input_not_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setattr("sys.stdin", io.StringIO("Jo Bloggs\nSam Teacher\n"))
    code = main(["report", str(TOOL_PATH), str(answers), "-f", "md", "-o", "-", "--redact-name", "-"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Jo Bloggs" not in out and "Sam Teacher" not in out and "is my friend" in out


def test_a_child_reference_filter_can_come_from_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cse_screen.questionnaire.loader import load_questionnaire
    from cse_screen.screening import ScreeningMeta
    from cse_screen.store import Store

    data = tmp_path / "data"
    with Store.open(data) as store:
        mine = store.create(load_questionnaire(TOOL_PATH), ScreeningMeta(child_ref="QX-12"), "t")
        other = store.create(load_questionnaire(TOOL_PATH), ScreeningMeta(child_ref="ZZ-1"), "t")
    monkeypatch.setattr("sys.stdin", io.StringIO("qx-12\n"))
    assert main(["--data-dir", str(data), "list", "--child", "-"]) == 0
    out = capsys.readouterr().out
    assert mine in out and other not in out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--data-dir", str(data), "list", "--child", "-"]) == 2
    assert "nothing given" in capsys.readouterr().err


def test_delete_lists_the_exported_reports_that_still_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cse_screen.questionnaire.loader import load_questionnaire
    from cse_screen.screening import ScreeningMeta
    from cse_screen.store import Store

    data = tmp_path / "data"
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(tmp_path / "config"))
    with Store.open(data) as store:
        sid = store.create(load_questionnaire(TOOL_PATH), ScreeningMeta(child_ref="QX-12"), "t")
    monkeypatch.chdir(tmp_path)
    for fmt in ("md", "json"):
        assert main(["--data-dir", str(data), "report", "--id", sid, "-f", fmt]) == 0
    kept = sorted(tmp_path.glob("screening-*"))
    assert len(kept) == 2
    kept[1].unlink()  # one was already removed by hand
    capsys.readouterr()
    assert main(["--data-dir", str(data), "delete", sid, "--yes"]) == 0
    out = capsys.readouterr().out
    assert str(kept[0]) in out and str(kept[1]) not in out
    assert out.index("still exist") < out.index("Deleted screening")
