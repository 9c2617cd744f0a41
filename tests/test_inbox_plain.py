"""Plain mode offers to share a completed screening with the DSL (invented children only)."""

from __future__ import annotations

import io
from pathlib import Path

from cse_screen.plain import run_plain
from cse_screen.screening import ScreeningMeta
from cse_screen.store import Store
from support import load

TOOL = Path(__file__).with_name("plain_tool.yaml")
# As in test_after_flow: age, danger, disclosure, missing, online, sources, words, analysis,
# no judgement, complete and lock, no report; then the share question.
ANSWERS = ["14", "2", "2", "3", "3", "s", "", "Nothing of concern seen this term.", "", "n", "y", ""]


def _run(data: Path, extra: list[str]) -> str:
    out = io.StringIO()
    code = run_plain(
        load(TOOL),
        data_dir=data,
        input=io.StringIO("".join(f"{x}\n" for x in [*ANSWERS, *extra])),
        output=out,
        meta=ScreeningMeta(child_ref="PL-1", practitioner="Pat Mentor"),
    )
    assert code == 0, out.getvalue()[-500:]
    return out.getvalue()


def test_yes_shares_the_completed_screening_with_the_dsl(tmp_path: Path) -> None:
    out = _run(tmp_path, ["y"])
    assert "Share this screening with your DSL now?" in out and "it is in their inbox" in out
    with Store.open(tmp_path) as store:
        shared = [(r, store.shares(r.id)) for r in store.shared_screenings()]
    assert len(shared) == 1
    row, share = shared[0]
    assert row.status == "completed" and [s.who for s in share] == ["Pat Mentor"]


def test_no_or_the_end_of_the_input_shares_nothing(tmp_path: Path) -> None:
    assert "share it later with `cse-screen share ID`" in _run(tmp_path / "a", ["n"])
    _run(tmp_path / "b", [])  # the input ends at the question: nothing lost, nothing shared
    for folder in ("a", "b"):
        with Store.open(tmp_path / folder) as store:
            assert store.shared_screenings() == []
            assert [r.status for r in store.list()] == ["completed"]
