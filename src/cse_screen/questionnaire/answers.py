"""Answers files (YAML or JSON) and test cases turned into a :class:`Screening`.

An answers file looks like::

    answers:
      age: 14
      staying_out_late: yes_recent          # short form
      vehicles_unknown_adults:              # long form
        answer: yes_recent
        note: "Seen getting into a grey car twice"
        source: observed
    judgement: {level: moderate, reason: "..."}          # optional
    details: {child_ref: "AB-07", date: 2026-11-20}      # optional
    questionnaire: cse-screening                         # optional: refuse other tools
    redact: ["Name One"]                                 # optional: names a report hides

The format is documented by :class:`AnswersFile` (``cse-screen schema --answers``); the
same keys are accepted by ``score`` and ``report``.

Problems never quote an answer or a note: they are about a child. They name the
question, the line, and what would be accepted.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field

from cse_screen.errors import InvalidAnswer
from cse_screen.questionnaire import models as m
from cse_screen.questionnaire.loaded import Problem, QuestionnaireError
from cse_screen.questionnaire.positions import Document, PathKey, Positions
from cse_screen.questionnaire.problems import validate_model
from cse_screen.questionnaire.values import check_answer, check_not_future, judgement_problems
from cse_screen.questionnaire.yaml_safe import MAX_ANSWERS_BYTES, load_yaml, read_bytes
from cse_screen.screening import Answer, AnswerValue, Judgement, Screening, ScreeningMeta, Source

__all__ = ["AnswersFile", "answers_schema", "case_screening", "load_answers", "parse_answers"]

SOURCES: tuple[str, ...] = get_args(Source)
_TOP_KEYS = ("answers", "judgement", "details", "questionnaire", "redact")


class _Doc(BaseModel):
    # Built when first used (``cse-screen schema --answers``): these models only document the
    # format; reading answers (and a questionnaire's test cases) never validates against them.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class LongAnswer(_Doc):
    """An answer with a note and where it came from."""

    answer: int | str | list[str] | None = None
    """The answer: an option id, a list of option ids (multiple choice), a whole number, text,
    or a date as YYYY-MM-DD."""
    note: str | None = None
    """What was seen or said, in a few words."""
    source: Source | None = None
    """Where the information came from."""


class JudgementEntry(_Doc):
    """Professional judgement: a level (raise, or lower down to the rules' floor) and why."""

    level: str
    """A level id of the questionnaire."""
    reason: str = Field(min_length=1)
    """Why: required."""


class AnswersFile(_Doc):
    """An answers file for ``cse-screen score`` and ``cse-screen report`` (YAML or JSON).

    Only the shape is described here: which question ids and option ids are allowed comes
    from the questionnaire, and both commands check them with line numbers.
    """

    questionnaire: str | None = None
    """Optional: the id of the questionnaire these answers are for; another one is refused."""
    answers: dict[str, int | str | list[str] | LongAnswer] = Field(default_factory=dict)
    """Question id -> answer. Short form ``age: 14`` / ``q: option_id`` / ``q: [a, b]``, or the
    long form with a note and its source. Unanswered questions are left out."""
    judgement: JudgementEntry | None = None
    """Optional professional judgement."""
    details: ScreeningMeta | None = None
    """Optional details: child_ref, practitioner, role, date, shared_with, sharing_basis."""
    redact: list[str] = Field(default_factory=list)
    """Optional names that ``report`` replaces with [name 1], [name 2]… (``score`` never prints
    notes or details, so it accepts the list and has nothing to hide)."""


def answers_schema() -> dict[str, Any]:
    """The answers file as JSON Schema (``cse-screen schema --answers``)."""
    import sys

    from cse_screen import screening
    from cse_screen.schema_docs import add_field_docs

    schema = add_field_docs(AnswersFile.model_json_schema(), [sys.modules[__name__], screening])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://cse-screen.invalid/schema/answers-v1.json",  # nothing is fetched from it
        **schema,
    }


_LONG_KEYS = ("answer", "note", "source")


def load_answers(
    path: str | Path, questionnaire: m.Questionnaire, *, max_bytes: int = MAX_ANSWERS_BYTES
) -> Screening:
    """Read an answers file (YAML or JSON) for ``questionnaire``.

    Raises:
        QuestionnaireError: every problem found, each with its line.
    """
    name = str(path)
    raw = read_bytes(path, name, max_bytes)
    doc = load_yaml(raw, name, max_bytes=max_bytes)
    return parse_answers(doc.data, questionnaire, name=name, positions=doc.positions)


