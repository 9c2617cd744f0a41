"""The rules engine: conditions, visibility, score, rules, judgement, next steps."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from typing import Any

import pytest
from test_engine_support import questionnaire, screening, single

from cse_screen.errors import UserError
from cse_screen.questionnaire.index import index_of
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.scoring import (
    InvalidAnswer,
    JudgementBelowFloor,
    UnknownLevel,
    evaluate,
    rule_floor,
    visible_questions,
)


def shown_when(condition: dict[str, Any], qid: str = "target") -> dict[str, Any]:
    return single(qid, show_if=condition)


def visible(q: Any, answers: dict[str, Any]) -> list[str]:
    return visible_questions(q, screening(answers))


# --------------------------------------------------------------------------- conditions


class TestAnswerCondition:
    def test_single_choice_in_list(self) -> None:
        q = questionnaire([single("a"), shown_when({"answer": {"question": "a", "in": ["yes", "possible"]}})])
        assert "target" in visible(q, {"a": "possible"})
        assert "target" not in visible(q, {"a": "no"})
        assert "target" not in visible(q, {})

    def test_multi_choice_any_chosen(self) -> None:
        multi = {
            "id": "m",
            "type": "multi",
            "text": "Which?",
            "options": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}, {"id": "z", "label": "Z"}],
        }
        q = questionnaire([multi, shown_when({"answer": {"question": "m", "in": ["y"]}})])
        assert "target" in visible(q, {"m": ["x", "y"]})
        assert "target" not in visible(q, {"m": ["x", "z"]})
        assert "target" not in visible(q, {"m": []})


class TestAnsweredCondition:
    def test_any_value_counts_but_empty_does_not(self) -> None:
        q = questionnaire(
            [{"id": "name", "type": "text", "text": "Initials"}, shown_when({"answered": "name"})]
        )
        assert "target" in visible(q, {"name": "AB"})
        assert "target" not in visible(q, {"name": ""})
        assert "target" not in visible(q, {"name": None})
        assert "target" not in visible(q, {})

    def test_zero_is_an_answer(self) -> None:
        q = questionnaire(
            [{"id": "n", "type": "integer", "text": "How many?"}, shown_when({"answered": "n"})]
        )
        assert "target" in visible(q, {"n": 0})


class TestNumberCondition:
    @pytest.mark.parametrize(
        ("bounds", "holds_for", "fails_for"),
        [
            ({"below": 13}, [0, 12], [13, 17]),
            ({"above": 15}, [16], [15, 3]),
            ({"at_least": 13}, [13, 17], [12]),
            ({"at_most": 12}, [12, 0], [13]),
            ({"at_least": 13, "at_most": 15}, [13, 14, 15], [12, 16]),
            ({"above": 10, "below": 12}, [11], [10, 12]),
        ],
    )
    def test_bounds(self, bounds: dict[str, int], holds_for: list[int], fails_for: list[int]) -> None:
        q = questionnaire(
            [
                {"id": "age", "type": "integer", "text": "Age"},
                shown_when({"number": {"question": "age", **bounds}}),
            ]
        )
        for age in holds_for:
            assert "target" in visible(q, {"age": age}), age
        for age in fails_for:
            assert "target" not in visible(q, {"age": age}), age

    def test_no_answer_is_false_even_under_not(self) -> None:
        q = questionnaire(
            [
                {"id": "age", "type": "integer", "text": "Age"},
                shown_when({"number": {"question": "age", "below": 13}}, "young"),
                shown_when({"not": {"number": {"question": "age", "below": 13}}}, "not_young"),
            ]
        )
        shown = visible(q, {})
        assert "young" not in shown
        assert "not_young" in shown  # "not below 13" holds when the age is unknown


class TestTaggedCondition:
    def make(self, at_least: int = 1, tags: Any = "sexual") -> Any:
        return questionnaire(
            [
                single("a", tags=["sexual"]),
                single("b", tags=["risk"]),
                single("c", tags=["sexual", "risk"]),
                shown_when({"tagged": {"tags": tags, "in": ["yes", "possible"], "at_least": at_least}}),
            ]
        )

    def test_any_tagged_question_matches(self) -> None:
        q = self.make()
        assert "target" in visible(q, {"c": "possible"})
        assert "target" not in visible(q, {"b": "yes"})  # b is not tagged sexual
        assert "target" not in visible(q, {"a": "no", "c": "not_known"})

    def test_at_least_counts_questions(self) -> None:
        q = self.make(at_least=2)
        assert "target" not in visible(q, {"a": "yes"})
        assert "target" in visible(q, {"a": "yes", "c": "possible"})

    def test_several_tags_count_each_question_once(self) -> None:
        q = self.make(at_least=2, tags=["sexual", "risk"])
        assert "target" not in visible(q, {"c": "yes"})  # c carries both tags but is one question
        assert "target" in visible(q, {"b": "yes", "c": "yes"})

    def test_hidden_tagged_questions_do_not_count(self) -> None:
        q = questionnaire(
            [
                single("gate"),
                single("a", tags=["sexual"], show_if={"answer": {"question": "gate", "in": ["yes"]}}),
            ],
            rules=[
                {
                    "id": "sexual",
                    "when": {"tagged": {"tags": ["sexual"], "in": ["yes"]}},
                    "min_level": "significant",
                    "reason": "A sexual indicator.",
                }
            ],
        )
        assert evaluate(q, screening({"gate": "yes", "a": "yes"})).fired[0].id == "sexual"
        assert evaluate(q, screening({"gate": "no", "a": "yes"})).fired == ()


def test_nested_all_any_not() -> None:
    condition = {
        "all": [
            {
                "any": [
                    {"answer": {"question": "a", "in": ["yes"]}},
                    {"number": {"question": "age", "below": 13}},
                ]
            },
            {"not": {"answer": {"question": "b", "in": ["no"]}}},
        ]
    }
    q = questionnaire(
        [single("a"), single("b"), {"id": "age", "type": "integer", "text": "Age"}, shown_when(condition)]
    )
    assert "target" in visible(q, {"a": "yes"})
    assert "target" in visible(q, {"age": 9, "b": "possible"})
    assert "target" not in visible(q, {"a": "yes", "b": "no"})
    assert "target" not in visible(q, {"a": "no", "age": 14})


# --------------------------------------------------------------------------- visibility


def chain() -> Any:
    """a -> b (if a yes) -> c (if b yes); rules and weights look at b and c."""
    return questionnaire(
        [
            single("a"),
            single("b", show_if={"answer": {"question": "a", "in": ["yes"]}}),
            single("c", show_if={"answer": {"question": "b", "in": ["yes"]}}),
        ],
        rules=[
            {
                "id": "c-yes",
                "when": {"answer": {"question": "c", "in": ["yes"]}},
                "min_level": "significant",
                "reason": "C was answered yes.",
            }
        ],
    )


def test_hidden_answer_hides_its_dependents() -> None:
    q = chain()
    s = screening({"a": "no", "b": "yes", "c": "yes"})
    # b is hidden, so its yes counts as absent and c is hidden too.
    assert visible_questions(q, s) == ["a"]
    result = evaluate(q, s)
    assert result.hidden_answered == ("b", "c")
    assert result.score == 0
    assert result.fired == ()
    assert result.computed_level == "none"
    assert any("no longer asked" in r for r in result.reasons)


def test_stale_answers_count_again_once_visible() -> None:
    q = chain()
    result = evaluate(q, screening({"a": "yes", "b": "yes", "c": "yes"}))
    assert result.hidden_answered == ()
    assert result.score == 15
    assert [f.id for f in result.fired] == ["c-yes"]
    assert result.level == "significant"


def test_condition_on_a_later_question_sees_it_as_absent() -> None:
    # The loader rejects this; the engine still gives a defined answer rather than crashing.
    q = questionnaire([single("first", show_if={"answered": "second"}), single("second")])
    assert visible(q, {"first": "yes", "second": "yes"}) == ["second"]


def test_unanswered_lists_only_visible_choice_and_integer_questions() -> None:
    q = questionnaire(
        [
            single("a"),
            single("b", show_if={"answer": {"question": "a", "in": ["yes"]}}),
            {"id": "age", "type": "integer", "text": "Age"},
            {"id": "words", "type": "long_text", "text": "In their words"},
            {"id": "when", "type": "date", "text": "Date"},
        ]
    )
    assert evaluate(q, screening()).unanswered == ("a", "age")
    assert evaluate(q, screening({"a": "yes"})).unanswered == ("b", "age")


# --------------------------------------------------------------------------- score and bands


def test_score_sums_weights_with_per_question_overrides() -> None:
    multi = {
        "id": "m",
        "type": "multi",
        "text": "Which?",
        "options": [{"id": "x", "label": "X", "weight": 2}, {"id": "y", "label": "Y", "weight": 3}],
        "weights": {"y": 4},
    }
    q = questionnaire([single("a"), single("b", weights={"yes": 1}), multi])
    result = evaluate(q, screening({"a": "yes", "b": "yes", "m": ["x", "y"]}))
    assert result.score == 5 + 1 + 6
    assert [(c.question_id, c.option_ids, c.points) for c in result.contributions] == [
        ("a", ("yes",), 5),
        ("b", ("yes",), 1),
        ("m", ("x", "y"), 6),
    ]
    assert result.band_level == "significant"


def test_zero_points_are_not_contributions() -> None:
    result = evaluate(questionnaire([single("a"), single("b")]), screening({"a": "no", "b": "possible"}))
    assert [c.question_id for c in result.contributions] == ["b"]
    assert result.band_level == "low"


def test_repeated_multi_option_counts_once() -> None:
    multi = {"id": "m", "type": "multi", "text": "?", "options": [{"id": "x", "label": "X", "weight": 2}]}
    assert evaluate(questionnaire([multi]), screening({"m": ["x", "x"]})).score == 2


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"a": "no"}, "none"),  # score 0 below the first band's min of 1: clamp up
        ({"a": "yes", "b": "yes", "c": "yes"}, "moderate"),  # 15 above the last max: clamp down
        ({"a": "yes"}, "moderate"),  # 5 is in a gap 4..6: equidistant -> the higher band
        ({"a": "possible", "b": "possible", "c": "possible"}, "low"),  # 3 in 1..3
    ],
)
def test_bands_clamp_to_nearest(answers: dict[str, str], expected: str) -> None:
    bands = [{"min": 1, "max": 3, "level": "low"}, {"min": 6, "max": 9, "level": "moderate"}]
    q = questionnaire([single("a"), single("b"), single("c")], bands=bands)
    if expected == "none":
        expected = "low"  # below every band: the lowest band
    assert evaluate(q, screening(answers)).band_level == expected


# --------------------------------------------------------------------------- rules

AGE = {"id": "age", "type": "integer", "text": "Age"}
UNDER_13 = {"number": {"question": "age", "below": 13}}


def rules_tool() -> Any:
    return questionnaire(
        [AGE, single("danger"), single("disclosure"), single("a", tags=["risk"]), single("b", tags=["risk"])],
        rules=[
            {
                "id": "young-with-risk",
                "when": {"all": [UNDER_13, {"tagged": {"tags": "risk", "in": ["yes", "possible"]}}]},
                "min_level": "moderate",
                "reason": "Under 13 with a risk indicator.",
                "next_steps": ["Consider the child's age."],
            },
            {
                "id": "disclosure",
                "when": {"answer": {"question": "disclosure", "in": ["yes"]}},
                "min_level": "significant",
                "reason": "The child disclosed abuse.",
                "next_steps": ["Write down the child's words.", "Tell the DSL today, in person."],
            },
            {
                "id": "danger",
                "when": {"answer": {"question": "danger", "in": ["yes"]}},
                "set_level": "immediate",
                "immediate_risk": True,
                "reason": "The child is in immediate danger.",
                "next_steps": ["Call 999 now."],
            },
        ],
    )


def test_floor_raises_a_low_band() -> None:
    result = evaluate(rules_tool(), screening({"age": 11, "a": "possible"}))
    assert result.band_level == "low"
    assert result.floor_level == "moderate"
    assert result.computed_level == result.level == "moderate"
    assert result.reasons[0] == "Under 13 with a risk indicator."
    assert any("cannot be lower than Moderate concern" in r for r in result.reasons)


def test_floor_does_not_lower_a_higher_band() -> None:
    result = evaluate(rules_tool(), screening({"age": 11, "a": "yes", "b": "yes"}))
    assert result.band_level == "significant"
    assert result.floor_level == "moderate"
    assert result.computed_level == "significant"


def test_highest_floor_wins_and_all_rules_fire_in_file_order() -> None:
    result = evaluate(rules_tool(), screening({"age": 10, "a": "yes", "disclosure": "yes"}))
    assert [f.id for f in result.fired] == ["young-with-risk", "disclosure"]
    assert result.floor_level == "significant"
    assert result.level == "significant"


def test_set_level_replaces_band_and_flags_immediate_risk() -> None:
    result = evaluate(rules_tool(), screening({"danger": "yes"}))
    assert result.immediate_risk is True
    assert result.band_level == "moderate"
    assert result.computed_level == "immediate"
    # set_level is not a floor, but immediate risk is: always the top level, so neither a
    # judgement nor a tool that forgot min_level can show "call 999" beside a lower level.
    assert result.floor_level == "immediate"
    assert result.next_steps[0] == "Call 999 now."
    assert result.reasons[0] == "The child is in immediate danger."


def test_set_level_can_lower_the_band_but_not_below_a_floor() -> None:
    q = questionnaire(
        [single("a"), single("b"), single("calm")],
        rules=[
            {
                "id": "calm",
                "when": {"answer": {"question": "calm", "in": ["yes"]}},
                "set_level": "low",
                "reason": "Settles at low.",
            },
            {
                "id": "b-floor",
                "when": {"answer": {"question": "b", "in": ["yes"]}},
                "min_level": "moderate",
                "reason": "B needs moderate.",
            },
        ],
    )
    assert evaluate(q, screening({"a": "yes", "calm": "yes"})).computed_level == "low"  # band moderate
    assert evaluate(q, screening({"a": "yes", "b": "yes", "calm": "yes"})).computed_level == "moderate"


def test_highest_set_level_wins() -> None:
    q = questionnaire(
        [single("a"), single("b")],
        rules=[
            {"id": "r1", "when": {"answered": "a"}, "set_level": "significant", "reason": "R1."},
            {"id": "r2", "when": {"answered": "b"}, "set_level": "low", "reason": "R2."},
        ],
    )
    assert evaluate(q, screening({"a": "no", "b": "no"})).computed_level == "significant"


def test_rule_floor_helper() -> None:
    q = rules_tool()
    assert rule_floor(q, screening()) == "none"
    assert rule_floor(q, screening({"age": 12, "b": "possible"})) == "moderate"
    assert rule_floor(q, screening({"disclosure": "yes"})) == "significant"
    assert rule_floor(q, screening({"disclosure": "yes", "danger": "yes"})) == "immediate"


def test_immediate_risk_floors_at_the_top_level_even_without_min_level() -> None:
    q = rules_tool()
    danger = next(r for r in q.rules if r.id == "danger")
    assert danger.immediate_risk and danger.min_level is None  # the case under test
    with pytest.raises(JudgementBelowFloor) as info:
        evaluate(q, screening({"danger": "yes"}, judgement=("low", "Seems fine now.")))
    assert info.value.rule_ids == ("danger",)


def test_a_saved_judgement_below_a_new_floor_is_lifted_not_an_error_when_not_strict() -> None:
    # Judged "low" earlier; a later answer (danger now) must not make the wizard fail.
    q = rules_tool()
    s = screening({"danger": "yes"}, judgement=("low", "Nothing worrying at the time."))
    result = evaluate(q, s, strict_judgement=False)
    assert result.level == "immediate" and result.immediate_risk
    assert any("recorded before later answers" in r for r in result.reasons)
    assert result.judgement is not None and result.judgement.level == "low"  # kept for the record


def test_lowering_by_judgement_to_the_lowest_level_with_gaps_is_incomplete() -> None:
    q = rules_tool()
    gaps = screening({"a": "possible"}, judgement=("none", "Explained by a family event."))
    result = evaluate(q, gaps)
    assert result.computed_level != "none" and result.level == "none"
    assert result.incomplete is True


# --------------------------------------------------------------------------- not known / incomplete


def test_not_known_makes_a_none_result_incomplete() -> None:
    q = questionnaire([single("a"), single("b")])
    result = evaluate(q, screening({"a": "no", "b": "not_known"}))
    assert result.level == "none"
    assert result.not_known == ("b",)
    assert result.unanswered == ()
    assert result.incomplete is True
    assert result.next_steps[0] == q.incomplete_message
    assert q.incomplete_message in result.reasons


def test_unanswered_makes_a_none_result_incomplete() -> None:
    result = evaluate(questionnaire([single("a"), single("b")]), screening({"a": "no"}))
    assert result.unanswered == ("b",)
    assert result.incomplete is True


def test_complete_none_result_is_not_incomplete() -> None:
    q = questionnaire([single("a"), single("b")])
    result = evaluate(q, screening({"a": "no", "b": "no"}))
    assert result.incomplete is False
    assert q.incomplete_message not in result.next_steps
    assert result.next_steps == ("Stay curious.",)


def test_higher_result_with_not_known_is_not_incomplete() -> None:
    result = evaluate(questionnaire([single("a"), single("b")]), screening({"a": "yes", "b": "not_known"}))
    assert result.level == "moderate"
    assert result.not_known == ("b",)
    assert result.incomplete is False


def test_not_known_in_a_multi_choice() -> None:
    multi = {
        "id": "m",
        "type": "multi",
        "text": "?",
        "options": [{"id": "x", "label": "X"}, {"id": "dk", "label": "Not known", "not_known": True}],
    }
    assert evaluate(questionnaire([multi]), screening({"m": ["x", "dk"]})).not_known == ("m",)


# --------------------------------------------------------------------------- judgement


def test_judgement_raises_with_reason() -> None:
    q = questionnaire([single("a")])
    result = evaluate(q, screening({"a": "no"}, judgement=("significant", "Seen with an older man twice.")))
    assert result.computed_level == "none"
    assert result.level == "significant"
    assert result.level_label == "Significant concern"
    assert result.level_icon == "◕"
    assert result.next_steps[:2] == ("Tell the DSL today, in person.", "Record decisions and reasons.")
    assert result.reasons[-1] == (
        "Professional judgement raised the level from No concern identified to Significant concern: "
        "Seen with an older man twice."
    )
    assert result.judgement is not None and result.judgement.level == "significant"


def test_judgement_may_lower_down_to_the_floor() -> None:
    q = rules_tool()
    s = screening(
        {"age": 9, "a": "yes", "b": "yes"}, judgement=("moderate", "Known to services; plan in place.")
    )
    result = evaluate(q, s)
    assert result.computed_level == "significant"
    assert result.floor_level == "moderate"
    assert result.level == "moderate"
    assert "lowered the level" in result.reasons[-1]


def test_judgement_below_floor_is_refused_naming_floor_and_rules() -> None:
    q = rules_tool()
    s = screening({"disclosure": "yes"}, judgement=("low", "The child later said it was a joke."))
    with pytest.raises(JudgementBelowFloor) as info:
        evaluate(q, s)
    message = str(info.value)
    assert info.value.floor == "significant" and info.value.rule_ids == ("disclosure",)
    disclosure = next(r for r in q.rules if r.id == "disclosure")
    assert f"cannot go below {q.level('significant').label!r} because: {disclosure.reason}" in message
    assert "'disclosure'" not in message  # in words: the rule's reason, not its id
    assert "joke" not in message  # the practitioner's reason is never echoed
    assert isinstance(info.value, UserError)


def test_judgement_unknown_level() -> None:
    with pytest.raises(InvalidAnswer, match="the judgement names a level that does not exist"):
        evaluate(questionnaire([single("a")]), screening(judgement=("urgent", "Because.")))


def test_judgement_same_level_is_recorded() -> None:
    result = evaluate(questionnaire([single("a")]), screening({"a": "yes"}, judgement=("moderate", "Agree.")))
    assert result.level == result.computed_level == "moderate"
    assert result.reasons[-1] == "Professional judgement kept the level at Moderate concern: Agree."


# --------------------------------------------------------------------------- next steps


def test_next_steps_most_urgent_first_without_duplicates() -> None:
    q = rules_tool()
    result = evaluate(q, screening({"age": 8, "a": "yes", "disclosure": "yes", "danger": "yes"}))
    assert result.level == "immediate"
    assert result.next_steps == (
        "Call 999 now.",  # immediate-risk rule first (and the level's identical step is not repeated)
        "Write down the child's words.",  # then the significant rule
        "Tell the DSL today, in person.",
        "Consider the child's age.",  # then the moderate rule
    )
    assert result.final_line.startswith("If you are worried")


def test_incomplete_message_follows_level_steps_when_judgement_raises() -> None:
    q = questionnaire([single("a")])
    result = evaluate(
        q, screening({"a": "not_known"}, judgement=("moderate", "Worried by the child's words."))
    )
    assert result.incomplete is True
    assert result.next_steps == ("Discuss with the DSL today.", q.incomplete_message)


# --------------------------------------------------------------------------- bad answers


@pytest.mark.parametrize(
    ("questions", "answers", "match"),
    [
        ([single("a")], {"a": "maybe"}, "not an option of question 'a'"),
        ([single("a")], {"a": ("yes",)}, "question 'a' takes one option, not a list"),
        ([{"id": "age", "type": "integer", "text": "Age"}], {"age": "twelve"}, "'age' takes a whole number"),
        ([{"id": "w", "type": "text", "text": "Words"}], {"w": 3}, "'w' takes text"),
    ],
)
def test_invalid_answers_are_user_errors(questions: Any, answers: Any, match: str) -> None:
    with pytest.raises(InvalidAnswer, match=match) as info:
        evaluate(questionnaire(questions), screening(answers))
    assert "twelve" not in str(info.value)


def test_invalid_hidden_answer_is_still_reported() -> None:
    q = questionnaire([single("a"), single("b", show_if={"answer": {"question": "a", "in": ["yes"]}})])
    with pytest.raises(InvalidAnswer, match="not an option of question 'b'"):
        evaluate(q, screening({"a": "no", "b": "bogus"}))


def test_answers_to_unknown_questions_are_ignored() -> None:
    result = evaluate(questionnaire([single("a")]), screening({"a": "no", "gone": "yes"}))
    assert result.score == 0 and result.hidden_answered == ()


# --------------------------------------------------------------------------- identity and purity


def test_sha256_defaults_to_canonical_json_and_can_be_given() -> None:
    q = questionnaire([single("a")])
    assert evaluate(q, screening()).questionnaire.sha256 == LoadedQuestionnaire.from_model(q).sha256
    assert evaluate(q, screening(), sha256="ab" * 32).questionnaire.sha256 == "ab" * 32
    ref = evaluate(q, screening()).questionnaire
    assert (ref.id, ref.version) == ("test-tool", "1")


def test_deterministic() -> None:
    q = rules_tool()
    answers = {"age": 11, "a": "possible", "b": "not_known", "disclosure": "no"}
    first = evaluate(q, screening(answers))
    assert evaluate(q, screening(answers)) == first
    # A fresh but equal questionnaire (a separate index) gives an equal result.
    assert evaluate(rules_tool(), screening(answers)) == first
    assert first.model_dump_json() == evaluate(rules_tool(), screening(answers)).model_dump_json()


def test_index_is_built_once_and_released_with_the_questionnaire() -> None:
    from cse_screen.questionnaire.index import _INDEX

    q = questionnaire([single("a")])
    first = index_of(q)
    again = index_of(q)
    assert again is first
    evaluate(q, screening({"a": "yes"}))  # fills the engine's compiled cache too
    alive = weakref.ref(q)
    key = id(q)
    del q
    gc.collect()
    # Neither the index nor the compiled rules keep the questionnaire alive.
    assert alive() is None
    assert key not in _INDEX._entries


def test_unknown_level_in_a_rule_is_a_user_error() -> None:
    q = questionnaire(
        [single("a")], rules=[{"id": "r", "when": {"answered": "a"}, "min_level": "severe", "reason": "R."}]
    )
    with pytest.raises(UnknownLevel, match="rule 'r': unknown level 'severe'"):
        evaluate(q, screening())


def test_scoring_does_not_import_textual() -> None:
    code = "import sys, cse_screen.scoring; assert 'textual' not in sys.modules and 'rich' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_rescoring_the_same_questionnaire_follows_each_change() -> None:
    # The engine caches per-answer points; a changed answer must never reuse a stale entry.
    q = questionnaire([single("a"), single("b")])
    seen = []
    for a, b in [("yes", "no"), ("no", "no"), ("possible", "yes"), ("yes", "no"), ("not_known", "possible")]:
        result = evaluate(q, screening({"a": a, "b": b}))
        seen.append((result.score, result.not_known))
    assert seen == [(5, ()), (0, ()), (6, ()), (5, ()), (1, ("a",))]
