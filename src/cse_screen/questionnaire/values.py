"""The one place that decides whether an answer or a judgement fits a questionnaire.

Every way in uses these functions, so the same answer is accepted or refused the same way
with the same words: an answers file (:mod:`cse_screen.questionnaire.answers`, which turns
an :class:`~cse_screen.errors.InvalidAnswer` into a problem on the answer's line), the
wizard and plain mode (through :mod:`cse_screen.session`) and the engine
(:func:`cse_screen.scoring.evaluate`, for screenings built in code).

Messages name the question and at most an option id; they never repeat text, numbers or
dates that were given, because those are about a child.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from typing import Final, Literal

from cse_screen import limits
from cse_screen.errors import InvalidAnswer
from cse_screen.questionnaire.models import (
    DateQuestion,
    IntegerQuestion,
    LongTextQuestion,
    MultiChoiceQuestion,
    Question,
    Questionnaire,
    SingleChoiceQuestion,
    TextQuestion,
)
from cse_screen.screening import AnswerValue

__all__ = [
    "MAX_TEXT_CHARS",
    "answer_words",
    "check_answer",
    "check_judgement",
    "check_not_future",
    "check_text",
    "judgement_problems",
    "parse_typed",
]

MAX_TEXT_CHARS: Final = limits.MAX_TEXT_CHARS
"""The longest note, reason or free text a practitioner may write (see :mod:`cse_screen.limits`)."""


def check_text(what: str, text: str | None) -> None:
    """Refuse practitioner text longer than :data:`MAX_TEXT_CHARS` (never quoting it).

    Args:
        what: What the text is, for the message ("the note", "the reason").
        text: The text (None: nothing to check).

    Raises:
        InvalidAnswer: the text is too long.
    """
    if text is not None and len(text) > MAX_TEXT_CHARS:
        raise InvalidAnswer(
            f"{what} is {len(text):,} characters long; the limit is {MAX_TEXT_CHARS:,} (about ten pages)",
            "shorten it, and keep any longer document with the record elsewhere (say where in the note)",
        )


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def check_answer(
    questionnaire: Questionnaire, question: Question, value: object, *, limits: bool = True
) -> None:
    """Check that ``value`` can be the answer to ``question``.

    Single choice: one option id (a string). Multiple choice: a tuple of option ids.
    Integer: an ``int`` within the question's bounds. Text and long text: a string up to
    ``max_length``. Date: a ``YYYY-MM-DD`` string naming a real day, not after today
    (:func:`check_not_future`).

    Args:
        questionnaire: Where option sets are resolved.
        question: The question answered.
        value: The answer value.
        limits: Also check integer bounds, text length and dates in the future.
            Everything an answer comes in through (files, the wizard, plain mode) checks
            them; the engine, which only needs the kind of value to score, leaves them to
            those (a record saved earlier is scored as it is).

    Raises:
        InvalidAnswer: saying what is wrong and what would be accepted.
    """
    qid = question.id
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        ids = [o.id for o in questionnaire.options_of(question)]
        if isinstance(question, SingleChoiceQuestion):
            if isinstance(value, tuple | list):
                raise InvalidAnswer(
                    f"question '{qid}' takes one option, not a list",
                    "pick one of " + ", ".join(ids),
                    question_id=qid,
                )
            chosen: Sequence[object] = (value,)
        else:
            if not isinstance(value, tuple | list):
                raise InvalidAnswer(
                    f"question '{qid}' takes a list of options",
                    "give some of " + ", ".join(ids),
                    question_id=qid,
                )
            chosen = value
        for option in chosen:
            if not isinstance(option, str) or option not in ids:
                raise InvalidAnswer(
                    f"not an option of question '{qid}'",
                    _options_hint(option if isinstance(option, str) else "", ids),
                    question_id=qid,
                )
    elif isinstance(question, IntegerQuestion):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidAnswer(
                f"question '{qid}' takes a whole number", "write digits only, e.g. 12", question_id=qid
            )
        low, high = question.min, question.max
        if limits and (low is not None and value < low) or (high is not None and value > high):
            bounds = (
                f"between {low} and {high}"
                if low is not None and high is not None
                else (f"at least {low}" if low is not None else f"at most {high}")
            )
            raise InvalidAnswer(
                question.out_of_range or f"the answer to '{qid}' is out of range",
                f"the answer to '{qid}' must be {bounds}",
                question_id=qid,
            )
    elif isinstance(question, TextQuestion | LongTextQuestion):
        if not isinstance(value, str):
            raise InvalidAnswer(f"question '{qid}' takes text", "put the answer in quotes", question_id=qid)
        if limits and len(value) > question.max_length:
            raise InvalidAnswer(
                f"the answer to '{qid}' is longer than {question.max_length} characters",
                "shorten it",
                question_id=qid,
            )
    elif isinstance(question, DateQuestion):
        if not is_date(value):
            raise InvalidAnswer(
                f"the answer to '{qid}' is not a valid date",
                "write it as YYYY-MM-DD, e.g. 2026-11-20",
                question_id=qid,
            )
        if limits:
            assert isinstance(value, str)  # is_date
            check_not_future(f"the answer to '{qid}'", dt.date.fromisoformat(value), question_id=qid)


def check_not_future(what: str, day: dt.date, *, question_id: str | None = None) -> None:
    """Refuse a date after today (the computer's local date), never quoting it.

    A screening records what has happened: the day it was done and dates of what was seen
    or told. A date in the future is a typing slip (2062 for 2026) that would make the
    record wrong, so every way a date comes in (answers files, the wizard, plain mode,
    amendments) refuses it here. Dates that are meant to be ahead, such as a decision's
    next review date, are not checked with this.

    Args:
        what: What the date is, for the message ("the screening date").
        day: The date given.
        question_id: The question it answers, if any.

    Raises:
        InvalidAnswer: the date is after today.
    """
    today = dt.date.today()
    if day > today:
        raise InvalidAnswer(
            f"{what} is in the future",
            f"give the date it happened, today ({today.isoformat()}) or earlier, as YYYY-MM-DD",
            question_id=question_id,
        )


def is_date(value: object) -> bool:
    """True for a ``YYYY-MM-DD`` string naming a real day (``20250314`` is not accepted)."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def parse_typed(questionnaire: Questionnaire, question: Question, text: str) -> AnswerValue | None:
    """Turn typed text into an answer value, then check it with :func:`check_answer`.

    Empty (or only spaces) gives None: no answer. Whole numbers may have a sign; long text
    keeps its lines (trailing spaces and newlines are dropped); other text is stripped.
    Choice questions are usually answered by picking; typed, they take option ids
    separated by commas.

    Raises:
        InvalidAnswer: the text does not fit the question.
    """
    stripped = text.strip()
    if not stripped:
        return None
    value: AnswerValue
    if isinstance(question, IntegerQuestion):
        try:
            # Too many digits for int() is a ValueError too: refused like any other text.
            value = int(stripped) if _WHOLE_NUMBER.fullmatch(stripped) else int("x")
        except ValueError:
            check_answer(questionnaire, question, stripped)  # raises: text is not a whole number
            raise  # pragma: no cover - check_answer always refuses text for a number
    elif isinstance(question, LongTextQuestion):
        value = text.rstrip()
    elif isinstance(question, MultiChoiceQuestion):
        value = tuple(p.strip() for p in stripped.split(",") if p.strip())
    else:
        value = stripped
    check_answer(questionnaire, question, value)
    return value


def judgement_problems(
    questionnaire: Questionnaire, level: object, reason: object
) -> list[tuple[Literal["level", "reason"], InvalidAnswer]]:
    """Everything wrong with a professional judgement, apart from the rules' floor, by field.

    The floor depends on the answers, so the engine checks it
    (:class:`cse_screen.scoring.JudgementBelowFloor`).
    """
    levels = questionnaire.level_ids()
    problems: list[tuple[Literal["level", "reason"], InvalidAnswer]] = []
    if level not in levels:
        what = "is missing its level" if level is None else "names a level that does not exist"
        problems.append(("level", InvalidAnswer(f"the judgement {what}", "use one of " + ", ".join(levels))))
    if not isinstance(reason, str) or not reason.strip():
        problems.append(
            ("reason", InvalidAnswer("the judgement needs a reason", "say why you chose this level"))
        )
    return problems


def check_judgement(questionnaire: Questionnaire, level: object, reason: object) -> None:
    """Check a judgement's level and reason (see :func:`judgement_problems`).

    Raises:
        InvalidAnswer: the first problem found.
    """
    problems = judgement_problems(questionnaire, level, reason)
    if problems:
        raise problems[0][1]


def answer_words(questionnaire: Questionnaire, question: Question | None, value: AnswerValue | None) -> str:
    """An answer value in words: option labels for choices (``; `` between them, since labels
    may hold commas), the value itself otherwise, "" for no answer.

    The one place an answer is put into words for the review, plain mode and ``cse-screen
    show``; an option id the questionnaire no longer has is shown as the id.
    """
    if value is None:
        return ""
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        labels = {o.id: o.label for o in questionnaire.options_of(question)}
        ids = value if isinstance(value, tuple) else (str(value),)
        return "; ".join(labels.get(i, i) for i in ids)
    if isinstance(value, tuple):
        return "; ".join(value)
    return str(value)


def _options_hint(given: str, ids: list[str]) -> str:
    close = (
        difflib.get_close_matches(given, ids, n=1) or [i for i in ids if given and i.startswith(given)][:1]
    )
    return (f"did you mean '{close[0]}'? " if close else "") + "options: " + ", ".join(ids)
