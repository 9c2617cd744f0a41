"""`cse-screen amend` and `cse-screen decide`, and their plain prompts (invented children only)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.plain.after import EndOfInput, Prompter, amend_prompts, decision_prompts
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.session.after import Amendment, DecisionInput, decision_target
from cse_screen.store import Store, replay, replay_followup

LONG = "The DSL spoke with the head of year and the family support worker; the worry was a misunderstanding."


@pytest.fixture()
def done(data_dir: Path, loaded: LoadedQuestionnaire) -> str:
    with Store.open(data_dir) as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="QX-7"), "t")
        store.record_answer(sid, "worry", Answer(value="yes", note="seen at the park"), "t")
        store.complete(sid, "t", level="low")
    return sid


@pytest.fixture()
def draft(data_dir: Path, loaded: LoadedQuestionnaire) -> str:
    with Store.open(data_dir) as store:
        return store.create(loaded, ScreeningMeta(child_ref="QX-8"), "t")


def _cli(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def _trail(data_dir: Path, sid: str) -> list[tuple[str, bool]]:
    with Store.open(data_dir) as store:
        return [(e.kind, e.amendment) for e in store.events(sid)]


def test_amend_keeps_the_old_answer_re_evaluates_and_stays_completed(
    data_dir: Path, done: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _cli(
        data_dir,
        "amend",
        done[:6],
        "--set",
        "worry=no",
        "--reason",
        "Mixed up with another child",
        "--who",
        "dsl",
    )
    assert code == 0
    assert "level Low → None" in capsys.readouterr().out  # in words
    with Store.open(data_dir) as store:
        stored = store.load(done)
        events = store.events(done)
        state = store.followup(done)
        assert (stored.status, stored.level, stored.screening.value("worry")) == ("completed", "none", "no")
        # The note stays; the original answer is still in the trail, with who and why.
        assert stored.screening.answers["worry"].note == "seen at the park"
        answer, level, result = events[-3:]
        assert (answer.old["value"], answer.new["value"], answer.who, answer.reason) == (
            "yes",
            "no",
            "dsl",
            "Mixed up with another child",
        )
        assert (level.kind, level.old, level.new) == ("level", "low", "none")
        # The re-evaluated computed level and fired rules are kept for the chronology.
        assert (result.kind, result.new["computed_level"], result.amendment) == ("result", "none", True)
        assert (state.computed_level, state.flags) == ("none", ("worried",))  # "worry" is still answered
        assert state.amendments == 1 and replay_followup(events) == state
        assert replay(events) == stored.screening
    assert _cli(data_dir, "show", done) == 0
    assert "amended 1 time" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "worry=no"], "a reason is needed"),
        (["--set", "worry=no", "--reason", "  "], "a reason is needed"),
        (["--set", "nosuch=1", "--reason", "x"], "no question 'nosuch'"),
        (["--set", "worry=maybe", "--reason", "x"], "worry"),
        (["--set", "worry", "--reason", "x"], "QID=VALUE"),
        ([], "nothing to change"),
    ],
)
def test_amend_refuses_bad_input_with_exit_2_and_saves_nothing(
    data_dir: Path, done: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = _trail(data_dir, done)
    assert _cli(data_dir, "amend", done, *args) == 2
    assert message in capsys.readouterr().err
    assert _trail(data_dir, done) == before


def test_amend_and_decide_refuse_a_draft_and_an_unknown_id(
    data_dir: Path, done: str, draft: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(data_dir, "amend", draft, "--set", "age=3", "--reason", "x") == 2
    assert "still a draft" in capsys.readouterr().err
    assert _cli(data_dir, "decide", draft, "--outcome", "monitor") == 2
    assert "still a draft" in capsys.readouterr().err
    assert _cli(data_dir, "decide", "ffffffffff", "--outcome", "monitor") == 2
    assert "not found" in capsys.readouterr().err
    assert _trail(data_dir, draft) == [("created", False)]


def test_a_record_open_in_another_program_cannot_be_amended_or_decided(
    data_dir: Path, done: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_dir) as other:
        other.claim(done)
        before = _trail(data_dir, done)
        assert _cli(data_dir, "amend", done, "--set", "worry=no", "--reason", "x") == 2
        assert "open in another cse-screen" in capsys.readouterr().err
        assert _cli(data_dir, "decide", done, *_full()) == 2
        assert "open in another cse-screen" in capsys.readouterr().err
        assert _trail(data_dir, done) == before


def _full(**changes: str) -> list[str]:
    review = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    opts = {
        "--outcome": "social_care",
        "--by": "Mr Lead",
        "--role": "DSL",
        "--reasons": "Pattern of older men collecting the child.",
        "--referral-ref": "MASH-42",
        "--told-parents": "no",
        "--not-told-reason": "Telling the carer could put the child at more risk.",
        "--review-date": review,
    }
    opts.update(changes)
    return [x for k, v in opts.items() if v is not None for x in (k, v)]


def test_decide_records_decisions_in_order_and_sets_the_review_date(
    data_dir: Path, done: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(data_dir, "decide", done, *_full()) == 0
    assert "Referral to children's social care" in capsys.readouterr().out
    assert (
        _cli(
            data_dir,
            "decide",
            done,
            *_full(**{"--outcome": "monitor", "--review-date": "", "--told-parents": "yes"}),
        )
        == 2
    )
    assert (
        _cli(data_dir, "decide", done[:5], *_full(**{"--outcome": "monitor", "--told-parents": "yes"})) == 0
    )
    with Store.open(data_dir) as store:
        decisions = store.decisions(done)
        assert [d.outcome for d in decisions] == ["social_care", "monitor"]
        assert decisions[0].referral_ref == "MASH-42" and decisions[0].told_parents is False
        assert store.followup(done).review_due == dt.date.today() + dt.timedelta(days=30)
        assert replay_followup(store.events(done)) == store.followup(done)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"--review-date": "2001-01-01"}, "in the past"),
        ({"--review-date": "next week"}, "not a date"),
        ({"--reasons": "   "}, "a reason is needed"),
        ({"--by": ""}, "who decided"),
        ({"--not-told-reason": ""}, "record why"),
        ({"--outcome": "other"}, "say what was decided"),
        ({"--outcome": "nfa", "--reasons": "Fine."}, "fuller reason"),
        ({"--decided-at": "2999-01-01T10:00"}, "in the future"),
    ],
)
def test_decide_refuses_bad_input_with_exit_2_and_saves_nothing(
    data_dir: Path, done: str, capsys: pytest.CaptureFixture[str], changes: dict[str, str], message: str
) -> None:
    before = _trail(data_dir, done)
    assert _cli(data_dir, "decide", done, *_full(**changes)) == 2
    assert message in capsys.readouterr().err
    assert _trail(data_dir, done) == before


def test_no_further_action_after_a_serious_level_needs_a_full_reason_and_is_highlighted(
    data_dir: Path, done: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The test tool has two levels: its top one (low) counts as serious.
    assert _cli(data_dir, "decide", done, *_full(**{"--outcome": "nfa", "--reasons": LONG})) == 0
    assert "highlighted" in capsys.readouterr().out
    with Store.open(data_dir) as store:
        (decision,) = store.decisions(done)
    assert decision.highlighted and decision.outcome == "nfa"


def test_plain_prompts_amend_with_a_reason_for_each_change(data_dir: Path, done: str) -> None:
    typed = io.StringIO("nosuch\nworry\nmaybe\nwhy\nno\n\nMixed up with another child\n\n")
    out = io.StringIO()
    with Amendment(data_dir, done, "dsl") as amendment:
        amend_prompts(amendment, Prompter(typed, out))
        outcome = amendment.finish()
    text = out.getvalue()
    assert "no question 'nosuch'" in text and "Not saved" in text and "A reason is needed" in text
    assert (outcome.changes, outcome.old_level, outcome.new_level) == (1, "low", "none")


def test_plain_prompts_ask_only_for_what_is_missing(data_dir: Path, done: str) -> None:
    target = decision_target(data_dir, done)
    typed = io.StringIO("9\n1\nMs Head\nDeputy DSL\n" + LONG + "\nmaybe\nyes\n\n")
    out = io.StringIO()
    given = DecisionInput(outcome="", decided_by="", role="", reasons="", told_parents=None)
    got = decision_prompts(target, given, Prompter(typed, out))
    assert (got.outcome, got.decided_by, got.role, got.told_parents, got.next_review) == (
        "nfa",
        "Ms Head",
        "Deputy DSL",
        True,
        None,
    )
    assert "fuller reason" in out.getvalue() and "Type yes or no" in out.getvalue()
    with pytest.raises(EndOfInput):
        decision_prompts(target, given, Prompter(io.StringIO("1\n"), io.StringIO()))


def test_due_lists_overdue_first_as_a_table_and_as_json(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    today = dt.date.today()
    with Store.open(data_dir) as store:
        ids = {}
        for name, days in (("soon", 5), ("late", -3), ("far", 60)):
            sid = store.create(loaded, ScreeningMeta(child_ref=f"\x1b[31m{name}"), "t")
            store.complete(sid, "t", "low", review_due=today + dt.timedelta(days=days))
            ids[name] = sid
    assert _cli(data_dir, "due", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [ids["late"], ids["soon"]]
    assert rows[0]["overdue_days"] == 3
    assert _cli(data_dir, "due", "--within", "0") == 0
    out = capsys.readouterr().out
    assert "overdue by 3 days" in out and ids["soon"] not in out
    assert "\x1b[31m" not in out  # a reference never reaches the terminal raw
    assert _cli(data_dir, "due", "--within", "-1") == 2


def test_report_of_a_saved_screening_has_its_decisions_and_amendment_history(
    data_dir: Path, done: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cse_screen.report.schema import report_json_schema

    # Decided at the serious level (highlighted), amended afterwards (the decision keeps its mark).
    assert _cli(data_dir, "decide", done, *_full(**{"--outcome": "nfa", "--reasons": LONG})) == 0
    assert _cli(data_dir, "amend", done, "--set", "worry=no", "--reason", "Mixed up with another child") == 0
    capsys.readouterr()
    assert _cli(data_dir, "report", "--id", done, "-f", "json", "-o", "-") == 0
    doc = json.loads(capsys.readouterr().out)
    (decision,) = doc["decisions"]
    assert (decision["outcome"], decision["highlighted"], decision["reasons"]) == ("nfa", True, LONG)
    assert [(a["what"], a["old"], a["new"]) for a in doc["amendments"]] == [
        ("Answer: Is there a worry?", "Yes (note: seen at the park)", "No (note: seen at the park)"),
        ("Final level", "Low", "None"),
    ]
    assert doc["review_due"] == (dt.date.today() + dt.timedelta(days=30)).isoformat()
    for fmt in ("md", "html"):
        assert _cli(data_dir, "report", "--id", done, "-f", fmt, "-o", "-") == 0
        out = capsys.readouterr().out
        assert (
            "Decisions" in out
            and "Amendment history" in out
            and "No further action after a serious level" in out
        )
    props = report_json_schema()["properties"]
    assert {"decisions", "amendments", "review_due"} <= set(props)


def test_report_child_writes_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from store_support import make_loaded

    from cse_screen.report.chronology import ChronologyDoc

    data = tmp_path / "data"
    loaded = make_loaded()
    with Store.open(data) as store:
        for level in ("none", "low", "low"):
            sid = store.create(loaded, ScreeningMeta(child_ref="ST-1"), "t")
            store.complete(sid, "t", level)
    for fmt in ("md", "html", "pdf", "json"):
        out = tmp_path / f"c.{fmt}"
        assert main(["--data-dir", str(data), "report", "--child", "st-1", "-f", fmt, "-o", str(out)]) == 0
        assert out.stat().st_size > 0 and (out.stat().st_mode & 0o777) == 0o600
    doc = ChronologyDoc.model_validate_json((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert [s.final_level for s in doc.screenings] == ["none", "low", "low"] and doc.trend == "steady"
    assert main(["--data-dir", str(data), "report", "--child", "ST 1", "-f", "md", "-o", "-"]) == 2
    assert "Similar references: ST-1" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "report", "--child", "ST-1", "--id", "x", "-o", "-"]) == 2


def test_a_minimised_report_hides_the_names_in_decisions(
    data_dir: Path, done: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(data_dir, "decide", done, *_full()) == 0
    capsys.readouterr()
    assert _cli(data_dir, "report", "--id", done, "-f", "json", "-o", "-", "--redact-name", "Mr Lead") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["decisions"][0]["decided_by"] == "[name 1]"
    assert "Mr Lead" not in json.dumps(doc)


def test_amend_the_judgement_with_a_reason_and_the_level_follows_it(
    data_dir: Path, done: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--set", "worry=no", "--judgement", "low", "--judgement-reason", "Pattern seen by the office"]
    assert _cli(data_dir, "amend", done, *args, "--reason", "New information from the office") == 0
    out = capsys.readouterr().out
    assert "level stays Low" in out
    assert "no longer applies" not in out  # given in this amendment: it stands
    with Store.open(data_dir) as store:
        stored = store.load(done)
        assert stored.screening.judgement is not None and stored.screening.judgement.level == "low"
        assert store.followup(done).amendments == 2 and stored.level == "low"
    before = _trail(data_dir, done)
    bad = ["--set", "age=12", "--judgement", "nosuch", "--judgement-reason", "x", "--reason", "y"]
    assert _cli(data_dir, "amend", done, *bad) == 2
    assert "does not exist" in capsys.readouterr().err
    assert _trail(data_dir, done) == before  # the good change in the batch was not saved either


def test_an_amendment_that_changes_the_computed_level_withdraws_an_earlier_judgement(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found in use: "Immediate danger" kept by judgement while the answers said so; after the
    # danger answer was corrected, the old judgement still held the level at Immediate danger.
    from cse_screen.bundled import bundled_path
    from cse_screen.screening import Judgement
    from support import load

    tool = load(bundled_path("cse-screening"))
    with Store.open(data_dir) as store:
        sid = store.create(tool, ScreeningMeta(child_ref="QX-9"), "t")
        for qid, value in (("age", 14), ("immediate_danger", "yes"), ("disclosure", "yes")):
            store.record_answer(sid, qid, Answer(value=value), "t")
        store.set_judgement(sid, Judgement(level="immediate", reason="Police already attending"), "t")
        store.complete(sid, "t", level="immediate")
    args = ["--set", "immediate_danger=no", "--reason", "Recorded by mistake"]
    assert _cli(data_dir, "amend", sid, *args) == 0
    out = capsys.readouterr().out
    assert "level Immediate danger → Significant concern" in out
    assert "earlier judgement (Immediate danger) no longer applies" in out
    with Store.open(data_dir) as store:
        stored = store.load(sid)
        events = store.events(sid)
        assert stored.screening.judgement is None and stored.level == "significant"
        withdrawn = next(e for e in events if e.kind == "judgement" and e.amendment)
        assert withdrawn.new is None and "computed level from Immediate danger to Significant" in str(
            withdrawn.reason
        )
        assert replay(events) == stored.screening


def test_an_amendment_keeps_a_judgement_that_raised_the_level_and_says_it_still_holds(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A judgement that raised the level is the practitioner's own view: an amendment that
    # lowers the computed level must not drop the final level without them deciding so.
    from cse_screen.bundled import bundled_path
    from cse_screen.scoring import evaluate
    from cse_screen.screening import Judgement
    from support import load

    tool = load(bundled_path("cse-screening"))
    with Store.open(data_dir) as store:
        sid = store.create(tool, ScreeningMeta(child_ref="QX-10"), "t")
        for qid, value in (("age", 14), ("disclosure", "yes")):
            store.record_answer(sid, qid, Answer(value=value), "t")
        before = evaluate(tool.questionnaire, store.load(sid).screening).computed_level
        assert before != "immediate"
        raised = Judgement(level="immediate", reason="Seen leaving with an unknown adult")
        store.set_judgement(sid, raised, "t")
        store.complete(sid, "t", level="immediate")
    args = ["--set", "disclosure=no", "--reason", "Recorded by mistake"]
    assert _cli(data_dir, "amend", sid, *args) == 0
    out = capsys.readouterr().out
    assert "The computed level changed from" in out
    assert "your earlier judgement (Immediate danger) still sets the level" in out
    with Store.open(data_dir) as store:
        stored = store.load(sid)
        events = store.events(sid)
    judgement = stored.screening.judgement
    assert judgement is not None and judgement.level == "immediate"
    assert stored.level == "immediate"
    assert not any(e.kind == "judgement" and e.amendment for e in events)
    assert replay(events) == stored.screening


def test_plain_amend_lists_the_question_ids_and_answers_on_a_question_mark(data_dir: Path, done: str) -> None:
    # Found in use: the prompt wanted a question id and the only way to see them was to
    # leave and run `cse-screen show`.
    typed = io.StringIO("?\n\n")
    out = io.StringIO()
    with Amendment(data_dir, done, "dsl") as amendment:
        amend_prompts(amendment, Prompter(typed, out))
        questions = list(amendment.questionnaire.questions())
        answered = {qid for qid, a in amendment.screening.answers.items() if a.value is not None}
    text = out.getvalue()
    assert "? lists them" in text
    for question in questions:
        assert f"  {question.id}: {question.text} — now: " in text
    assert text.count("— now: (no answer)") == len(questions) - len(answered)


def test_an_amendment_reads_as_the_question_old_to_new_and_why_wherever_a_person_reads_it(
    data_dir: Path, done: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The tester's finding: "answer (amendment) │ worry │ reason" and "Amended the answer to
    # worry: reason" — the id, and no old or new answer, outside --json.
    monkeypatch.setenv("COLUMNS", "200")
    why = "Mixed up with another child"
    assert _cli(data_dir, "amend", done, "--set", "worry=no", "--reason", why) == 0
    capsys.readouterr()
    assert _cli(data_dir, "show", done, "--events") == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "Is there a worry?" in shown and "amended: Yes (note: seen at the park) → No" in shown
    assert "Final level" in shown and "Low → None" in shown and why in shown
    sentence = (
        "Amendment — Answer: Is there a worry? — Yes (note: seen at the park) → "
        f"No (note: seen at the park). Why: {why}"
    )
    assert _cli(data_dir, "child", "QX-7") == 0
    assert sentence in " ".join(capsys.readouterr().out.split())
    assert _cli(data_dir, "report", "--child", "QX-7", "-f", "md", "-o", "-") == 0
    report = capsys.readouterr().out
    assert sentence in " ".join(report.split()) and "answer to worry" not in report
    # The chronology report says whose record it is and puts the fired rules in words (the
    # rule `worried` is "Asked." in this invented questionnaire).
    top = report[: report.index("## Trend")]
    assert "QX-7 — Confidential" in top
    rows = [line for line in report.splitlines() if line.startswith(f"| {dt.date.today().isoformat()} ")]
    assert len(rows) == 1
    row = rows[0]
    assert "| Asked. |" in row and "worried" not in row
