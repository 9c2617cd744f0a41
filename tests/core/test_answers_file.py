"""Answers files: short and long forms, every kind of mistake on its line, nothing echoed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from loader_support import MINI, col_of, line_of, replace, write

from cse_screen.questionnaire.answers import case_screening, load_answers, parse_answers
from cse_screen.questionnaire.loaded import Problem, QuestionnaireError
from cse_screen.questionnaire.loader import load_questionnaire_text
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.screening import Answer

GOOD = """\
answers:
  age: 14
  staying_out: yes_recent
  gifts:
    answer: no
    note: "Said the trainers came from an older cousin (invented example)"
    source: child_said
  sources: [observed, told]
  words: "I just go to the park"
  seen_on: 2026-11-20
judgement: {level: high, reason: Pattern seen over two weeks.}
details: {child_ref: "ZZ-01", practitioner: "A. Teacher", date: 2026-11-21}
"""


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire_text(MINI).questionnaire


def problems(q: Questionnaire, tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(QuestionnaireError) as info:
        load_answers(write(tmp_path, text, "answers.yaml"), q)
    return info.value.problems


def one(q: Questionnaire, tmp_path: Path, text: str) -> Problem:
    (p,) = problems(q, tmp_path, text)
    assert p.path.endswith("answers.yaml")
    return p


def test_good_answers_file(q: Questionnaire, tmp_path: Path) -> None:
    s = load_answers(write(tmp_path, GOOD, "answers.yaml"), q)
    assert s.questionnaire_id == "mini"
    assert s.answers["age"] == Answer(value=14)
    assert s.answers["staying_out"].value == "yes_recent"
    assert s.answers["gifts"] == Answer(
        value="no", note="Said the trainers came from an older cousin (invented example)", source="child_said"
    )
    assert s.answers["sources"].value == ("observed", "told")
    assert s.answers["seen_on"].value == "2026-11-20"
    assert s.judgement is not None and s.judgement.level == "high"
    assert s.meta.child_ref == "ZZ-01" and s.meta.date == dt.date(2026, 11, 21)


def test_json_answers(q: Questionnaire, tmp_path: Path) -> None:
    path = write(tmp_path, '{"answers": {"age": 9, "staying_out": "no", "sources": ["told"]}}', "a.json")
    s = load_answers(path, q)
    assert s.value("age") == 9 and s.value("sources") == ("told",)


def test_unknown_question_suggests_closest(q: Questionnaire, tmp_path: Path) -> None:
    text = replace(GOOD, "  staying_out: yes_recent", "  stayingout: yes_recent")
    p = one(q, tmp_path, text)
    assert (p.line, p.col) == (line_of(text, "stayingout"), 3)
    assert p.message == "unknown question id 'stayingout'"
    assert p.hint == "did you mean 'staying_out'?"


def test_option_that_does_not_exist_names_the_valid_ones(q: Questionnaire, tmp_path: Path) -> None:
    text = replace(GOOD, "  staying_out: yes_recent", "  staying_out: yes")
    p = one(q, tmp_path, text)
    assert (p.line, p.col) == (line_of(text, "staying_out: yes"), col_of(text, "yes"))
    assert p.message == "not an option of question 'staying_out'"
    assert p.hint == "did you mean 'yes_recent'? options: yes_recent, no, not_known"


def test_yaml11_no_is_an_option_id(q: Questionnaire, tmp_path: Path) -> None:
    s = load_answers(write(tmp_path, "answers: {staying_out: no, gifts: {answer: no}}\n"), q)
    assert s.value("staying_out") == "no" and s.value("gifts") == "no"


def test_age_out_of_range_uses_the_questionnaire_message(q: Questionnaire, tmp_path: Path) -> None:
    text = replace(GOOD, "  age: 14", "  age: 18")
    p = one(q, tmp_path, text)
    assert (p.line, p.col) == (2, 8)
    assert p.message == "18 or over: use adult safeguarding."
    assert p.hint == "the answer to 'age' must be between 0 and 17"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  age: 14", '  age: "fourteen"', "question 'age' takes a whole number"),
        ("  age: 14", "  age: true", "question 'age' takes a whole number"),
        (
            "  staying_out: yes_recent",
            "  staying_out: [no]",
            "question 'staying_out' takes one option, not a list",
        ),
        ('  words: "I just go to the park"', "  words: [a, b]", "question 'words' takes text"),
        ("  seen_on: 2026-11-20", "  seen_on: 2026-02-30", "the answer to 'seen_on' is not a valid date"),
        ("  seen_on: 2026-11-20", "  seen_on: 20/11/2026", "the answer to 'seen_on' is not a valid date"),
        ("    source: child_said", "    source: teacher", "unknown source for 'gifts'"),
        (
            "  sources: [observed, told]",
            "  sources: [observed, friend]",
            "not an option of question 'sources'",
        ),
    ],
)
def test_wrong_values_are_reported_on_their_line(
    q: Questionnaire, tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = replace(GOOD, old, new)
    p = one(q, tmp_path, text)
    assert p.line == line_of(text, new.strip())
    assert p.message == message


def test_text_over_max_length(q: Questionnaire, tmp_path: Path) -> None:
    text = replace(GOOD, '  words: "I just go to the park"', "  words: " + "x" * 51)
    p = one(q, tmp_path, text)
    assert p.message == "the answer to 'words' is longer than 50 characters"


def test_judgement_level_must_exist_and_have_a_reason(q: Questionnaire, tmp_path: Path) -> None:
    text = replace(
        GOOD, "judgement: {level: high, reason: Pattern seen over two weeks.}", "judgement: {level: urgent}"
    )
    ps = problems(q, tmp_path, text)
    by_message = {p.message: p for p in ps}
    assert set(by_message) == {
        "the judgement names a level that does not exist",
        "the judgement needs a reason",
    }
    level = by_message["the judgement names a level that does not exist"]
    assert (level.line, level.col) == (line_of(text, "judgement:"), col_of(text, "urgent"))
    assert level.hint == "use one of low, high"


def test_details_errors_do_not_echo_values(q: Questionnaire, tmp_path: Path) -> None:
    text = replace(GOOD, "date: 2026-11-21}", "date: Tuesday the 5th, nickname: Secret}")
    ps = problems(q, tmp_path, text)
    joined = "\n".join(str(p) for p in ps)
    assert "Tuesday" not in joined and "Secret" not in joined
    assert any("unknown key 'nickname'" in p.message for p in ps)


def test_problems_never_quote_answers_or_notes(q: Questionnaire, tmp_path: Path) -> None:
    secret = "Canary-Person-7781"
    text = (
        "answers:\n"
        f"  age: {secret}\n"
        f"  staying_out: {secret}\n"
        f"  gifts: {{answer: {secret}, note: [{secret}], source: {secret}}}\n"
        f"  seen_on: {secret}\n"
        f"  sources: [{secret}]\n"
        f"judgement: {{level: {secret}, reason: {secret}}}\n"
    )
    ps = problems(q, tmp_path, text)
    assert len(ps) >= 7
    assert all(secret not in str(p) for p in ps)


def test_every_problem_at_once_in_order(q: Questionnaire, tmp_path: Path) -> None:
    text = "answers:\n  age: 30\n  nope: 1\n  staying_out: maybe\n"
    ps = problems(q, tmp_path, text)
    assert [p.line for p in ps] == [2, 3, 4]


def test_unknown_top_level_and_long_form_keys(q: Questionnaire, tmp_path: Path) -> None:
    text = "answer:\n  age: 12\n"
    p = one(q, tmp_path, text)
    assert (p.line, p.message, p.hint) == (1, "unknown key 'answer'", "did you mean 'answers'?")
    text = "answers:\n  gifts: {answr: no}\n"
    p = one(q, tmp_path, text)
    assert p.message == "unknown key 'answr' in the answer to 'gifts'"


def test_answers_for_another_questionnaire(q: Questionnaire, tmp_path: Path) -> None:
    p = one(q, tmp_path, "questionnaire: cse-screening\nanswers: {}\n")
    assert p.message == "these answers are for questionnaire 'cse-screening', not 'mini'"


def test_unanswered_with_note_is_kept(q: Questionnaire) -> None:
    s = parse_answers({"answers": {"gifts": {"answer": None, "note": "asked, no reply"}}}, q)
    assert s.answers["gifts"] == Answer(value=None, note="asked, no reply")


def test_multi_duplicates_collapse_and_single_string_is_one_choice(q: Questionnaire) -> None:
    s = parse_answers({"answers": {"sources": ["told", "told", "observed"]}}, q)
    assert s.value("sources") == ("told", "observed")
    s = parse_answers({"answers": {"sources": "told"}}, q)
    assert s.value("sources") == ("told",)


def test_case_screening_matches_the_case(q: Questionnaire) -> None:
    case = q.cases[1]
    s = case_screening(q, case)
    assert s.value("gifts") == "yes_recent" and s.value("age") == 14
    text = replace(
        MINI,
        "answers: {age: 12, staying_out: no}",
        "answers: {age: 12, staying_out: {answer: no, note: x, source: observed}}",
    )
    q2 = load_questionnaire_text(text).questionnaire
    s = case_screening(q2, q2.cases[0])
    assert s.answers["staying_out"] == Answer(value="no", note="x", source="observed")


def test_oversized_answers_file(q: Questionnaire, tmp_path: Path) -> None:
    path = write(tmp_path, "answers:\n  words: " + "x" * 2000 + "\n")
    with pytest.raises(QuestionnaireError, match="larger than 1 KiB"):
        load_answers(path, q, max_bytes=1024)


def test_a_screening_date_in_the_future_is_refused_on_its_line(q: Questionnaire, tmp_path: Path) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    text = replace(GOOD, "date: 2026-11-21}", f"date: {tomorrow}}}")
    p = one(q, tmp_path, text)
    assert p.line == line_of(text, "details:")
    assert p.message == "the screening date is in the future"
    assert p.hint.startswith("give the date it happened, today (")
    assert tomorrow not in f"{p.message} {p.hint}"  # what was given is never repeated


def test_a_date_answer_in_the_future_is_refused_on_its_line(q: Questionnaire, tmp_path: Path) -> None:
    text = replace(GOOD, "  seen_on: 2026-11-20", "  seen_on: 2999-11-20")
    p = one(q, tmp_path, text)
    assert (p.line, p.message) == (line_of(text, "seen_on"), "the answer to 'seen_on' is in the future")


def test_today_is_not_the_future(q: Questionnaire, tmp_path: Path) -> None:
    today = dt.date.today().isoformat()
    text = replace(
        replace(GOOD, "date: 2026-11-21}", f"date: {today}}}"), "seen_on: 2026-11-20", f"seen_on: {today}"
    )
    s = load_answers(write(tmp_path, text, "answers.yaml"), q)
    assert s.meta.date == dt.date.today() and s.value("seen_on") == today
