"""The records commands: list (questionnaires + screenings), show, retention."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, Judgement, ScreeningMeta
from cse_screen.store import Store, reading
from cse_screen.store import database as db


@pytest.fixture()
def two(data_dir: Path, loaded: LoadedQuestionnaire) -> tuple[str, str]:
    with Store.open(data_dir) as store:
        a = store.create(loaded, ScreeningMeta(child_ref="LM-3", date=dt.date(2024, 1, 5)), "t")
        store.record_answer(
            a, "worry", Answer(value="yes", note="seen at the \x1b]0;hacked\x07 park", source="observed"), "t"
        )
        store.set_judgement(a, Judgement(level="low", reason="[bold]pattern[/bold]"), "t")
        store.complete(a, "t", level="low")
        store.record_export(a, "pdf", "/x/a.pdf", "Ms DSL", "t")
        b = store.create(loaded, ScreeningMeta(child_ref="NP-4", date=dt.date(2025, 2, 6)), "t")
        store.record_answer(b, "age", Answer(value=11), "t", position="worry")
    return a, b


def test_list_shows_questionnaires_then_screenings(
    data_dir: Path, two: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = two
    assert main(["--data-dir", str(data_dir), "list"]) == 0
    out = capsys.readouterr().out
    assert "Questionnaires" in out and "Saved screenings" in out
    assert out.index(b) < out.index(a)  # most recent first
    assert main(["--data-dir", str(data_dir), "list", "--questionnaires"]) == 0
    assert "Saved screenings" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "shown", "hidden"),
    [
        (["--status", "draft"], 1, 0),
        (["--status", "completed"], 0, 1),
        (["--child", "lm-3"], 0, 1),
        (["--since", "2025-01-01"], 1, 0),
        (["--until", "2024-12-31"], 0, 1),
    ],
)
def test_list_filters_show_only_screenings(
    data_dir: Path,
    two: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    shown: int,
    hidden: int,
) -> None:
    assert main(["--data-dir", str(data_dir), "list", *args]) == 0
    out = capsys.readouterr().out
    assert "Questionnaires" not in out
    assert two[shown] in out and two[hidden] not in out


def test_list_rejects_a_bad_date(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "list", "--since", "5/1/2024"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_show_is_readable_and_inert(
    data_dir: Path, two: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    a, _ = two
    assert main(["--data-dir", str(data_dir), "show", a[:4], "--events"]) == 0
    out = capsys.readouterr().out
    assert "Is there a worry?" in out and "Yes" in out and "Observed" in out
    assert "\x1b]0;" not in out and "[U+001B]" in out  # the escape sequence is shown, not obeyed
    assert "[bold]pattern[/bold]" in out  # user text is never Rich markup
    assert "Ms DSL" in out and "Audit trail" in out


def test_show_json_has_state_and_trail(
    data_dir: Path, two: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, b = two
    assert main(["--data-dir", str(data_dir), "show", b, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["id"] == b and doc["status"] == "draft" and doc["position"] == "worry"
    assert doc["screening"]["answers"]["age"]["value"] == 11
    assert [e["kind"] for e in doc["events"]] == ["created", "answer"]
    assert doc["questionnaire"]["id"] == "store-test"


def test_show_unknown_id_exits_2(
    data_dir: Path, two: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "show", "nothere"]) == 2
    assert "not found" in capsys.readouterr().err


def test_retention_lists_old_completed_screenings_and_deletes_nothing(
    data_dir: Path, two: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = two
    assert main(["--data-dir", str(data_dir), "retention"]) == 0
    assert "No completed screenings older than 365 days" in capsys.readouterr().out
    later = db.utcnow() + dt.timedelta(days=400)
    monkeypatch.setattr(reading, "utcnow", lambda: later)  # the retention listing reads the clock
    assert main(["--data-dir", str(data_dir), "retention"]) == 0
    out = capsys.readouterr().out
    assert a in out and b not in out and "Nothing has been deleted" in out
    assert main(["--data-dir", str(data_dir), "retention", "--older-than", "500", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    monkeypatch.setenv("CSE_SCREEN_REVIEW_DAYS", "390")
    assert main(["--data-dir", str(data_dir), "retention", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [a]
    with Store.open(data_dir) as store:
        assert len(store.list()) == 2


def test_retention_reads_the_config_file(
    data_dir: Path,
    two: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(tmp_path / "cfg"))
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "retention.yaml").write_text("review_after_days: 0\n")
    assert main(["--data-dir", str(data_dir), "retention", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [two[0]]
    (tmp_path / "cfg" / "retention.yaml").write_text("review_after_days: soon\n")
    assert main(["--data-dir", str(data_dir), "retention"]) == 2
    assert "whole number of days" in capsys.readouterr().err
