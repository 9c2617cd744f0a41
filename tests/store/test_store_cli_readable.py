"""list, retention, show and delete read well at 80 columns and when piped (issue 10, 13-14).

- list and retention leave whole columns out rather than wrap rows or cut a status or level;
- a draft's level is the one its answers give so far, marked "(draft)", immediate included;
- ``list --json`` has a fixed, documented shape and no answers or notes;
- ``show`` says where a draft resumes in words (the question's number and text, or the review);
- ``delete`` says exported reports are separate files and where they go by default;
- ``amend`` refuses a date in the future like every other way a date comes in.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cse_screen.bundled import bundled_path
from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store

NOTE = "CANARY-note-7Qx"
"""A note in a draft: never in list output."""


@pytest.fixture(scope="module")
def bundled() -> LoadedQuestionnaire:
    return load_questionnaire(bundled_path("cse-screening"))


@pytest.fixture()
def four(data_dir: Path, bundled: LoadedQuestionnaire) -> dict[str, str]:
    """A low draft, an immediate draft, a completed significant one and an empty draft."""
    with Store.open(data_dir) as store:

        def new(ref: str, day: int) -> str:
            meta = ScreeningMeta(child_ref=ref, practitioner="Sam Example", date=dt.date(2026, 11, day))
            return store.create(bundled, meta, "sam")

        low = new("AB-07 (invented)", 2)
        for qid, value in [("age", 14), ("immediate_danger", "no"), ("disclosure", "no")]:
            store.record_answer(low, qid, Answer(value=value), "sam")
        store.record_answer(
            low, "staying_out_late", Answer(value="yes_recent", note=NOTE), "sam", position="multiple_callers"
        )
        danger = new("CD-11", 20)
        store.record_answer(danger, "age", Answer(value=9), "sam")
        store.record_answer(danger, "immediate_danger", Answer(value="yes"), "sam", position="disclosure")
        done = new("EF-3", 1)
        store.record_answer(done, "age", Answer(value=15), "jo")
        store.record_answer(done, "disclosure", Answer(value="yes"), "jo")
        store.complete(done, "jo", level="significant")
        empty = new("A-very-long-school-reference-123", 29)
    return {"low": low, "danger": danger, "done": done, "empty": empty}


def _rows(out: str, ids: dict[str, str]) -> dict[str, str]:
    """Each screening's table row, by name."""
    return {name: next(line for line in out.splitlines() if sid in line) for name, sid in ids.items()}


def _list(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "list", *args]) == 0
    return capsys.readouterr().out


