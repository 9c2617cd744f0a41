"""After the screening, end to end in plain mode: complete → amend → decide → due → re-screen.

Invented children only. Each step goes through the session layer a front end uses, and the
audit trail of both screenings replays to exactly the stored state.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from cse_screen.bundled import bundled_path
from cse_screen.cli import main
from cse_screen.plain import run_plain
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.scoring import evaluate
from cse_screen.screening import ScreeningMeta
from cse_screen.session.after import (
    Amendment,
    DecisionInput,
    due_reviews,
    record_decision,
    rescreen,
    review_date,
    today,
)
from cse_screen.session.saving import SaveLink
from cse_screen.store import Store, replay, replay_followup
from support import load

TOOL = Path(__file__).with_name("plain_tool.yaml")
# Age, danger, disclosure, missing, online, sources, child's words, analysis; no judgement;
# complete and lock; then no report.
ANSWERS = ["14", "2", "2", "3", "3", "s", "", "Nothing of concern seen this term.", "", "n", "y", ""]


def _screen(loaded: object, data: Path, link: SaveLink | None = None) -> str:
    out = io.StringIO()
    code = run_plain(
        loaded,  # type: ignore[arg-type]
        data_dir=data,
        input=io.StringIO("".join(f"{x}\n" for x in ANSWERS)),
        output=out,
        meta=ScreeningMeta(child_ref="K.L. (invented)"),
        link=link,
    )
    assert code == 0, out.getvalue()[-500:]
    return out.getvalue()


def test_complete_amend_decide_due_rescreen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tool = load(TOOL)
    data = tmp_path / "data"
    _screen(tool, data)
    with Store.open(data) as store:
        (first,) = (s.id for s in store.list(status="completed"))
        assert store.followup(first).review_due is None  # this tool's levels declare no review

    with Amendment(data, first, "dsl") as amendment:
        assert amendment.change_answer("age", "15", "Date of birth checked with the office")
        outcome = amendment.finish()
    assert (outcome.changes, outcome.amendments) == (1, 1)

    decision = record_decision(
        data,
        first,
        DecisionInput(
            outcome="monitor",
            decided_by="Mr Lead",
            role="DSL",
            reasons="Nothing found; keep an eye on attendance.",
            told_parents=True,
            next_review=today(),
        ),
        "dsl",
    )
    assert decision.next_review == today()
    assert [d.id for d in due_reviews(data)] == [first]
    assert main(["--data-dir", str(data), "due"]) == 0
    assert "due today" in capsys.readouterr().out

    start = rescreen(data, first[:4])
    assert (start.follows, start.meta.child_ref) == (first, "K.L. (invented)")
    link = SaveLink(data)
    link.follows = start.follows
    _screen(start.loaded, data, link)
    assert due_reviews(data, within_days=365) == []
    with Store.open(data) as store:
        (second,) = (s.id for s in store.list(status="completed") if s.id != first)
        assert store.followup(second).follows == first and store.follow_ups(first) == [second]
        for sid in (first, second):
            events = store.events(sid)
            assert replay(events) == store.load(sid).screening
            assert replay_followup(events) == store.followup(sid)
            # Completing stored the computed level and fired rules: the chronology never re-evaluates.
            stored = store.load(sid)
            result = evaluate(stored.loaded.questionnaire, stored.screening, strict_judgement=False)
            state = store.followup(sid)
            assert (state.computed_level, state.flags) == (result.computed_level, result.fired_ids())
        # The audit trail holds every step in order; the amendment keeps the original answer.
        after = [(e.kind, e.amendment) for e in store.events(first)]
        assert after[-4:] == [("completed", False), ("answer", True), ("decision", False), ("review", False)]
        amended = store.events(first)[-3]
        assert (amended.question_id, amended.old["value"], amended.new["value"]) == ("age", 14, 15)

    # The chronology: both screenings, the amendment, the decision and the link, in time order.
    assert main(["--data-dir", str(data), "child", "k.l. (INVENTED)", "--json"]) == 0
    chron = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in chron["screenings"]] == [first, second]
    kinds = [e["kind"] for e in chron["entries"]]
    assert kinds == [
        "started",
        "completed",
        "amendment",
        "decision",
        "started",
        "rescreen",
        "completed",
        "review",
    ]
    assert chron["entries"][-1]["text"] == f"Reviewed by re-screening {second}"
    assert [e["at"] for e in chron["entries"]] == sorted(e["at"] for e in chron["entries"])
    assert chron["trend"] == "steady"
    assert chron["screenings"][0]["amendments"] == 1
    assert chron["screenings"][0]["decisions"][0]["outcome"] == "monitor"


def test_bundled_levels_declare_their_review_periods() -> None:
    q = load(bundled_path("cse-screening")).questionnaire
    periods = {level.id: level.review for level in q.levels}
    assert periods == {
        "none": None,
        "low": "if anything changes",
        "moderate": "3 months",
        "significant": "1 month",
        "immediate": "2 weeks",
    }
    day = dt.date(2026, 1, 31)
    assert review_date(q, "significant", day) == dt.date(2026, 2, 28)  # the month's last day
    assert review_date(q, "moderate", day) == dt.date(2026, 4, 30)
    assert review_date(q, "immediate", day) == dt.date(2026, 2, 14)
    assert review_date(q, "low", day) is None and review_date(q, "none", day) is None


@pytest.mark.parametrize("period", ["fortnight", "0 days", "3 years", "1 month "])
def test_a_review_period_must_be_a_number_of_days_weeks_or_months(period: str) -> None:
    data = load(TOOL).questionnaire.model_dump(mode="json", exclude_none=True)
    data["levels"][0]["review"] = period
    with pytest.raises(ValueError, match="review"):
        Questionnaire.model_validate(data)


def test_completing_sets_the_review_date_from_the_level(tmp_path: Path) -> None:
    tool = load(TOOL)
    data = tool.questionnaire.model_dump(mode="json", exclude_none=True)
    for level in data["levels"]:
        level["review"] = "3 months"
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire

    reviewed = LoadedQuestionnaire.from_model(Questionnaire.model_validate(data))
    _screen(reviewed, tmp_path / "data")
    with Store.open(tmp_path / "data") as store:
        (sid,) = (s.id for s in store.list(status="completed"))
        assert store.followup(sid).review_due == review_date(reviewed.questionnaire, "none", dt.date.today())
        assert store.followup(sid).review_due is not None


def test_chronology_trend_of_three_screenings_and_similar_references_never_merged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.screening import Answer

    tool = load(TOOL)
    data = tmp_path / "data"
    with Store.open(data) as store:
        for ref, level in (
            ("AB-12", "low"),
            ("AB-12", "moderate"),
            ("ab-12", "significant"),
            ("AB12", "none"),
        ):
            sid = store.create(tool, ScreeningMeta(child_ref=ref), "t")
            store.record_answer(sid, "age", Answer(value=13), "t")
            store.complete(sid, "t", level)
    assert isinstance(tool, LoadedQuestionnaire)
    assert main(["--data-dir", str(data), "child", "Ab-12", "--json"]) == 0
    chron = json.loads(capsys.readouterr().out)
    assert [s["final_level"] for s in chron["screenings"]] == ["low", "moderate", "significant"]
    assert chron["trend"] == "rising"
    assert main(["--data-dir", str(data), "child", "AB-12"]) == 0
    out = capsys.readouterr().out
    assert "trend: rising" in out and "Trend (final level" in out
    # "AB 12" matches nothing exactly: similar references are named, nothing is merged.
    assert main(["--data-dir", str(data), "child", "AB 12"]) == 2
    err = capsys.readouterr().err
    assert "no screenings for this reference" in err and "AB-12" in err and "AB12" in err
    assert main(["--data-dir", str(data), "child", "ZZ-99"]) == 2
    assert "cse-screen list" in capsys.readouterr().err


def test_the_decide_command_offers_exactly_the_session_outcomes() -> None:
    from cse_screen.commands.decide import OUTCOME_CHOICES
    from cse_screen.session.after import OUTCOME_LABELS, OUTCOMES

    assert OUTCOME_CHOICES == OUTCOMES and set(OUTCOMES) == set(OUTCOME_LABELS)


def test_plain_mode_offers_amend_and_decide_after_completing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    after = ["n"]  # not shared with the DSL's inbox now (plain/result.py asks first)
    after += ["a", "nosuch", "age", "15", "", "Date of birth checked with the office", ""]
    after += ["d", "2", "Mr Lead (invented)", "DSL", "Nothing found; keep an eye on attendance.", "yes", ""]
    after += ["x", ""]
    out = io.StringIO()
    code = run_plain(
        load(TOOL),
        data_dir=data,
        input=io.StringIO("".join(f"{x}\n" for x in [*ANSWERS, *after])),
        output=out,
        meta=ScreeningMeta(child_ref="K.M. (invented)"),
    )
    text = out.getvalue()
    assert code == 0, text[-800:]
    assert "no question 'nosuch'" in text and "A reason is needed" in text  # refused, asked again
    assert "Amended: 1 change saved as amendments" in text
    assert "Decision recorded: Keep monitoring in school." in text
    assert "Type a to amend, d to record a decision" in text
    assert text.rstrip().endswith("Screening finished. " + load(TOOL).questionnaire.final_line)
    with Store.open(data) as store:
        (sid,) = (s.id for s in store.list(status="completed"))
        state = store.followup(sid)
        events = store.events(sid)
        assert store.load(sid).screening.value("age") == 15
        assert state.amendments == 1 and [d.outcome for d in state.decisions] == ["monitor"]
        assert replay_followup(events) == state


def test_plain_mode_ends_quietly_when_input_ends_at_the_offer(tmp_path: Path) -> None:
    out = io.StringIO()
    code = run_plain(
        load(TOOL),
        data_dir=tmp_path / "data",
        input=io.StringIO("".join(f"{x}\n" for x in ANSWERS)),
        output=out,
        meta=ScreeningMeta(child_ref="K.N. (invented)"),
    )
    assert code == 0 and "Screening finished." in out.getvalue()
