"""The wizard's per-answer update gives exactly what a full engine pass gives.

:class:`cse_screen.scoring.incremental.LiveAnswers` re-evaluates only what reads the changed
answer (issue 16: a key costs the same at 5,000 questions as at 50). Over random
questionnaires (``show_if`` on earlier questions, tagged conditions whose holders come
before and after, rules of every kind) and random sequences of answers, changes and
removals, the session must agree with :func:`cse_screen.scoring.evaluate_visible` after
every step: which questions are asked, the answers kept for hidden ones, the rules that
fire, and what each answer's outcome reports.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties_engine import OPTION_IDS, questionnaires

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.scoring import evaluate_visible
from cse_screen.scoring.incremental import LiveAnswers, reads
from cse_screen.screening import Answer, Screening
from cse_screen.session import WizardSession
from support import MINI, load


def _value(draw: st.DrawFn, kind: str) -> Any:
    if kind == "single":
        return draw(st.one_of(st.sampled_from(OPTION_IDS), st.none()))
    if kind == "multi":
        return tuple(draw(st.lists(st.sampled_from(OPTION_IDS), max_size=3, unique=True))) or None
    return draw(st.one_of(st.integers(0, 17), st.none()))


def _agrees(session: WizardSession) -> None:
    q, s = session.questionnaire, session.screening
    visible, result = evaluate_visible(q, s, sha256=session.loaded.sha256, strict_judgement=False)
    assert session.visible == visible
    assert all(session.is_visible(x.id) == (x.id in visible) for x in q.questions())
    assert tuple(session.hidden_answered()) == result.hidden_answered
    assert session.immediate_risk == result.immediate_risk
    assert session.result() == result
    if not session.at_end:
        assert session.visible.index(session.current_id or "") == session.position


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # example count: the suite profile
@given(data=st.data())
def test_each_answer_updates_as_a_full_pass_would(data: st.DataObject) -> None:
    raw = data.draw(questionnaires())
    q = Questionnaire.model_validate(raw)
    loaded = LoadedQuestionnaire(q, "0" * 64, "")
    kinds = {x["id"]: x["type"] for s in raw["sections"] for x in s["questions"]}
    session = WizardSession(loaded)
    _agrees(session)
    for _ in range(data.draw(st.integers(1, 25))):
        qid = data.draw(st.sampled_from(sorted(kinds)))
        value = _value(data.draw, kinds[qid])
        before = session.result()
        if data.draw(st.booleans()):
            # Move somewhere first: keeping the position across a change is part of the promise.
            target = data.draw(st.sampled_from(session.visible)) if session.visible else None
            if target is not None:
                session.goto(target)
        out = session.answer(qid, None if value is None else Answer(value=value))
        _agrees(session)
        after = session.result()
        fired_before = {r.id for r in before.fired}
        assert out.result == after
        assert out.immediate_risk_triggered == (after.immediate_risk and not before.immediate_risk)
        assert out.newly_fired == tuple(r for r in after.fired if r.id not in fired_before)
        hidden_before = set(before.hidden_answered)
        assert out.newly_hidden_answered == tuple(x for x in after.hidden_answered if x not in hidden_before)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_draft_opens_as_a_full_pass_would(data: st.DataObject) -> None:
    raw = data.draw(questionnaires())
    q = Questionnaire.model_validate(raw)
    kinds = {x["id"]: x["type"] for s in raw["sections"] for x in s["questions"]}
    answers = {}
    for qid, kind in kinds.items():
        value = _value(data.draw, kind)
        if value is not None:
            answers[qid] = Answer(value=value)
    screening = Screening(questionnaire_id=q.id, answers=answers)
    live = LiveAnswers(q, screening)
    visible, result = evaluate_visible(q, screening)
    assert live.visible == visible
    assert live.fired() == result.fired
    assert live.hidden_answered() == result.hidden_answered


def test_the_bundled_flow_agrees_answer_by_answer() -> None:
    # The mini tool: show_ifs, tagged rules and an immediate-risk rule, answered in order.
    loaded = load(MINI)
    session = WizardSession(loaded)
    for question in loaded.questionnaire.questions():
        if session.is_visible(question.id) and hasattr(question, "options"):
            options = session.options(question)  # type: ignore[arg-type]
            session.set_value(question.id, options[0].id if question.type == "single" else (options[0].id,))
            _agrees(session)


def test_reads_names_every_question_a_condition_can_depend_on() -> None:
    q = load(MINI).questionnaire
    from cse_screen.questionnaire.index import index_of

    index = index_of(q)
    for rule in q.rules:
        read = reads(rule.when, index)
        assert read and read <= set(index.by_id)


def test_a_show_if_never_counts_a_later_tagged_answer() -> None:
    # q2's show_if counts questions tagged "risk"; q3 carries the tag but comes later, so it
    # never counts for q2 (the engine builds the answers in asking order).
    yn = [{"id": "yes", "label": "Yes"}, {"id": "no", "label": "No"}]
    raw = {
        "id": "later-tags",
        "title": "Later tags",
        "version": "1",
        "sections": [
            {
                "id": "s",
                "title": "S",
                "questions": [
                    {"id": "q1", "type": "single", "text": "One?", "options": yn, "tags": ["risk"]},
                    {
                        "id": "q2",
                        "type": "single",
                        "text": "Two?",
                        "options": yn,
                        "show_if": {"tagged": {"tags": ["risk"], "in": ["yes"], "at_least": 1}},
                    },
                    {"id": "q3", "type": "single", "text": "Three?", "options": yn, "tags": ["risk"]},
                ],
            }
        ],
        "levels": [
            {"id": "none", "label": "None", "next_steps": ["Keep in mind."]},
            {"id": "low", "label": "Low", "next_steps": ["Tell the DSL."]},
        ],
        "scoring": {"bands": [{"min": 0, "level": "none"}]},
        "final_line": "Tell your DSL if you are worried.",
    }
    q = Questionnaire.model_validate(raw)
    session = WizardSession(LoadedQuestionnaire(q, "0" * 64, ""))
    session.set_value("q3", "yes")
    session.set_value("q1", "no")  # q2 is looked at again: q3's "yes" must not count
    _agrees(session)
    assert not session.is_visible("q2")
    session.set_value("q1", "yes")
    _agrees(session)
    assert session.is_visible("q2")
