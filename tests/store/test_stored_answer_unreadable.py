"""A stored answer that no longer fits its questionnaire: a clear exit 2, nothing changed.

The bad row is made through the store's own API (the store keeps what it is given; an older
version or a questionnaire whose options changed leaves such a value behind).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store

META = ScreeningMeta(child_ref="ZZ-1", practitioner="Ms Invented")


@pytest.fixture()
def bad_draft(data_dir: Path, loaded: LoadedQuestionnaire) -> str:
    with Store.open(data_dir) as store:
        sid = store.create(loaded, META, "t")
        store.record_answer(sid, "worry", Answer(value="no-such-option"), "t")
    return sid


def _stored(data_dir: Path, sid: str) -> object:
    with Store.open(data_dir) as store:
        return store.load(sid).screening.answers


def test_resume_names_the_screening_and_question_and_changes_nothing(
    bad_draft: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _stored(data_dir, bad_draft)
    assert main(["--data-dir", str(data_dir), "resume", bad_draft, "--plain"]) == 2
    err = capsys.readouterr().err
    assert bad_draft in err and "'worry'" in err and f"cse-screen show {bad_draft}" in err
    assert "something went wrong" not in err and "Traceback" not in err
    assert "no-such-option" not in err  # the stored value is never printed
    assert _stored(data_dir, bad_draft) == before


def test_show_list_and_report_on_a_store_with_such_an_answer(
    bad_draft: str, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "show", bad_draft]) == 0
    captured = capsys.readouterr()
    assert "ZZ-1" in captured.out and "'worry'" in captured.err
    assert main(["--data-dir", str(data_dir), "list"]) == 0
    assert bad_draft in capsys.readouterr().out
    out = tmp_path / "r.md"
    assert main(["--data-dir", str(data_dir), "report", "--id", bad_draft, "-f", "md", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert bad_draft in err and "'worry'" in err and "Traceback" not in err