def parse_answers(
    data: Mapping[str, Any],
    questionnaire: m.Questionnaire,
    *,
    name: str = "<answers>",
    positions: Positions | None = None,
    base: PathKey = (),
) -> Screening:
    """Check answers data against a questionnaire and build a screening.

    Args:
        data: the parsed file (``answers``, optional ``judgement`` and ``details``).
        questionnaire: what the answers are for.
        name: the file name for problems.
        positions: where each value was in the file (from :func:`load_yaml`), for line numbers.
        base: where ``data`` sits inside the document the positions describe.

    Raises:
        QuestionnaireError: every problem found.
    """
    parser = _Parser(questionnaire, name, positions or Positions(), base)
    screening = parser.parse(data)
    if parser.problems:
        raise QuestionnaireError(sorted(parser.problems, key=lambda p: (p.line, p.col)))
    assert screening is not None
    return screening


def case_screening(questionnaire: m.Questionnaire, case: m.TestCase) -> Screening:
    """The screening described by one of a questionnaire's test cases.

    Raises:
        QuestionnaireError: when the case's answers do not fit the questionnaire.
    """
    answers: dict[str, Any] = {}
    for qid, value in case.answers.items():
        answers[qid] = value.model_dump(exclude_none=True) if isinstance(value, m.AnswerSpec) else value
    data: dict[str, Any] = {"answers": answers}
    if case.judgement is not None:
        data["judgement"] = dict(case.judgement)
    return parse_answers(data, questionnaire, name=f"test case '{case.name}'")


