"""The CLI's tables at 80 columns (a piped or small terminal): no header is split mid-word."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store

META = ScreeningMeta(child_ref="ZZ-1", practitioner="Ms Invented")


def _header_words(out: str, first: str) -> list[str]:
    """The words of the header line that starts with ``first`` (lowercase header names)."""
    line = next(li for li in out.splitlines() if li.strip().startswith(first))
    return line.split()


def test_child_table_headers_are_whole_words_at_80_columns(
    store: Store,
    data_dir: Path,
    loaded: LoadedQuestionnaire,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for _ in range(2):
        sid = store.create(loaded, META, "t")
        store.record_answer(sid, "worry", Answer(value="yes"), "t")
        store.complete(sid, "t", "low", review_due=dt.date(2026, 4, 2))
    store.close()
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--data-dir", str(data_dir), "child", "ZZ-1"]) == 0
    out = capsys.readouterr().out
    words = _header_words(out, "date")
    allowed = {"date", "id", "status", "computed", "final", "flags", "decisions", "review", "amended"}
    assert set(words) <= allowed, words
    assert {"date", "id", "final", "status"} <= set(words)
    assert all(len(line) <= 80 for line in out.splitlines())
    # Never a header fragment on the line under the header (Rich's fold/wrap).
    assert not re.search(r"^\s*(dec|isi|ons|flag|s|amend|ed)\s*$", out, re.M)
