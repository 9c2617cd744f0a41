"""``cse-screen report``: from an answers file or a saved screening, to a file or stdout."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest
from report_cases import TOOL_PATH, a, load_tool

from cse_screen.cli import main
from cse_screen.screening import ScreeningMeta

ANSWERS = """\
answers:
  age: 14
  danger_now: "no"
  late_nights:
    answer: yes_recent
    note: "SECRET-CANARY she keeps putting herself at risk with Jo Bloggs"
    source: observed
  child_words: "Jo Bloggs is my friend"
details:
  child_ref: "QX-3"
  date: 2026-03-04
  practitioner: Sam Teacher
  role: Teacher
  shared_with: DSL
redact: ["Jo Bloggs"]
"""


@pytest.fixture()
def answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC).timestamp())))
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def test_default_file_name_in_the_current_folder(answers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(TOOL_PATH), str(answers), "--format", "md"]) == 0
    out_path = answers.parent / "screening-QX-3-2026-03-04.md"
    assert f"Report written to {out_path.name}" in capsys.readouterr().out
    text = out_path.read_text(encoding="utf-8")
    assert stat.S_IMODE(out_path.stat().st_mode) == 0o600
    assert "| Child reference | QX-3 |" in text and "2026-03-04 09:00 (UTC+00:00)" in text
    # Second run refuses to overwrite, keeps the file, and says how to proceed.
    assert main(["report", str(TOOL_PATH), str(answers), "--format", "md"]) == 2
    assert "--force" in capsys.readouterr().err
    assert out_path.read_text(encoding="utf-8") == text


def test_language_warning_names_the_phrase_but_never_the_note(
    answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(TOOL_PATH), str(answers), "-f", "json", "-o", "-"]) == 0
    captured = capsys.readouterr()
    assert "note on 'late_nights'" in captured.err and "putting herself at risk" in captured.err
    assert "SECRET-CANARY" not in captured.err and "Bloggs" not in captured.err
    assert json.loads(captured.out)["schema_version"] == 1


def test_strict_language_stops_with_exit_2_and_writes_nothing(
    answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(TOOL_PATH), str(answers), "-f", "md", "--strict-language"]) == 2
    err = capsys.readouterr().err
    assert "--strict-language" in err and "SECRET-CANARY" not in err
    assert not list(answers.parent.glob("screening-*"))


def test_redact_uses_the_answers_file_list_and_extra_names(
    answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["report", str(TOOL_PATH), str(answers), "-f", "md", "--redact", "--redact-name", "Sam Teacher"]
    )
    assert code == 0
    path = answers.parent / "screening-minimised-2026-03-04.md"
    text = path.read_text(encoding="utf-8")
    assert "Bloggs" not in text and "QX" not in text and "Sam Teacher" not in text
    assert "[name 2] is my friend" in text and "| Child reference | [child] |" in text


def test_bad_redact_list_points_at_its_line(answers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers.write_text(ANSWERS.replace('redact: ["Jo Bloggs"]', "redact: Jo Bloggs"), encoding="utf-8")
    assert main(["report", str(TOOL_PATH), str(answers), "-f", "md", "-o", "-"]) == 2
    err = capsys.readouterr().err
    assert "answers.yaml:15:" in err and "'redact' must be a list" in err and "Bloggs" not in err


def test_pdf_to_stdout_is_refused_and_missing_input_explained(
    answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(TOOL_PATH), str(answers), "-f", "pdf", "-o", "-"]) == 2
    assert "PDF cannot go to the terminal" in capsys.readouterr().err
    assert main(["report", str(TOOL_PATH)]) == 2
    assert "missing input" in capsys.readouterr().err
    assert main(["report", "--id", "abc", str(TOOL_PATH), str(answers)]) == 2


def test_every_format_writes_a_file(answers: Path) -> None:
    for fmt in ("md", "html", "pdf", "json"):
        assert main(["report", str(TOOL_PATH), str(answers), "-f", fmt, "-o", f"out.{fmt}"]) == 0
    assert (answers.parent / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert "<!DOCTYPE html>" in (answers.parent / "out.html").read_text(encoding="utf-8")


def test_report_from_a_saved_screening_records_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cse_screen.store import Store

    monkeypatch.chdir(tmp_path)
    data_dir = tmp_path / "data"
    loaded = load_tool()
    with Store.open(data_dir) as store:
        earlier = store.create(loaded, ScreeningMeta(child_ref="RT-1", date=dt.date(2025, 11, 1)), "tester")
        store.record_answer(earlier, "late_nights", a("possible"), "tester")
        store.complete(earlier, "tester", level="low")
        sid = store.create(
            loaded, ScreeningMeta(child_ref="RT-1", date=dt.date(2026, 2, 1), shared_with="DSL"), "tester"
        )
        store.record_answer(sid, "age", a(13), "tester")
        store.record_answer(sid, "danger_now", a("no"), "tester")
        store.record_answer(
            sid, "older_friend", a("yes_recent", "Seen with a man in his thirties."), "tester"
        )
        store.release(sid)
    code = main(["--data-dir", str(data_dir), "report", "--id", sid[:8], "-f", "md", "-o", "r.md"])
    assert code == 0, capsys.readouterr().err
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "Significant concern" in text and "| 2025-11-01 | Low concern |" in text
    with Store.open(data_dir) as store:
        exports = store.exports(sid)
    assert len(exports) == 1 and exports[0].format == "md"


def test_the_recipient_and_basis_given_on_the_command_line_go_into_the_report_and_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cse_screen.store import Store

    monkeypatch.chdir(tmp_path)
    data_dir = tmp_path / "data"
    with Store.open(data_dir) as store:
        sid = store.create(load_tool(), ScreeningMeta(child_ref="RT-2", date=dt.date(2026, 2, 1)), "tester")
        store.record_answer(sid, "age", a(13), "tester")
        store.release(sid)
    args = ["--data-dir", str(data_dir), "report", "--id", sid, "-f", "md"]
    code = main([*args, "-o", "r.md", "--shared-with", "Ms  Invented DSL", "--basis", "consent"])
    assert code == 0, capsys.readouterr().err
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "With consent (the child's, or a parent's or carer's)" in text and "Ms Invented DSL" in text
    with Store.open(data_dir) as store:
        (export,) = store.exports(sid)
        meta = store.load(sid).screening.meta
    assert export.shared_with == "Ms Invented DSL" and export.sharing_basis.startswith("With consent")
    assert meta.shared_with == "" and meta.sharing_basis == ""  # the saved details are unchanged

    assert main([*args, "-o", "o.md", "--basis", "other", "--basis-reason", "court order 12"]) == 0
    assert "Other: court order 12" in (tmp_path / "o.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--basis", "other"], "--basis other"),
        (["--basis-reason", "because"], "--basis-reason goes with --basis other"),
    ],
)
def test_a_basis_without_its_reason_is_refused_before_anything_is_written(
    answers: Path, capsys: pytest.CaptureFixture[str], extra: list[str], says: str
) -> None:
    assert main(["report", str(TOOL_PATH), str(answers), "-f", "md", "-o", "x.md", *extra]) == 2
    assert says in capsys.readouterr().err
    assert not (answers.parent / "x.md").exists()


def test_the_command_line_bases_are_the_export_windows() -> None:
    from cse_screen.commands.report import BASES
    from cse_screen.session.export import SHARING_BASES

    assert tuple(key for key, _ in SHARING_BASES) == BASES


def test_the_other_basis_reason_is_checked_against_the_language_list(
    answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers.write_text(ANSWERS.replace("SECRET-CANARY she keeps putting herself at risk", "seen"), "utf-8")
    base = ["report", str(TOOL_PATH), str(answers), "-f", "md", "--basis", "other"]
    reason = ["--basis-reason", "the police asked, as it was her lifestyle choice"]
    assert main([*base, *reason, "-o", "warned.md"]) == 0
    err = capsys.readouterr().err
    assert 'language: basis for sharing: "lifestyle choice" — say instead: a constrained choice' in err
    assert (answers.parent / "warned.md").exists()  # a warning, as for notes
    assert main([*base, *reason, "-o", "strict.md", "--strict-language"]) == 2
    assert "--strict-language" in capsys.readouterr().err
    assert not (answers.parent / "strict.md").exists()
    assert main([*base, "--basis-reason", "the police asked for it", "-o", "clean.md"]) == 0
    assert "language:" not in capsys.readouterr().err
