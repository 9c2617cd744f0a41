"""Property tests: random valid questionnaires and answers never break the engine's promises.

The generated tools have random sections, choice and integer questions with random
weights, ``show_if`` on earlier questions, random rules (floors, set levels, immediate
risk) and bands built to cover every reachable score. A deliberately naive interpreter
below re-derives visibility and fired rules, so the compiled fast path is checked
against the plain reading of the format.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cse_screen.questionnaire.models import MultiChoiceQuestion, Questionnaire, SingleChoiceQuestion
from cse_screen.scoring import JudgementBelowFloor, evaluate, rule_floor, visible_questions
from cse_screen.screening import Answer, Judgement, Screening

LEVEL_IDS = ["none", "low", "moderate", "significant", "immediate"]
OPTION_IDS = ["yes", "possible", "no", "not_known"]
TAGS = ["risk", "sexual", "vuln"]

ids = st.sampled_from(OPTION_IDS)


@st.composite
def conditions(draw: st.DrawFn, earlier: list[dict[str, Any]], depth: int = 0) -> dict[str, Any]:
    """A condition over ``earlier`` questions (all kinds, nested up to depth 2)."""
    choice = [q for q in earlier if q["type"] in ("single", "multi")]
    integer = [q for q in earlier if q["type"] == "integer"]
    kinds = ["tagged"]
    if choice:
        kinds += ["answer", "answered"]
    if integer:
        kinds.append("number")
    if depth < 2:
        kinds += ["all", "any", "not"]
    kind = draw(st.sampled_from(kinds))
    if kind in ("all", "any"):
        return {kind: draw(st.lists(conditions(earlier, depth + 1), min_size=1, max_size=3))}
    if kind == "not":
        return {"not": draw(conditions(earlier, depth + 1))}
    if kind == "answer":
        q = draw(st.sampled_from(choice))
        return {
            "answer": {"question": q["id"], "in": draw(st.lists(ids, min_size=1, max_size=3, unique=True))}
        }
    if kind == "answered":
        return {"answered": draw(st.sampled_from(choice + integer))["id"]}
    if kind == "number":
        q = draw(st.sampled_from(integer))
        bound = draw(st.sampled_from(["below", "above", "at_least", "at_most"]))
        return {"number": {"question": q["id"], bound: draw(st.integers(0, 17))}}
    return {
        "tagged": {
            "tags": draw(st.lists(st.sampled_from(TAGS), min_size=1, max_size=2, unique=True)),
            "in": draw(st.lists(ids, min_size=1, max_size=2, unique=True)),
            "at_least": draw(st.integers(1, 3)),
        }
    }


@st.composite
def questionnaires(draw: st.DrawFn) -> dict[str, Any]:
    n_levels = draw(st.integers(2, 5))
    levels = [
        {"id": lv, "label": lv.title(), "icon": str(i), "next_steps": [f"Step for {lv}."]}
        for i, lv in enumerate(LEVEL_IDS[:n_levels])
    ]
    level = st.sampled_from(LEVEL_IDS[:n_levels])
    questions: list[dict[str, Any]] = []
    sections = []
    for s in range(draw(st.integers(1, 3))):
        section_questions = []
        for _ in range(draw(st.integers(1, 5))):
            qid = f"q{len(questions)}"
            kind = draw(st.sampled_from(["single", "single", "multi", "integer"]))
            q: dict[str, Any] = {"id": qid, "type": kind, "text": f"Question {qid}?"}
            if kind != "integer":
                q["options"] = (
                    "shared"
                    if draw(st.booleans())
                    else [
                        {
                            "id": o,
                            "label": o,
                            "weight": draw(st.integers(-2, 5)),
                            "not_known": o == "not_known",
                        }
                        for o in OPTION_IDS
                    ]
                )
                if draw(st.booleans()):
                    q["weights"] = {draw(ids): draw(st.integers(-2, 6))}
            q["tags"] = draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))
            if questions and draw(st.integers(0, 2)) == 0:
                q["show_if"] = draw(conditions(questions))
            questions.append(q)
            section_questions.append(q)
        sections.append({"id": f"s{s}", "title": f"Section {s}", "questions": section_questions})
    rules = []
    for r in range(draw(st.integers(0, 4))):
        rule: dict[str, Any] = {"id": f"r{r}", "when": draw(conditions(questions)), "reason": f"Rule {r}."}
        effect = draw(st.sampled_from(["min", "set", "both", "immediate"]))
        if effect in ("min", "both"):
            rule["min_level"] = draw(level)
        if effect in ("set", "both"):
            rule["set_level"] = draw(level)
        if effect == "immediate" or draw(st.booleans()):
            rule["immediate_risk"] = True
        rule["next_steps"] = draw(
            st.lists(st.sampled_from(["Act A.", "Act B.", "Step for low."]), max_size=2)
        )
        rules.append(rule)
    # Bands ascending from below the lowest reachable score, the last open-ended.
    cuts = sorted(draw(st.lists(st.integers(-5, 30), max_size=n_levels - 1, unique=True)))
    starts = [-1000, *cuts]
    bands = [
        {"min": lo, "max": (starts[i + 1] - 1) if i + 1 < len(starts) else None, "level": LEVEL_IDS[i]}
        for i, lo in enumerate(starts)
        if i < n_levels
    ]
    bands = [b for b in bands if b["max"] is None or b["max"] >= b["min"]]
    return {
        "id": "generated",
        "title": "Generated",
        "version": "1",
        "option_sets": {
            "shared": [
                {"id": o, "label": o, "weight": w, "not_known": o == "not_known"}
                for o, w in zip(OPTION_IDS, [3, 1, 0, 0], strict=True)
            ]
        },
        "sections": sections,
        "levels": levels,
        "rules": rules,
        "scoring": {"bands": bands},
        "final_line": "Tell your DSL if you are worried.",
    }


@st.composite
def answers_for(draw: st.DrawFn, raw: dict[str, Any]) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for section in raw["sections"]:
        for q in section["questions"]:
            if draw(st.integers(0, 3)) == 0:
                continue
            if q["type"] == "single":
                value: Any = draw(st.one_of(ids, st.none()))
            elif q["type"] == "multi":
                value = tuple(draw(st.lists(ids, max_size=3)))
            else:
                value = draw(st.integers(0, 17))
            answers[q["id"]] = Answer(value=value)
    return answers


# --------------------------------------------------------------------------- naive oracle


def _has(value: Any) -> bool:
    return value is not None and value != () and value != ""


def _chosen(value: Any) -> list[str]:
    if isinstance(value, int):
        return []
    return [value] if isinstance(value, str) else list(value)


def naive_holds(cond: Any, q: Questionnaire, shown: dict[str, Any]) -> bool:
    """Read a condition the slow, obvious way over ``shown`` (visible, answered questions)."""
    if cond.__class__.__name__ == "AllCondition":
        return all(naive_holds(c, q, shown) for c in cond.all)
    if cond.__class__.__name__ == "AnyCondition":
        return any(naive_holds(c, q, shown) for c in cond.any)
    if cond.__class__.__name__ == "NotCondition":
        return not naive_holds(cond.not_, q, shown)
    if cond.__class__.__name__ == "AnswerCondition":
        value = shown.get(cond.answer.question)
        return value is not None and any(o in cond.answer.in_ for o in _chosen(value))
    if cond.__class__.__name__ == "AnsweredCondition":
        return cond.answered in shown
    if cond.__class__.__name__ == "NumberCondition":
        t = cond.number
        value = shown.get(t.question)
        if not isinstance(value, int):
            return False
        checks = [(t.below, value < (t.below or 0)), (t.above, value > (t.above or 0))]
        checks += [(t.at_least, value >= (t.at_least or 0)), (t.at_most, value <= (t.at_most or 0))]
        return all(ok for bound, ok in checks if bound is not None)
    t = cond.tagged
    matches = [
        qq.id
        for qq in q.questions()
        if set(qq.tags) & set(t.tags) and qq.id in shown and any(o in t.in_ for o in _chosen(shown[qq.id]))
    ]
    return len(matches) >= t.at_least


def naive(q: Questionnaire, s: Screening) -> tuple[list[str], list[str]]:
    shown: dict[str, Any] = {}
    visible = []
    for question in q.questions():
        if question.show_if is None or naive_holds(question.show_if, q, shown):
            visible.append(question.id)
            if _has(s.value(question.id)):
                shown[question.id] = s.value(question.id)
    fired = [r.id for r in q.rules if naive_holds(r.when, q, shown)]
    return visible, fired


# --------------------------------------------------------------------------- properties


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # example count: the suite profile
@given(data=st.data())
def test_engine_keeps_its_promises(data: st.DataObject) -> None:
    raw = data.draw(questionnaires())
    q = Questionnaire.model_validate(raw)
    answers = data.draw(answers_for(raw))
    judged = data.draw(st.one_of(st.none(), st.sampled_from(q.level_ids())))
    rank = {lv: i for i, lv in enumerate(q.level_ids())}
    plain = Screening(questionnaire_id=q.id, answers=answers)

    result = evaluate(q, plain)  # never raises without a judgement

    top = len(rank) - 1
    # Immediate risk floors at the top level; otherwise a rule's min_level is its floor.
    fired_floors = [
        top if f.immediate_risk else rank[f.min_level]
        for f in result.fired
        if f.immediate_risk or f.min_level is not None
    ]
    assert rank[result.level] >= max(fired_floors, default=0)
    assert rank[result.computed_level] >= rank[result.floor_level]
    assert rank[result.floor_level] == max(fired_floors, default=0)
    assert result.score == sum(c.points for c in result.contributions)
    assert all(c.points != 0 for c in result.contributions)
    assert result.next_steps and result.final_line
    # No completeness declared: required or scored questions count, and only they make a
    # lowest-level result incomplete.
    gaps = set(result.not_known) | set(result.unanswered)
    by_id = {question.id: question for question in q.questions()}

    def counts(qid: str) -> bool:
        question = by_id[qid]
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            return question.required or any(o.weight for o in q.options_of(question))
        return question.required

    assert set(result.to_find_out) == {qid for qid in gaps if counts(qid)}
    assert result.incomplete == (result.computed_level == q.level_ids()[0] and bool(result.to_find_out))
    assert result.immediate_risk == any(f.immediate_risk for f in result.fired)

    shown = visible_questions(q, plain)
    expected_visible, expected_fired = naive(q, plain)
    assert shown == expected_visible
    assert [f.id for f in result.fired] == expected_fired
    assert not set(result.hidden_answered) & set(shown)
    assert set(result.not_known) <= set(shown) and set(result.unanswered) <= set(shown)
    assert {c.question_id for c in result.contributions} <= set(shown)
    assert rule_floor(q, plain) == result.floor_level
    assert evaluate(q, plain) == result  # deterministic

    if judged is not None:
        with_judgement = plain.model_copy(
            update={"judgement": Judgement(level=judged, reason="Invented reason.")}
        )
        if rank[judged] < rank[result.floor_level]:
            try:
                evaluate(q, with_judgement)
            except JudgementBelowFloor as exc:
                assert exc.floor == result.floor_level
            else:
                raise AssertionError("a judgement below the floor was accepted")
        else:
            judged_result = evaluate(q, with_judgement)
            assert judged_result.level == judged
            assert judged_result.computed_level == result.computed_level
            assert judged_result.level_label == q.level(judged).label
