"""The bundled CSE screening tool: the id contract, the domain rules, the bands, the wording.

Every child here is invented. Screenings are built with the bundled file as loaded by the
real loader, and scored by the real engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_screen.bundled import bundled_path
from cse_screen.language import check_text
from cse_screen.questionnaire.answers import case_screening
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.questionnaire.models import (
    ChoiceQuestion,
    IntegerQuestion,
    LongTextQuestion,
    MultiChoiceQuestion,
    Question,
    Questionnaire,
    SingleChoiceQuestion,
)
from cse_screen.scoring import JudgementBelowFloor, Result, evaluate
from cse_screen.screening import Answer, AnswerValue, Judgement, Screening

INDICATOR_OPTIONS = ["yes_recent", "yes_earlier", "possible", "no", "not_known"]
YES_NO_NOT_KNOWN = ["yes", "no", "not_known"]

RISK = [
    "staying_out_late",
    "multiple_callers",
    "phone_use_concern",
    "expressions_of_despair",
    "education_disengaged",
    "sti",
    "gang_association",
    "substance_use",
    "sexualised_behaviour",
    "secretiveness",
    "online_concern",
    "peers_exploited",
    "sexual_activity",
]
SIGNIFICANT = [
    "unexplained_gifts",
    "missing_episodes",
    "older_controlling_relationship",
    "vehicles_unknown_adults",
    "risky_locations",
    "assault_signs",
    "images_shared",
]
SEXUAL = {
    "sti",
    "sexualised_behaviour",
    "sexual_activity",
    "older_controlling_relationship",
    "assault_signs",
    "images_shared",
}
VULNERABILITIES = [
    "prior_abuse_neglect",
    "unstable_home",
    "bereavement_loss",
    "social_isolation",
    "no_safe_space_sexuality",
    "economic_vulnerability",
    "insecure_housing",
    "family_sex_work",
    "disability",
    "in_care",
]
STRENGTHS = ["trusted_adult", "positive_activity", "supportive_carer"]
YES_OR_POSSIBLE = ["yes_recent", "yes_earlier", "possible"]


@pytest.fixture(scope="module")
def loaded() -> LoadedQuestionnaire:
    return load_questionnaire(bundled_path("cse-screening"))


@pytest.fixture(scope="module")
def tool(loaded: LoadedQuestionnaire) -> Questionnaire:
    return loaded.questionnaire


def question(tool: Questionnaire, qid: str) -> Question:
    return next(q for q in tool.questions() if q.id == qid)


def choice(tool: Questionnaire, qid: str) -> ChoiceQuestion:
    q = question(tool, qid)
    assert isinstance(q, SingleChoiceQuestion | MultiChoiceQuestion)
    return q


def option_ids(tool: Questionnaire, qid: str) -> list[str]:
    return [o.id for o in tool.options_of(choice(tool, qid))]


def screen(
    tool: Questionnaire, answers: Mapping[str, AnswerValue], judgement: Judgement | None = None
) -> Result:
    """Score invented answers; immediate safety defaults to "no" unless given."""
    values: dict[str, AnswerValue] = {"immediate_danger": "no", "disclosure": "no", **answers}
    screening = Screening(
        questionnaire_id=tool.id,
        answers={qid: Answer(value=v) for qid, v in values.items()},
        judgement=judgement,
    )
    return evaluate(tool, screening)


def all_answered(tool: Questionnaire, **overrides: AnswerValue) -> dict[str, AnswerValue]:
    """Every question answered "no" (strengths "yes"), age 14, then the overrides."""
    answers: dict[str, AnswerValue] = {"age": 14}
    for qid in [*RISK, *SIGNIFICANT, *VULNERABILITIES]:
        answers[qid] = "no"
    for qid in STRENGTHS:
        answers[qid] = "yes"
    answers["information_sources"] = ("observed",)
    answers["practitioner_analysis"] = "Invented analysis for a test."
    answers.update(overrides)
    return answers


# --------------------------------------------------------------------------- loading and contract


def test_the_bundled_file_loads_cleanly_with_the_real_loader(loaded: LoadedQuestionnaire) -> None:
    assert loaded.questionnaire.id == "cse-screening"
    assert loaded.warnings == ()
    assert re.fullmatch(r"[0-9a-f]{64}", loaded.sha256)


def test_yes_and_no_option_ids_stay_strings(tool: Questionnaire) -> None:
    # YAML 1.1 readers turn bare yes/no into booleans; the file quotes them.
    assert option_ids(tool, "disclosure") == ["yes", "no"]
    assert option_ids(tool, "immediate_danger") == YES_NO_NOT_KNOWN


def test_every_contract_question_is_present_once(tool: Questionnaire) -> None:
    ids = [q.id for q in tool.questions()]
    expected = [
        "age",
        "immediate_danger",
        "disclosure",
        *RISK,
        *SIGNIFICANT,
        *VULNERABILITIES,
        *STRENGTHS,
        "child_words",
        "practitioner_analysis",
        "information_sources",
        # Not in the domain brief's contract: a follow-up to expressions_of_despair that
        # drives the immediate-safety step (issue 10, item 6).
        "not_wanting_to_live",
    ]
    assert sorted(ids) == sorted(expected)
    assert len(ids) == len(set(ids))


def test_age_is_asked_first_then_immediate_safety_before_any_indicator(tool: Questionnaire) -> None:
    ids = [q.id for q in tool.questions()]
    assert ids[:3] == ["age", "immediate_danger", "disclosure"]
    first_indicator = min(ids.index(q) for q in [*RISK, *SIGNIFICANT])
    assert first_indicator == 3


def test_age_is_a_required_whole_number_for_children_only(tool: Questionnaire) -> None:
    age = question(tool, "age")
    assert isinstance(age, IntegerQuestion)
    assert (age.required, age.min, age.max) == (True, 0, 17)
    assert age.out_of_range is not None
    assert "18" in age.out_of_range and "adult safeguarding" in age.out_of_range


@pytest.mark.parametrize(
    ("qid", "kind", "other"),
    [(q, "risk", "significant") for q in RISK] + [(q, "significant", "risk") for q in SIGNIFICANT],
)
def test_indicators_use_the_indicator_answers_and_tags(
    tool: Questionnaire, qid: str, kind: str, other: str
) -> None:
    q = choice(tool, qid)
    assert isinstance(q, SingleChoiceQuestion)
    assert option_ids(tool, qid) == INDICATOR_OPTIONS
    assert {"indicator", kind} <= set(q.tags)
    assert other not in q.tags
    assert ("sexual" in q.tags) is (qid in SEXUAL)


@pytest.mark.parametrize("qid", VULNERABILITIES)
def test_vulnerabilities_score_one_point_for_yes(tool: Questionnaire, qid: str) -> None:
    q = choice(tool, qid)
    assert q.tags == ["vulnerability"]
    options = tool.options_of(q)
    assert [o.id for o in options] == YES_NO_NOT_KNOWN
    assert [o.weight for o in options] == [1, 0, 0]


@pytest.mark.parametrize("qid", STRENGTHS)
def test_strengths_are_shown_but_never_scored(tool: Questionnaire, qid: str) -> None:
    q = choice(tool, qid)
    assert q.tags == ["strength"]
    options = tool.options_of(q)
    assert [o.id for o in options] == YES_NO_NOT_KNOWN
    assert all(o.weight == 0 for o in options)


def test_not_known_is_marked_on_exactly_the_not_known_options(tool: Questionnaire) -> None:
    for q in tool.questions():
        if isinstance(q, SingleChoiceQuestion | MultiChoiceQuestion):
            for o in tool.options_of(q):
                assert o.not_known is (o.id == "not_known"), (q.id, o.id)


def test_the_child_voice_and_analysis_questions(tool: Questionnaire) -> None:
    words = question(tool, "child_words")
    analysis = question(tool, "practitioner_analysis")
    assert isinstance(words, LongTextQuestion) and not words.required
    assert isinstance(analysis, LongTextQuestion) and analysis.required
    sources = question(tool, "information_sources")
    assert isinstance(sources, MultiChoiceQuestion)
    assert option_ids(tool, "information_sources") == [
        "observed",
        "child_told_me",
        "parent_carer",
        "another_professional",
        "peers",
        "records",
    ]


def test_every_question_is_short_and_has_full_guidance(tool: Questionnaire) -> None:
    for q in tool.questions():
        assert len(q.text) <= 200, q.id
        assert q.guidance is not None, q.id
        assert q.guidance.means and q.guidance.look_for and q.guidance.ask, q.id


def test_every_section_has_a_short_intro(tool: Questionnaire) -> None:
    for section in tool.sections:
        assert section.intro is not None and 0 < len(section.intro) <= 300, section.id


def test_levels_are_ordered_and_never_rely_on_colour(tool: Questionnaire) -> None:
    assert tool.level_ids() == ["none", "low", "moderate", "significant", "immediate"]
    icons = [lv.icon for lv in tool.levels]
    assert all(icons) and len(set(icons)) == len(icons)
    labels = [lv.label for lv in tool.levels]
    assert len(set(labels)) == len(labels)
    assert all(lv.summary and lv.next_steps for lv in tool.levels)


def test_level_next_steps_say_what_the_domain_brief_asks(tool: Questionnaire) -> None:
    steps = {lv.id: " ".join(lv.next_steps) for lv in tool.levels}
    assert tool.level("immediate").next_steps[0].startswith("Call the police on 999")
    assert "DSL" in steps["immediate"] and "child's own words" in steps["immediate"]
    assert "today, in person" in steps["significant"] and "same day" in steps["significant"]
    assert "today" in steps["moderate"] and "3 months" in steps["moderate"]
    assert "DSL" in steps["low"] and "monitoring" in steps["low"]
    assert "does not mean the child is not being exploited" in steps["none"]


def test_final_line_tells_everyone_about_the_dsl_999_and_direct_referral(tool: Questionnaire) -> None:
    line = tool.final_line
    assert "DSL" in line and "999" in line and "children's social care" in line
    assert "Anyone" in line


# --------------------------------------------------------------------------- bands and weights


def _max_points(tool: Questionnaire, q: ChoiceQuestion) -> int:
    weights = [o.weight for o in tool.options_of(q)]
    return sum(w for w in weights if w > 0) if isinstance(q, MultiChoiceQuestion) else max(weights)


def test_bands_cover_every_reachable_score_without_gaps_or_overlaps(tool: Questionnaire) -> None:
    choices = [q for q in tool.questions() if isinstance(q, SingleChoiceQuestion | MultiChoiceQuestion)]
    top = sum(_max_points(tool, q) for q in choices)
    assert top == 71  # documented at the top of the YAML
    covered: list[int] = []
    for band in tool.scoring.bands:
        upper = top if band.max is None else band.max
        covered.extend(range(band.min, upper + 1))
    assert covered == list(range(top + 1))
    assert [b.level for b in tool.scoring.bands] == ["none", "low", "moderate", "significant"]


@pytest.mark.parametrize(
    ("qid", "weights"),
    [("staying_out_late", [2, 1, 1, 0, 0]), ("missing_episodes", [5, 2, 2, 0, 0])],
)
def test_recent_signs_weigh_more_than_earlier_or_possible_ones(
    tool: Questionnaire, qid: str, weights: list[int]
) -> None:
    assert [o.weight for o in tool.options_of(choice(tool, qid))] == weights


def test_the_highest_possible_screening_scores_71(tool: Questionnaire) -> None:
    answers: dict[str, AnswerValue] = {"age": 16}
    answers.update({qid: "yes_recent" for qid in [*RISK, *SIGNIFICANT]})
    answers.update({qid: "yes" for qid in [*VULNERABILITIES, *STRENGTHS]})
    result = screen(tool, answers)
    assert result.score == 71
    assert result.level == "significant"


# --------------------------------------------------------------------------- domain rules


def test_rule_1_danger_now_is_immediate_and_999_comes_first(tool: Questionnaire) -> None:
    result = screen(tool, {"age": 14, "immediate_danger": "yes"})
    assert result.level == "immediate" and result.immediate_risk
    assert "999" in result.next_steps[0]
    assert result.floor_level == "immediate"


def test_rule_1_near_miss_no_danger_is_not_immediate(tool: Questionnaire) -> None:
    result = screen(tool, all_answered(tool, staying_out_late="yes_recent"))
    assert result.level == "low" and not result.immediate_risk


def test_danger_not_known_must_be_checked_first(tool: Questionnaire) -> None:
    result = screen(tool, {"age": 14, "immediate_danger": "not_known"})
    assert result.level == "moderate" and not result.immediate_risk
    assert "safe" in result.next_steps[0]
    assert "immediate_danger" in result.not_known


def test_rule_2_a_disclosure_alone_is_significant_with_disclosure_steps(tool: Questionnaire) -> None:
    result = screen(tool, {"age": 15, "disclosure": "yes"})
    assert result.level == "significant"
    steps = " ".join(result.next_steps)
    assert "secret" in steps and "exact words" in steps and "DSL today" in steps
    # The rule's steps on responding to a disclosure come before the level's general ones.
    exact_words = next(i for i, s in enumerate(result.next_steps) if "exact words" in s)
    assert exact_words < result.next_steps.index(tool.level("significant").next_steps[0])


def test_rule_2_near_miss_no_disclosure(tool: Questionnaire) -> None:
    assert screen(tool, all_answered(tool)).level == "none"


@pytest.mark.parametrize("qid", SIGNIFICANT)
def test_rule_3_a_recent_significant_sign_is_significant(tool: Questionnaire, qid: str) -> None:
    assert screen(tool, {"age": 16, qid: "yes_recent"}).level == "significant"


@pytest.mark.parametrize("qid", SIGNIFICANT)
@pytest.mark.parametrize("value", ["yes_earlier", "possible"])
def test_rule_3_an_earlier_or_possible_significant_sign_is_moderate(
    tool: Questionnaire, qid: str, value: str
) -> None:
    result = screen(tool, {"age": 16, qid: value})
    assert result.floor_level == "moderate"
    assert result.level == "moderate"


def test_rule_3_near_miss_a_recent_risk_sign_is_not_significant(tool: Questionnaire) -> None:
    assert screen(tool, {"age": 16, "multiple_callers": "yes_recent"}).level == "low"


@pytest.mark.parametrize("qid", sorted(SEXUAL))
@pytest.mark.parametrize("value", YES_OR_POSSIBLE)
def test_rule_4_under_13_with_any_sexual_sign_is_significant(
    tool: Questionnaire, qid: str, value: str
) -> None:
    result = screen(tool, {"age": 12, qid: value})
    assert result.level == "significant"
    assert "under_13_sexual" in {f.id for f in result.fired}


def test_rule_4_near_miss_at_13_the_consent_rule_applies_instead(tool: Questionnaire) -> None:
    result = screen(tool, {"age": 13, "sexual_activity": "possible"})
    assert result.level == "moderate"
    assert {f.id for f in result.fired} == {"age_13_to_15_sexual"}
    assert any("age gap" in s and "coercion" in s for s in result.next_steps)


def test_rule_4_near_miss_sexual_signs_answered_no(tool: Questionnaire) -> None:
    result = screen(tool, all_answered(tool, age=12))
    assert result.level == "none" and not result.fired


@pytest.mark.parametrize("qid", RISK)
def test_rule_5_under_13_with_any_risk_sign_is_at_least_moderate(tool: Questionnaire, qid: str) -> None:
    result = screen(tool, {"age": 12, qid: "possible"})
    assert result.floor_level in ("moderate", "significant")
    assert result.level in ("moderate", "significant")


def test_rule_5_a_disabled_child_with_a_risk_sign_is_at_least_moderate(tool: Questionnaire) -> None:
    answers = all_answered(tool, age=16, disability="yes", secretiveness="yes_earlier")
    result = screen(tool, answers)
    assert result.score == 2  # band: low
    assert result.level == "moderate"


def test_rule_5_near_misses(tool: Questionnaire) -> None:
    assert screen(tool, {"age": 13, "staying_out_late": "possible"}).level == "low"
    assert screen(tool, {"age": 16, "disability": "yes"}).level == "low"
    assert screen(tool, {"age": 16, "disability": "not_known", "secretiveness": "possible"}).level == "low"


def test_rule_9_age_16_keeps_the_reminder_that_cse_applies_up_to_18(tool: Questionnaire) -> None:
    result = screen(tool, {"age": 16, "sexual_activity": "yes_recent"})
    assert result.level == "low"
    assert any("18" in f.reason for f in result.fired)


def test_rule_7_all_no_is_none_and_complete(tool: Questionnaire) -> None:
    result = screen(tool, all_answered(tool))
    assert (result.level, result.score, result.incomplete) == ("none", 0, False)
    assert result.not_known == () and result.unanswered == ()


def test_rule_7_not_known_answers_are_counted_and_make_none_incomplete(tool: Questionnaire) -> None:
    result = screen(tool, all_answered(tool, online_concern="not_known", in_care="not_known"))
    assert result.level == "none" and result.incomplete
    assert set(result.not_known) == {"online_concern", "in_care"}
    assert tool.incomplete_message in result.next_steps


def test_rule_7_missing_answers_make_none_incomplete(tool: Questionnaire) -> None:
    result = screen(tool, {"age": 10})
    assert result.level == "none" and result.incomplete
    assert "staying_out_late" in result.unanswered


def test_rule_8_judgement_can_raise(tool: Questionnaire) -> None:
    judged = Judgement(level="significant", reason="The DSL holds more information about this child.")
    result = screen(tool, {"age": 14, "staying_out_late": "yes_recent"}, judged)
    assert (result.computed_level, result.level) == ("low", "significant")


def test_rule_8_judgement_can_lower_to_the_floor_but_not_below(tool: Questionnaire) -> None:
    recent = {qid: "yes_recent" for qid in RISK[:5]} | {"gang_association": "yes_recent"}
    answers: dict[str, AnswerValue] = {"age": 11, **recent}
    to_floor = Judgement(level="moderate", reason="Explained by a family emergency, confirmed by the nurse.")
    result = screen(tool, answers, to_floor)
    assert (result.computed_level, result.floor_level, result.level) == (
        "significant",
        "moderate",
        "moderate",
    )
    below = Judgement(level="low", reason="Invented reason for a test.")
    with pytest.raises(JudgementBelowFloor, match="cannot go below 'Moderate concern'") as info:
        screen(tool, answers, below)
    assert info.value.rule_ids == ("under_13_or_disability",)  # named in words in the message


# --------------------------------------------------------------------------- built-in cases


def test_every_built_in_case_passes(loaded: LoadedQuestionnaire) -> None:
    tool = loaded.questionnaire
    failures = []
    for case in tool.cases:
        result = evaluate(tool, case_screening(tool, case), sha256=loaded.sha256)
        expect = case.expect
        got = (result.level, result.immediate_risk, result.incomplete, {f.id for f in result.fired})
        want = (
            expect.level,
            result.immediate_risk if expect.immediate_risk is None else expect.immediate_risk,
            result.incomplete if expect.incomplete is None else expect.incomplete,
            {f.id for f in result.fired} if expect.rules is None else set(expect.rules),
        )
        if got != want:
            failures.append(f"{case.name}: got {got}, expected {want}")
    assert not failures, "\n".join(failures)


def test_cases_exercise_every_rule_firing_and_not_firing(tool: Questionnaire) -> None:
    for rule in tool.rules:
        fired_in = [c.name for c in tool.cases if c.expect.rules is not None and rule.id in c.expect.rules]
        quiet_in = [
            c.name for c in tool.cases if c.expect.rules is not None and rule.id not in c.expect.rules
        ]
        assert fired_in, f"no case fires rule {rule.id}"
        assert quiet_in, f"no case shows rule {rule.id} not firing"


def test_cases_cover_every_band_incomplete_and_judgement(tool: Questionnaire) -> None:
    band_only = {c.expect.level for c in tool.cases if c.expect.rules == [] and c.judgement is None}
    assert band_only == {"none", "low", "moderate", "significant"}
    assert any(c.expect.incomplete is True for c in tool.cases)
    assert any(c.expect.incomplete is False and c.expect.level == "none" for c in tool.cases)
    judged = [c for c in tool.cases if c.judgement is not None]
    assert len(judged) >= 2


def test_case_answers_only_name_real_questions(tool: Questionnaire) -> None:
    ids = {q.id for q in tool.questions()}
    for case in tool.cases:
        assert set(case.answers) <= ids, case.name


# --------------------------------------------------------------------------- wording


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def test_no_victim_blaming_language_anywhere_in_the_tool(tool: Questionnaire) -> None:
    texts = list(_strings(tool.model_dump(by_alias=True)))
    assert len(texts) > 200
    flagged = [(t[f.start : f.end], f.phrase) for t in texts for f in check_text(t)]
    assert flagged == []


def test_signposting_names_the_national_services(tool: Questionnaire) -> None:
    names = " ".join(s.name for s in tool.signposting)
    for service in [
        "Childline",
        "Report Remove",
        "NSPCC",
        "Barnardo's",
        "PACE",
        "The Children's Society",
        "NWG",
        "Victim support",
    ]:
        assert service in names


# Phone numbers checked against the service's own page; any other number is an invention.
VERIFIED_NUMBERS = {
    "0808 800 5000",  # NSPCC Helpline, nspcc.org.uk "Report abuse"
    "0800 1111",  # Childline's free 24-hour line
}


def test_no_unverified_phone_numbers(tool: Questionnaire) -> None:
    for s in tool.signposting:
        for number in re.findall(r"\b0\d[\d ]{6,}\d\b", s.contact or ""):
            assert number in VERIFIED_NUMBERS, f"{s.name}: {number} is not a verified number"


def test_no_local_numbers_are_hard_coded(tool: Questionnaire) -> None:
    data = tool.model_dump(by_alias=True)
    # The fallback for a setting with no contacts file names the national numbers (101, 999)
    # while telling the reader to use their own: it is the one place they belong.
    data["framing"].pop("no_contacts")
    everything = " ".join(_strings(data))
    assert "101" not in re.findall(r"\b\d{3}\b", everything)


# --------------------------------------------------------------------------- properties

_CHOICE_VALUES: dict[str, list[str]] = {
    **{qid: INDICATOR_OPTIONS for qid in [*RISK, *SIGNIFICANT]},
    **{qid: YES_NO_NOT_KNOWN for qid in [*VULNERABILITIES, *STRENGTHS, "immediate_danger"]},
    "disclosure": ["yes", "no"],
}


@st.composite
def invented_screenings(draw: st.DrawFn) -> dict[str, AnswerValue]:
    answers: dict[str, AnswerValue] = {"age": draw(st.integers(0, 17))}
    for qid, values in _CHOICE_VALUES.items():
        value = draw(st.none() | st.sampled_from(values))
        if value is not None:
            answers[qid] = value
    return answers


@given(answers=invented_screenings())
def test_the_domain_floors_hold_for_any_answers(tool: Questionnaire, answers: dict[str, AnswerValue]) -> None:
    screening = Screening(questionnaire_id=tool.id, answers={k: Answer(value=v) for k, v in answers.items()})
    result = evaluate(tool, screening)
    rank = {lv: i for i, lv in enumerate(tool.level_ids())}
    level = rank[result.level]
    age = answers["age"]
    assert isinstance(age, int)
    yes_or_possible = {qid for qid, v in answers.items() if v in YES_OR_POSSIBLE}
    assert level >= rank[result.floor_level]
    if answers.get("immediate_danger") == "yes":
        assert result.level == "immediate" and result.immediate_risk
    else:
        assert not result.immediate_risk
    if answers.get("disclosure") == "yes":
        assert level >= rank["significant"]
    if any(answers.get(qid) == "yes_recent" for qid in SIGNIFICANT):
        assert level >= rank["significant"]
    if yes_or_possible & set(SIGNIFICANT):
        assert level >= rank["moderate"]
    if age < 13 and yes_or_possible & SEXUAL:
        assert level >= rank["significant"]
    if (age < 13 or answers.get("disability") == "yes") and yes_or_possible:
        assert level >= rank["moderate"]
    if result.level == "none" and len(answers) < len(_CHOICE_VALUES) + 1:
        assert result.incomplete
    assert result.final_line == tool.final_line
