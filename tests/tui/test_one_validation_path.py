"""One validation path: the same answer is accepted or refused the same way everywhere.

Each case gives an answer as it would be written in an answers file and as it would be
typed in the wizard or in plain mode. All three must accept it (with the same value) or
refuse it with the same message, because all three go through
:mod:`cse_screen.questionnaire.values`.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from cse_screen.errors import InvalidAnswer
from cse_screen.plain import PlainWizard
from cse_screen.questionnaire.answers import load_answers
from cse_screen.questionnaire.loaded import LoadedQuestionnaire, QuestionnaireError
from cse_screen.questionnaire.values import parse_typed
from cse_screen.screening import Answer, AnswerValue, ScreeningMeta
from cse_screen.session import WizardSession
from support import EVERY_TYPE, load

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()

Outcome = tuple[str, object]
"""("accepted", value) or ("refused", message)."""

# (question id, as written in a file, as typed) — every type, with its edge values.
TYPED_CASES = [
    ("age", "0", "0"),
    ("age", "17", "17"),
    ("age", "-1", "-1"),
    ("age", "18", "18"),
    ("age", "twelve", "twelve"),
    ("age", "1.5", "1.5"),
    ("count", "100000", "100000"),
    ("count", "-3", "-3"),
    ("words", "ten chars!", "ten chars!"),
    ("words", "eleven char", "eleven char"),
    ("account", "twenty characters ok", "twenty characters ok"),
    ("account", "twenty-one characters", "twenty-one characters"),
    ("seen_on", "2025-03-14", "2025-03-14"),
    ("seen_on", "20250314", "20250314"),
    ("seen_on", "2025-02-30", "2025-02-30"),
    ("seen_on", "14/03/2025", "14/03/2025"),
    ("seen_on", "2025-3-14", "2025-3-14"),
    # A screening records what happened: today is fine, a day in the future is a slip.
    ("seen_on", dt.date.today().isoformat(), dt.date.today().isoformat()),
    ("seen_on", "2999-01-01", "2999-01-01"),
    ("seen_on", TOMORROW, TOMORROW),
]

# Choice answers are picked in the wizard and plain mode (an unknown option cannot be
# typed there), so for them the file is compared with the session given the same value.
CHOICE_CASES: list[tuple[str, str, AnswerValue]] = [
    ("one", '"yes"', "yes"),
    ("one", "maybe", "maybe"),
    ("one", "[yes]", ("yes",)),
    ("many", "[observed, told]", ("observed", "told")),
    ("many", "[observed, gossip]", ("observed", "gossip")),
    ("many", "[]", ()),
]


@pytest.fixture(scope="module")
def every_type() -> LoadedQuestionnaire:
    return load(EVERY_TYPE)


def from_file(loaded: LoadedQuestionnaire, tmp_path: Path, qid: str, written: str) -> Outcome:
    path = tmp_path / "answers.yaml"
    path.write_text(f"answers:\n  {qid}: {written}\n", encoding="utf-8")
    try:
        screening = load_answers(path, loaded.questionnaire)
    except QuestionnaireError as exc:
        (problem,) = exc.problems
        assert problem.line == 2  # on the answer's own line
        return "refused", f"{problem.message} — {problem.hint}"
    return "accepted", screening.value(qid)


def from_wizard(loaded: LoadedQuestionnaire, qid: str, typed: str) -> Outcome:
    # What the question page does with typed text.
    session = WizardSession(loaded)
    question = session.question(qid)
    try:
        value = parse_typed(loaded.questionnaire, question, typed)
        session.set_value(qid, value)
    except InvalidAnswer as exc:
        return "refused", str(exc)
    return "accepted", session.screening.value(qid)


def from_session(loaded: LoadedQuestionnaire, qid: str, value: AnswerValue) -> Outcome:
    session = WizardSession(loaded)
    try:
        session.answer(qid, Answer(value=value))
    except InvalidAnswer as exc:
        return "refused", str(exc)
    return "accepted", session.screening.value(qid)


def from_plain(loaded: LoadedQuestionnaire, qid: str, typed: str) -> Outcome:
    out = io.StringIO()
    # Long text ends with a line holding only ".".
    lines = [typed, "."] if qid == "account" else [typed]
    wizard = PlainWizard(
        loaded,
        input=io.StringIO("".join(f"{line}\n" for line in lines)),
        output=out,
        position=qid,
        screening=None,
        offer_report=False,
        echo=True,
    )
    wizard.session.set_meta(ScreeningMeta(child_ref="ZZ-99"))
    wizard.run(ask_details=False)  # ends at EOF after the one answer
    value = wizard.session.screening.value(qid)
    if value is not None:
        return "accepted", value
    refusals = [line.strip() for line in out.getvalue().splitlines() if line.startswith("  ") and "—" in line]
    assert refusals, out.getvalue()
    return "refused", refusals[0]


@pytest.mark.parametrize(("qid", "written", "typed"), TYPED_CASES)
def test_typed_answers_are_judged_the_same_in_file_wizard_and_plain_mode(
    every_type: LoadedQuestionnaire, tmp_path: Path, qid: str, written: str, typed: str
) -> None:
    file = from_file(every_type, tmp_path, qid, written)
    wizard = from_wizard(every_type, qid, typed)
    plain = from_plain(every_type, qid, typed)
    assert file == wizard == plain
    if file[0] == "refused":
        message = str(file[1])
        for content in (typed, written):
            if not content.isdigit() or len(content) > 3:
                assert content not in message  # never repeats what was given


@pytest.mark.parametrize(("qid", "written", "value"), CHOICE_CASES)
def test_choice_answers_are_judged_the_same_in_file_and_session(
    every_type: LoadedQuestionnaire, tmp_path: Path, qid: str, written: str, value: AnswerValue
) -> None:
    assert from_file(every_type, tmp_path, qid, written) == from_session(every_type, qid, value)


def test_a_date_without_dashes_is_refused_everywhere(every_type: LoadedQuestionnaire, tmp_path: Path) -> None:
    # Once accepted by the wizard (date.fromisoformat takes 20250314) and refused by a file.
    expected = (
        "refused",
        "the answer to 'seen_on' is not a valid date — write it as YYYY-MM-DD, e.g. 2026-11-20",
    )
    assert from_file(every_type, tmp_path, "seen_on", "20250314") == expected
    assert from_wizard(every_type, "seen_on", "20250314") == expected
    assert from_plain(every_type, "seen_on", "20250314") == expected


def test_a_date_in_the_future_is_refused_everywhere(every_type: LoadedQuestionnaire, tmp_path: Path) -> None:
    today = dt.date.today().isoformat()
    expected = (
        "refused",
        "the answer to 'seen_on' is in the future — give the date it happened, "
        f"today ({today}) or earlier, as YYYY-MM-DD",
    )
    assert from_file(every_type, tmp_path, "seen_on", TOMORROW) == expected
    assert from_wizard(every_type, "seen_on", TOMORROW) == expected
    assert from_plain(every_type, "seen_on", TOMORROW) == expected
    assert from_session(every_type, "seen_on", TOMORROW) == expected


def test_the_engine_scores_a_saved_future_date_as_it_is(every_type: LoadedQuestionnaire) -> None:
    # Refused where dates come in, not where a record saved earlier is scored or reported.
    from cse_screen.scoring import evaluate
    from cse_screen.screening import Screening

    screening = Screening(questionnaire_id="every-type", answers={"seen_on": Answer(value="2999-01-01")})
    evaluate(every_type.questionnaire, screening)


@pytest.mark.parametrize(
    ("qid", "value"),
    [
        ("age", "12"),
        ("one", ("yes",)),
        ("many", "observed"),
        ("seen_on", "20250314"),
        ("seen_on", "2025-02-30"),
    ],
)
def test_the_engine_refuses_wrong_kinds_of_value_with_the_same_message(
    every_type: LoadedQuestionnaire, qid: str, value: AnswerValue
) -> None:
    # The engine's fast path must never accept more than check_answer does. (Bounds and
    # lengths are checked where answers come in; the engine scores what it is given.)
    from cse_screen.scoring import evaluate
    from cse_screen.screening import Screening

    screening = Screening(questionnaire_id="every-type", answers={qid: Answer(value=value)})
    with pytest.raises(InvalidAnswer) as info:
        evaluate(every_type.questionnaire, screening)
    assert ("refused", str(info.value)) == from_session(every_type, qid, value)


def test_a_note_or_reason_past_the_limit_is_refused_by_session_and_store_alike(
    every_type: LoadedQuestionnaire,
) -> None:
    # Issue 15: a 10 MB note was accepted by plain mode and then made `show` take minutes.
    # The session refuses it as it is entered, with a message that never quotes it, and
    # the store refuses the same limit with the same count.
    from cse_screen.limits import MAX_TEXT_CHARS
    from cse_screen.store.database import TextTooLong, check_text_length

    session = WizardSession(every_type)
    session.set_value("age", 12)
    session.set_note("age", "x" * MAX_TEXT_CHARS)  # at the limit: fine
    too_long = "secret " * (MAX_TEXT_CHARS // 7 + 1)
    with pytest.raises(InvalidAnswer) as note:
        session.set_note("age", too_long)
    assert f"{len(too_long):,} characters long; the limit is 20,000" in str(note.value)
    assert "secret" not in str(note.value)
    assert session.screening.answers["age"].note == "x" * MAX_TEXT_CHARS  # unchanged
    # A judgement that changes the level (the computed level itself needs no reason).
    other = next(lv.id for lv in every_type.questionnaire.levels if lv.id != session.result().level)
    with pytest.raises(InvalidAnswer, match="the reason is"):
        session.set_judgement(other, too_long)
    with pytest.raises(TextTooLong, match=f"{len(too_long):,} characters long"):
        check_text_length("the note", too_long)


def test_plain_mode_says_a_note_is_too_long_and_keeps_the_old_one(every_type: LoadedQuestionnaire) -> None:
    out = io.StringIO()
    huge = "y" * 20_001
    lines = ["INV-LIM", "Sam Example", "Tutor", "n", huge, ".", "", "q"]  # a note on the first question
    wizard = PlainWizard(every_type, input=io.StringIO("".join(f"{x}\n" for x in lines)), output=out)
    wizard.run()
    text = out.getvalue()
    assert "Not saved: the note is 20,001 characters long" in text
    assert all(answer.note is None for answer in wizard.session.screening.answers.values())