def test_list_at_80_columns_fits_and_marks_draft_levels(
    data_dir: Path, four: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = _list(data_dir, capsys)
    assert max(len(line) for line in out.splitlines()) <= 80
    rows = _rows(out, four)
    assert all(len(row.split()) >= 4 for row in rows.values())  # one line each: nothing wrapped
    assert "immediate (draft)" in rows["danger"]
    assert "low (draft)" in rows["low"]
    assert "significant" in rows["done"] and "(draft)" not in rows["done"]
    # A draft with no answers has no level yet: "none" would read as reassurance.
    assert "draft" in rows["empty"] and "none" not in rows["empty"]
    for name in ("low", "danger", "done"):
        level = rows[name].split()[3]
        assert not level.endswith("…")
    assert "AB-07 (invented)" in rows["low"]  # the reference fits whole
    assert NOTE not in out


def test_list_on_a_wide_terminal_adds_status_questionnaire_and_changed(
    data_dir: Path, four: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    out = _list(data_dir, capsys)
    assert max(len(line) for line in out.splitlines()) <= 140
    screenings = out.split("Saved screenings")[1]
    header = next(line for line in screenings.splitlines() if line.startswith("id "))
    assert header.split() == ["id", "date", "child", "status", "level", "questionnaire", "answers", "changed"]
    rows = _rows(out, four)
    assert " completed " in rows["done"] and " draft " in rows["danger"]
    assert "cse-screening v1.0.0" in rows["done"]


def test_list_on_a_narrow_terminal_keeps_id_date_and_level_whole(
    data_dir: Path, four: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    out = _list(data_dir, capsys, "--status", "all")
    rows = _rows(out, four)
    assert rows["danger"].split()[:4] == [four["danger"], "2026-11-20", "immediate", "(draft)"]
    assert max(len(line) for line in out.splitlines()) <= 50


def test_list_piped_is_80_columns_without_colour(data_dir: Path, four: dict[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run(
        [sys.executable, "-m", "cse_screen", "--data-dir", str(data_dir), "list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    rows = _rows(out, four)
    assert "immediate (draft)" in rows["danger"] and "significant" in rows["done"]


def test_list_json_has_the_documented_shape_and_no_answers(
    data_dir: Path, four: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = _list(data_dir, capsys, "--json")
    assert NOTE not in out and "yes_recent" not in out
    data = json.loads(out)
    assert list(data) == ["questionnaires", "backend", "encryption", "screenings", "more"]
    (tool,) = data["questionnaires"]
    assert tool == {
        "id": "cse-screening",
        "title": tool["title"],
        "version": "1.0.0",
        "questions": tool["questions"],
        "bundled": True,
        "path": None,
        "error": None,
    }
    assert (data["backend"], data["encryption"], data["more"]) == ("sqlite", "off", False)
    by_id = {s["id"]: s for s in data["screenings"]}
    assert [s["id"] for s in data["screenings"]] == [four[n] for n in ("empty", "done", "danger", "low")]
    danger = by_id[four["danger"]]
    assert list(danger) == [
        "id",
        "status",
        "level",
        "date",
        "child_ref",
        "questionnaire",
        "answered",
        "created_at",
        "updated_at",
        "completed_at",
    ]
    assert (danger["status"], danger["level"], danger["answered"]) == ("draft", "immediate", 2)
    assert danger["questionnaire"] == {"id": "cse-screening", "version": "1.0.0"}
    assert (danger["date"], danger["child_ref"], danger["completed_at"]) == ("2026-11-20", "CD-11", None)
    assert by_id[four["low"]]["level"] == "low"
    assert by_id[four["empty"]]["level"] is None
    done = by_id[four["done"]]
    assert (done["status"], done["level"]) == ("completed", "significant")
    assert dt.datetime.fromisoformat(done["completed_at"]).tzinfo is not None


def test_list_json_follows_the_filters_and_the_limit(
    data_dir: Path, four: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(_list(data_dir, capsys, "--json", "--status", "draft", "--limit", "2"))
    assert "questionnaires" not in data  # a filter shows only screenings, as the table does
    assert [s["id"] for s in data["screenings"]] == [four["empty"], four["danger"]]
    assert data["more"] is True
    only = json.loads(_list(data_dir, capsys, "--json", "--questionnaires"))
    assert list(only) == ["questionnaires"]


def test_retention_at_80_columns_keeps_levels_whole(
    data_dir: Path, four: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "retention", "--older-than", "0"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    (row,) = (line for line in out.splitlines() if four["done"] in line)
    assert row.split()[:4] == [four["done"], "2026-11-01", "EF-3", "significant"]
    assert four["danger"] not in out  # drafts are never due for review


def test_show_says_where_a_draft_resumes_in_words(
    data_dir: Path, four: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per field, to read it whole
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "show", four["danger"]]) == 0
    out = capsys.readouterr().out
    resumes = next(line for line in out.splitlines() if line.startswith("Resumes at"))
    assert "question 3 of 39" in resumes
    assert "\u201cHas the child told anyone about sexual abuse or exploitation" in resumes
    assert "(Immediate safety)" in resumes and "disclosure" not in resumes  # words, not the id
    assert "draft (level so far: immediate)" in out
    assert main(["--data-dir", str(data_dir), "show", four["empty"]]) == 0
    assert "question 1 of 39, \u201cHow old is the child?\u201d" in capsys.readouterr().out

    assert main(["--data-dir", str(data_dir), "show", four["danger"], "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["resumes_at"] == {
        "place": "question",
        "question_id": "disclosure",
        "number": 3,
        "of": 39,
        "text": data["resumes_at"]["text"],
        "section": "Immediate safety",
    }
    assert data["level_so_far"] == "immediate"
    assert main(["--data-dir", str(data_dir), "show", four["done"], "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["resumes_at"], data["level_so_far"]) == (None, None)


def test_show_a_draft_left_at_the_review_says_review(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {
        "age": 12,
        "worry": "not_known",
        "places": ("park",),
        "words": "Invented words.",
        "seen": "2026-01-02",
    }
    with Store.open(data_dir) as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="GH-5"), "sam")
        for qid, value in answers.items():
            store.record_answer(sid, qid, Answer(value=value), "sam")  # type: ignore[arg-type]
        store.set_position(sid, None)  # left at the review
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "show", sid]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Resumes at the review: every question asked has been answered or passed" in out


def test_delete_says_reports_are_separate_and_where_they_go(
    data_dir: Path, four: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with Store.open(data_dir) as store:
        store.record_export(four["done"], "md", str(tmp_path / "moved-away.md"), "Ms DSL", "jo")
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "delete", four["empty"], "--yes"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    # Never exported: still reminded, before anything is deleted.
    assert out.index("Exported reports are separate files") < out.index("Deleted screening")
    assert "saved by default in the folder cse-screen was started in" in out
    assert "screening-REFERENCE-DATE.FORMAT" in out
    assert "A-very-long-school-reference-123" not in out  # the pattern, not this child's name
    assert main(["--data-dir", str(data_dir), "delete", four["done"], "--yes"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "1 exported report is no longer where it was written" in out


def test_amend_refuses_a_date_in_the_future_and_saves_nothing(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same rule as answers files, the wizard and plain mode (values.check_not_future).
    with Store.open(data_dir) as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="QX-9"), "t")
        store.record_answer(sid, "seen", Answer(value="2026-01-02"), "t")
        store.complete(sid, "t", level="none")
        before = len(store.events(sid))
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), "amend", sid, "--set", f"seen={tomorrow}", "--reason", "Typo"])
    assert code == 2
    err = capsys.readouterr().err
    assert "the answer to 'seen' is in the future" in err and tomorrow not in err
    with Store.open(data_dir) as store:
        assert store.load(sid).screening.value("seen") == "2026-01-02"
        assert len(store.events(sid)) == before


def test_a_wide_script_reference_is_measured_in_cells(
    data_dir: Path,
    loaded: LoadedQuestionnaire,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.cells import cell_len

    ref = "学校参考编号甲乙丙"  # invented; 9 characters, 18 columns: fits whole
    with Store.open(data_dir) as store:
        sid = store.create(loaded, ScreeningMeta(child_ref=ref), "t")
        store.record_answer(sid, "age", Answer(value=12), "t")
    monkeypatch.setenv("COLUMNS", "80")
    out = _list(data_dir, capsys, "--status", "all")
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    (row,) = (line for line in out.splitlines() if sid in line)
    assert ref in row  # measured by characters it would be cut to half
    assert row.rstrip().endswith(" 1")  # the answers column is still on the row's own line


def test_list_on_the_team_database_says_so_instead_of_the_encryption_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The team backend needs a PostgreSQL server (tests/team); here only the wording is checked.
    import argparse

    from rich.console import Console

    from cse_screen.commands import list_cmd

    found = list_cmd.Found(rows=[], levels={}, encryption="off", backend="postgresql", more=False)
    monkeypatch.setattr(list_cmd, "find_screenings", lambda args: found)
    list_cmd.print_screenings(
        Console(width=80), argparse.Namespace(status=None, child=None, since=None, until=None)
    )
    out = capsys.readouterr().out
    assert "team database" in out and "not encrypted" not in out