class _Parser:
    def __init__(
        self, questionnaire: m.Questionnaire, name: str, positions: Positions, base: PathKey
    ) -> None:
        self.q = questionnaire
        self.name = name
        self.positions = positions
        self.base = base
        self.problems: list[Problem] = []
        self.questions = {q.id: q for q in questionnaire.questions()}

    def problem(self, path: PathKey, message: str, hint: str = "", *, key: bool = False) -> None:
        line, col = self.positions.find((*self.base, *path), key=key)
        self.problems.append(Problem(self.name, line, col, message, hint))

    def raw(self, path: PathKey) -> str | None:
        return self.positions.raw.get((*self.base, *path))

    def parse(self, data: Mapping[str, Any]) -> Screening | None:
        if not isinstance(data, Mapping):
            self.problem((), "answers data must be a mapping", "start with 'answers:'")
            return None
        for key in data:
            if key not in _TOP_KEYS:
                self.problem((key,), f"unknown key '{key}'", _suggest(str(key), _TOP_KEYS), key=True)
        wanted = data.get("questionnaire")
        if wanted is not None and wanted != self.q.id:
            self.problem(
                ("questionnaire",),
                f"these answers are for questionnaire '{wanted}', not '{self.q.id}'",
                f"use the questionnaire '{wanted}' or change this line",
            )
        redact = data.get("redact")
        if redact is not None and (
            not isinstance(redact, list) or not all(isinstance(n, str) for n in redact)
        ):
            self.problem(("redact",), "'redact' must be a list of names", 'write e.g. redact: ["Name One"]')
        answers = self._answers(data.get("answers"))
        judgement = self._judgement(data.get("judgement"))
        meta = self._meta(data)
        if self.problems:
            return None
        return Screening(questionnaire_id=self.q.id, answers=answers, judgement=judgement, meta=meta)

    # ------------------------------------------------------------------ answers

    def _answers(self, raw: Any) -> dict[str, Answer]:
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            self.problem(
                ("answers",),
                "`answers` must be a mapping of question id to answer",
                "write `id: answer` lines",
            )
            return {}
        out: dict[str, Answer] = {}
        for qid, value in raw.items():
            path: PathKey = ("answers", qid)
            question = self.questions.get(qid)
            if question is None:
                self.problem(
                    path, f"unknown question id '{qid}'", _suggest(str(qid), self.questions), key=True
                )
                continue
            answer = self._answer(question, value, path)
            if answer is not None:
                out[qid] = answer
        return out

    def _answer(self, question: m.Question, value: Any, path: PathKey) -> Answer | None:
        note: Any = None
        source: Any = None
        value_path = path
        if isinstance(value, Mapping):
            for key in value:
                if key not in _LONG_KEYS:
                    self.problem(
                        (*path, key),
                        f"unknown key '{key}' in the answer to '{question.id}'",
                        _suggest(str(key), _LONG_KEYS),
                        key=True,
                    )
            note, source = value.get("note"), value.get("source")
            value_path = (*path, "answer")
            value = value.get("answer")
        before = len(self.problems)
        converted = None if value is None else self._value(question, value, value_path)
        note = self._note(note, (*path, "note"), question)
        if source is not None and source not in SOURCES:
            self.problem(
                (*path, "source"), f"unknown source for '{question.id}'", "use one of " + ", ".join(SOURCES)
            )
        if len(self.problems) > before:
            return None
        if note is not None and not question.notes:
            self.problem((*path, "note"), f"question '{question.id}' does not take notes", "remove the note")
            return None
        return Answer(value=converted, note=note, source=source)

    def _note(self, note: Any, path: PathKey, question: m.Question) -> str | None:
        if note is None:
            return None
        if isinstance(note, str):
            return note
        raw = self.raw(path)
        if raw is not None:
            return raw
        self.problem(path, f"the note on '{question.id}' should be text", "put it in quotes")
        return None

    def _value(self, question: m.Question, value: Any, path: PathKey) -> AnswerValue | None:
        """Turn the value as written into an answer value; the check itself is :func:`check_answer`."""
        converted: object = value
        problem_path = path
        if isinstance(question, m.SingleChoiceQuestion | m.MultiChoiceQuestion):
            if isinstance(value, list):
                items = [self._option_text(item, (*path, i)) for i, item in enumerate(value)]
                # A repeated option counts once.
                converted = tuple(dict.fromkeys(items)) if None not in items else value
                bad = [
                    i
                    for i, item in enumerate(items)
                    if item is None or not _is_option(self.q, question, item)
                ]
                if bad and isinstance(question, m.MultiChoiceQuestion):
                    problem_path = (*path, bad[0])
            else:
                option = self._option_text(value, path)
                converted = (option,) if isinstance(question, m.MultiChoiceQuestion) else option
        elif isinstance(question, m.TextQuestion | m.LongTextQuestion):
            # Text written plainly (a number, a date, yes) is taken as written.
            converted = value if isinstance(value, str) else self.raw(path)
        elif isinstance(question, m.DateQuestion):
            if isinstance(value, dt.datetime):
                value = value.date()
            converted = value.isoformat() if isinstance(value, dt.date) else value
        try:
            check_answer(self.q, question, converted)
        except InvalidAnswer as exc:
            self.problem(problem_path, exc.message, exc.hint)
            return None
        assert isinstance(converted, int | str | tuple)
        return converted

    def _option_text(self, item: Any, path: PathKey) -> str | None:
        if isinstance(item, str):
            return item
        raw = self.raw(path)
        if raw is not None:  # true, 1, 1.5 written plainly: the option id as written
            return raw
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, int):
            return str(item)
        return None

    # ------------------------------------------------------------------ judgement and details

    def _judgement(self, raw: Any) -> Judgement | None:
        if raw is None:
            return None
        path: PathKey = ("judgement",)
        if not isinstance(raw, Mapping):
            self.problem(path, "`judgement` must be a mapping", "write `judgement: {level: …, reason: …}`")
            return None
        for key in raw:
            if key not in ("level", "reason"):
                self.problem(
                    (*path, key),
                    f"unknown key '{key}' in judgement",
                    _suggest(str(key), ("level", "reason")),
                    key=True,
                )
        level, reason = raw.get("level"), raw.get("reason")
        found = judgement_problems(self.q, level, reason)
        for where, problem in found:
            self.problem((*path, where), problem.message, problem.hint)
        return None if found else Judgement(level=str(level), reason=str(reason))

    def _meta(self, data: Mapping[str, Any]) -> ScreeningMeta:
        raw = data.get("details")
        if raw is None:
            return ScreeningMeta()
        doc = Document({"details": raw}, self._shifted_positions())
        try:
            meta = validate_model(ScreeningMeta, doc, self.name, base=("details",), echo_input=False)
        except QuestionnaireError as exc:
            self.problems.extend(exc.problems)
            return ScreeningMeta()
        if meta.date is not None:
            try:
                check_not_future("the screening date", meta.date)
            except InvalidAnswer as exc:
                self.problem(("details", "date"), exc.message, exc.hint)
        return meta

    def _shifted_positions(self) -> Positions:
        """Positions re-rooted at ``base`` so ``validate_model`` can use paths from ``details``."""
        if not self.base:
            return self.positions
        n = len(self.base)
        old = self.positions
        return Positions(
            values={k[n:]: v for k, v in old.values.items() if k[:n] == self.base},
            keys={k[n:]: v for k, v in old.keys.items() if k[:n] == self.base},
            raw={k[n:]: v for k, v in old.raw.items() if k[:n] == self.base},
        )


def _is_option(questionnaire: m.Questionnaire, question: m.ChoiceQuestion, option: str) -> bool:
    return any(o.id == option for o in questionnaire.options_of(question))


def _suggest(word: str, choices: Any) -> str:
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if len(choices) <= 12:
        return "use one of " + ", ".join(choices)
    return "check the id against the questionnaire (`cse-screen validate` lists problems)"
