"""The wizard session (session/wizard.py): navigation, visibility, required answers, danger, judgement."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from wizard_support import FIXED_NOW

from cse_screen.errors import InvalidAnswer
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.values import parse_typed
from cse_screen.screening import Answer, DangerAcknowledgement, Screening, ScreeningMeta
from cse_screen.session import NotAllowed, WizardSession
from support import RecordingSaver


def session(mini: LoadedQuestionnaire, **kw: Any) -> WizardSession:
    return WizardSession(mini, now=lambda: FIXED_NOW, **kw)


def test_starts_at_first_question_and_counts_visible_only(mini: LoadedQuestionnaire) -> None:
    s = session(mini)
    assert s.current_id == "age"
    # images_shared is hidden until online_concern is a yes/possible.
    assert "images_shared" not in s.visible
    assert s.progress_text() == f"Question 1 of {len(s.visible)}"
    assert [sp.section.id for sp in s.sections()] == ["about", "safety", "warning", "voice"]


def test_required_question_cannot_be_skipped_or_passed(mini: LoadedQuestionnaire) -> None:
    s = session(mini)
    assert not s.can_skip()
    assert s.skip() is False
    assert s.next() is False
    assert s.current_id == "age"
    s.answer("age", Answer(value=14))
    assert s.next() is True
    assert s.current_id == "immediate_danger"
    assert s.skip() is True
    assert s.current_id == "disclosure"
    assert s.missing_required() == ["practitioner_analysis"]


def test_show_if_applies_live_and_hidden_answers_are_reported(mini: LoadedQuestionnaire) -> None:
    s = session(mini)
    s.answer("online_concern", Answer(value="yes_recent"))
    assert "images_shared" in s.visible
    s.answer("images_shared", Answer(value="yes_recent", note="invented note"))
    assert s.result().level == "significant"
    out = s.answer("online_concern", Answer(value="no"))
    assert out.newly_hidden_answered == ("images_shared",)
    assert s.hidden_answered() == ["images_shared"]
    # The answer is kept, but no longer counts.
    assert s.screening.value("images_shared") == "yes_recent"
    assert out.result.level == "none"
    with pytest.raises(NotAllowed):
        s.goto("images_shared")


def test_position_follows_the_current_question_when_visibility_changes(mini: LoadedQuestionnaire) -> None:
    s = session(mini)
    s.goto("missing_episodes")
    before = s.position
    s.answer("online_concern", Answer(value="possible"))
    assert s.current_id == "missing_episodes"
    assert s.position == before + 1


def test_immediate_risk_is_reported_once_at_the_moment_it_fires(mini: LoadedQuestionnaire) -> None:
    saver = RecordingSaver()
    s = session(mini, saver=saver)
    s.answer("age", Answer(value=15))
    out = s.answer("immediate_danger", Answer(value="yes"))
    assert out.immediate_risk_triggered
    assert out.result.level == "immediate"
    assert [r.id for r in out.newly_fired] == ["danger"]
    again = s.answer("disclosure", Answer(value="no"))
    assert not again.immediate_risk_triggered
    ack = s.acknowledge_danger("calling_now")
    assert ack == DangerAcknowledgement(action="calling_now", at=FIXED_NOW)
    assert s.screening.danger_acknowledgements == (ack,)
    assert ("ack", ack) in saver.calls
    assert ("answer", ("immediate_danger", Answer(value="yes"))) in saver.calls


def test_disclosure_brings_its_rule_guidance(mini: LoadedQuestionnaire) -> None:
    s = session(mini)
    out = s.answer("disclosure", Answer(value="yes"))
    assert not out.immediate_risk_triggered
    (rule,) = out.newly_fired
    assert rule.id == "disclosure"
    assert any("exact words" in step for step in out.result.next_steps)


def test_judgement_can_raise_but_not_lower_below_the_floor(mini: LoadedQuestionnaire) -> None:
    saver = RecordingSaver()
    s = session(mini, saver=saver)
    s.answer("disclosure", Answer(value="yes"))
    assert s.floor_level() == "significant"
    with pytest.raises(InvalidAnswer, match="cannot go below 'Significant concern'.*one disclosure"):
        s.set_judgement("moderate", "I think it is less serious")
    assert s.screening.judgement is None
    with pytest.raises(InvalidAnswer, match="reason"):
        s.set_judgement("immediate", "  ")
    result = s.set_judgement("immediate", "The child is scared to go home tonight")
    assert result.level == "immediate"
    assert result.computed_level == "significant"
    assert saver.calls[-1][0] == "judgement"
    assert s.clear_judgement().level == "significant"


def test_choosing_the_computed_level_records_no_judgement(mini: LoadedQuestionnaire) -> None:
    saver = RecordingSaver()
    s = session(mini, saver=saver)
    s.answer("immediate_danger", Answer(value="yes"))
    assert s.result().computed_level == "immediate"
    with pytest.raises(InvalidAnswer, match="cannot go below"):
        s.set_judgement("significant", "Police already attending")
    calls = len(saver.calls)
    # "Keep" is not a judgement: nothing is saved, and the refused reason is not used.
    result = s.set_judgement("immediate", "Police already attending")
    assert s.screening.judgement is None and result.judgement is None
    assert len(saver.calls) == calls
    assert s.keeps_computed("immediate") and not s.keeps_computed("significant")
    # An earlier judgement is cleared by choosing the computed level (in the trail).
    s.answer("immediate_danger", Answer(value="no"))
    s.set_judgement("significant", "Worried after what she said")
    assert s.screening.judgement is not None
    s.set_judgement(s.result().computed_level, "")
    assert s.screening.judgement is None
    assert saver.calls[-1] == ("judgement", None)


def test_navigation_back_goto_and_review(mini: LoadedQuestionnaire) -> None:
    saver = RecordingSaver()
    s = session(mini, saver=saver)
    assert s.back() is False
    s.goto_section("warning")
    assert s.current_id == "online_concern"
    assert ("position", "online_concern") in saver.calls
    s.back()
    assert s.current_id == "disclosure"
    s.goto_review()
    assert s.at_end and s.current_id is None and s.progress_text() == "Review"
    assert s.next() is False
    s.back()
    assert s.current_id == s.visible[-1]


def test_resume_at_saved_position_or_first_unanswered(mini: LoadedQuestionnaire) -> None:
    draft = Screening(questionnaire_id="mini-screening", answers={"age": Answer(value=12)})
    assert session(mini, screening=draft).current_id == "immediate_danger"
    assert session(mini, screening=draft, position="missing_episodes").current_id == "missing_episodes"


def test_meta_is_kept_and_saved(mini: LoadedQuestionnaire) -> None:
    saver = RecordingSaver()
    s = session(mini, saver=saver)
    meta = ScreeningMeta(
        child_ref="AB-07", practitioner="Sam Teacher", role="Teacher", date=dt.date(2025, 3, 14)
    )
    s.set_meta(meta)
    assert s.screening.meta == meta
    assert saver.calls == [("meta", meta)]


def test_notes_and_values_change_independently(mini: LoadedQuestionnaire) -> None:
    s = session(mini)
    s.set_note("missing_episodes", "Seen at the bus station late", "observed")
    assert s.screening.answers["missing_episodes"] == Answer(
        note="Seen at the bus station late", source="observed"
    )
    s.set_value("missing_episodes", "possible")
    assert s.screening.answers["missing_episodes"].note == "Seen at the bus station late"
    s.set_note("missing_episodes", "", None)
    assert s.screening.answers["missing_episodes"] == Answer(value="possible")
    s.set_value("missing_episodes", None)
    assert "missing_episodes" not in s.screening.answers


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("age", " 12 ", 12),
        ("age", "", None),
        ("seen_on", "2025-03-01", "2025-03-01"),
        ("practitioner_analysis", "  worried  ", "worried"),
        ("child_words", "line one\nline two\n", "line one\nline two"),
        ("information_sources", "observed, child", ("observed", "child")),
    ],
)
def test_parse_typed_accepts(mini: LoadedQuestionnaire, qid: str, text: str, expected: object) -> None:
    q = mini.questionnaire
    question = next(x for x in q.questions() if x.id == qid)
    assert parse_typed(q, question, text) == expected


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        ("age", "twelve", "takes a whole number"),
        ("age", "18", "adult safeguarding.*between 0 and 17"),
        ("seen_on", "14/03/2025", "YYYY-MM-DD"),
        ("seen_on", "20250314", "not a valid date"),
        ("information_sources", "observed, gossip", "not an option of question"),
    ],
)
def test_parse_typed_refuses_with_a_fix(mini: LoadedQuestionnaire, qid: str, text: str, message: str) -> None:
    q = mini.questionnaire
    question = next(x for x in q.questions() if x.id == qid)
    with pytest.raises(InvalidAnswer, match=message):
        parse_typed(q, question, text)


def test_answer_refuses_an_unknown_option(mini: LoadedQuestionnaire) -> None:
    s = session(mini)
    with pytest.raises(InvalidAnswer, match="options: yes, no, not_known"):
        s.answer("immediate_danger", Answer(value="maybe"))
    assert "immediate_danger" not in s.screening.answers


def test_judgement_below_an_immediate_risk_rule_without_min_level_says_why() -> None:
    # The flow once named only rules with a min_level, so this refusal lost its "because".
    from cse_screen.questionnaire.loader import load_questionnaire_text
    from support import MINI

    text = MINI.read_text(encoding="utf-8").replace("    min_level: immediate\n", "", 1)
    loaded = load_questionnaire_text(text)
    danger = next(r for r in loaded.questionnaire.rules if r.id == "danger")
    assert danger.immediate_risk and danger.min_level is None  # the case under test
    s = WizardSession(loaded)
    s.answer("immediate_danger", Answer(value="yes"))
    with pytest.raises(InvalidAnswer) as info:
        s.set_judgement("low", "Invented reason")
    assert f"cannot go below 'Immediate danger' because: {danger.reason}" in str(info.value)
    assert "rule 'danger'" not in str(info.value)  # in words: no ids for the practitioner
    assert "('immediate')" not in str(info.value)
    assert s.screening.judgement is None
