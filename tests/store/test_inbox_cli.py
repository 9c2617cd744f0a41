"""`cse-screen share` and `cse-screen inbox` (invented children only)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cse_screen.bundled import bundled_path
from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.session.after import DecisionInput, check_decision
from cse_screen.store import Store

TODAY = dt.date.today()
CALM = {"age": 14, "immediate_danger": "no", "disclosure": "no"}


@pytest.fixture(scope="module")
def bundled() -> LoadedQuestionnaire:
    return load_questionnaire(bundled_path("cse-screening"))


def _make(
    data: Path,
    loaded: LoadedQuestionnaire,
    ref: str,
    who: str,
    level: str,
    *,
    days_ago: int = 0,
    answers: dict[str, object] | None = None,
    share: bool = True,
) -> str:
    with Store.open(data) as store:
        meta = ScreeningMeta(child_ref=ref, practitioner=who, date=TODAY - dt.timedelta(days=days_ago))
        sid = store.create(loaded, meta, who)
        for question, value in (answers or CALM).items():
            store.record_answer(sid, question, Answer(value=value), who)  # type: ignore[arg-type]
        store.complete(sid, who, level=level)
        if share:
            store.share(sid, who)
    return sid


def _cli(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def _inbox_json(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert _cli(data, "inbox", "--json", "--who", "dsl", *args) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_share_records_who_and_the_inbox_lists_it(
    data_dir: Path, bundled: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = _make(data_dir, bundled, "QX-7", "Ms Amber", "moderate", share=False)
    assert _cli(data_dir, "share", sid[:6], "--who", "Ms Amber") == 0
    assert f"Shared screening {sid} with the DSL" in capsys.readouterr().out
    assert _cli(data_dir, "share", sid, "--who", "Ms Amber") == 0
    assert "shared 1 time before" in capsys.readouterr().out
    assert _cli(data_dir, "show", sid, "--events") == 0
    shown = capsys.readouterr().out
    assert shown.count("Shared with the DSL on") == 2 and "by Ms Amber" in shown and "shared" in shown
    assert _cli(data_dir, "show", sid, "--json") == 0
    assert [x["who"] for x in json.loads(capsys.readouterr().out)["shared_with_dsl"]] == ["Ms Amber"] * 2
    assert _cli(data_dir, "child", "QX-7") == 0
    assert "Shared with the DSL" in capsys.readouterr().out  # in the chronology too
    (item,) = _inbox_json(data_dir, capsys)["screenings"]  # type: ignore[misc]
    assert (item["id"], item["times_shared"], item["awaiting_decision"]) == (sid, 2, True)


def test_sharing_a_draft_or_an_unknown_id_exits_2_and_records_nothing(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_dir) as store:
        draft = store.create(loaded, ScreeningMeta(child_ref="QX-8"), "t")
    assert _cli(data_dir, "share", draft) == 2
    assert "still a draft" in capsys.readouterr().err
    assert _cli(data_dir, "share", "zzzz") == 2
    assert "not found" in capsys.readouterr().err
    with Store.open(data_dir) as store:
        assert store.shares(draft) == []


def test_most_urgent_first_and_new_since_the_last_look(
    data_dir: Path, bundled: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    low = _make(data_dir, bundled, "LO-1", "Ms Amber", "low", days_ago=20)
    significant = _make(data_dir, bundled, "SI-2", "Mr Brook", "significant", days_ago=2)
    danger = _make(
        data_dir, bundled, "DA-3", "Ms Amber", "immediate", answers={**CALM, "immediate_danger": "yes"}
    )
    decided = _make(data_dir, bundled, "DE-4", "Mr Brook", "significant", days_ago=1)
    with Store.open(data_dir) as store:
        store.record_decision(
            decided,
            check_decision(
                DecisionInput(
                    outcome="social_care",
                    decided_by="Ms Dsl",
                    role="DSL",
                    reasons="Referred the same day.",
                    told_parents=True,
                ),
                bundled.questionnaire,
                "significant",
            ),
            "dsl",
        )
    first = _inbox_json(data_dir, capsys)
    rows = first["screenings"]
    assert isinstance(rows, list)
    assert [r["id"] for r in rows] == [danger, significant, low, decided]
    top = rows[0]
    assert top["tier"] == 0 and top["alerts"] and top["alert_not_acknowledged"] is True
    assert rows[-1]["last_outcome"].startswith("Referral") and not rows[-1]["awaiting_decision"]
    assert first["looked_before"] is None and all(r["new"] == ["shared"] for r in rows[:3])
    # Looking moved the mark: nothing is new now, until someone amends or shares.
    again = _inbox_json(data_dir, capsys)
    assert again["looked_before"] is not None
    assert [r["new"] for r in again["screenings"]] == [[], [], [], []]  # type: ignore[union-attr]
    with Store.open(data_dir) as store:
        store.share(low, "Ms Amber")
    peek = _inbox_json(data_dir, capsys, "--no-mark")
    assert [r["new"] for r in peek["screenings"]] == [[], [], ["shared"], []]  # type: ignore[union-attr]
    assert _inbox_json(data_dir, capsys)["looked_before"] == again["now"]  # --no-mark did not move it


def test_joined_up_concerns_at_the_top_and_near_references_only_suggested(
    data_dir: Path, bundled: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    _make(data_dir, bundled, "AB-07", "Ms Amber", "moderate", days_ago=30)
    _make(data_dir, bundled, "ab-07", "Mr Brook", "significant", days_ago=3, share=False)
    _make(data_dir, bundled, "AB07", "Ms Cedar", "low", days_ago=2, share=False)
    data = _inbox_json(data_dir, capsys)
    kinds = {(c["kind"], c["child_ref"]) for c in data["concerns"]}  # type: ignore[union-attr]
    assert kinds == {("rising", "ab-07"), ("practitioners", "ab-07")}
    found = [c for c in data["concerns"] if c["kind"] == "practitioners"]  # type: ignore[union-attr]
    assert len(found) == 1
    practitioners = found[0]
    assert len(practitioners["screening_ids"]) == 2  # AB07 is near, not the same: never merged
    assert data["similar_references"] == [{"child_ref": "ab-07", "similar": ["AB07"]}]
    # The period is the setting's: in a shorter one, the first screening is outside it (the
    # rise still shows: its latest screening is inside).
    short = _inbox_json(data_dir, capsys, "--weeks", "2")["concerns"]
    assert [c["kind"] for c in short] == ["rising"]  # type: ignore[union-attr]
    config = Path(str(data_dir) + "-config")
    config.mkdir()
    (config / "inbox.yaml").write_text("joined_up_weeks: 2\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CSE_SCREEN_CONFIG_DIR", str(config))
        assert [c["kind"] for c in _inbox_json(data_dir, capsys)["concerns"]] == ["rising"]  # type: ignore[union-attr]
        (config / "inbox.yaml").write_text("joined_up_weeks: two\n", encoding="utf-8")
        assert _cli(data_dir, "inbox") == 2
        assert "joined_up_weeks must be a whole number of weeks" in capsys.readouterr().err


def test_the_inbox_at_80_columns_piped_is_readable_and_inert(
    data_dir: Path, bundled: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    _make(data_dir, bundled, "AB-07\x1b[2J\x1b]0;x\x07", "Ms \x1b[31mAmber", "significant", days_ago=3)
    _make(
        data_dir,
        bundled,
        "AB-07\x1b[2J\x1b]0;x\x07",
        "Mr Brook",
        "immediate",
        answers={**CALM, "immediate_danger": "yes"},
    )
    assert _cli(data_dir, "inbox", "--who", "dsl") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "Joined-up concerns (last 8 weeks)" in out and "2 practitioners" in out
    assert out.index("Joined-up concerns") < out.index("Waiting for a decision")
    assert "IMMEDIATE" in out and "alert not" in out  # the tool's alert, wrapped in its cell


def test_an_empty_inbox_says_how_to_share_and_bad_weeks_exit_2(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(data_dir, "inbox") == 0
    assert "Nothing has been shared with the DSL yet" in capsys.readouterr().out
    assert _cli(data_dir, "inbox", "--weeks", "0") == 2
    assert "not a number of weeks from 1 to 104" in capsys.readouterr().err


def test_a_bad_period_in_the_environment_exits_2_with_how_to_fix_it(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSE_SCREEN_JOINED_UP_WEEKS", "eight")
    assert _cli(data_dir, "inbox") == 2
    err = capsys.readouterr().err
    assert "CSE_SCREEN_JOINED_UP_WEEKS='eight'" in err and "e.g. 8" in err and "Traceback" not in err
    monkeypatch.setenv("CSE_SCREEN_JOINED_UP_WEEKS", "3")
    assert _inbox_json(data_dir, capsys)["joined_up_weeks"] == 3
