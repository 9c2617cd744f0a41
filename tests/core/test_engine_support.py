"""Builders shared by the engine tests: small in-memory questionnaires and screenings.

Every child here is invented. Named ``test_engine_support`` so it sits with the engine
tests; it holds no tests itself.
"""

from __future__ import annotations

from typing import Any

from cse_screen.questionnaire.models import Questionnaire
from cse_screen.screening import Answer, AnswerValue, Judgement, Screening

LEVELS: list[dict[str, Any]] = [
    {"id": "none", "label": "No concern identified", "icon": "○", "next_steps": ["Stay curious."]},
    {"id": "low", "label": "Low concern", "icon": "◔", "next_steps": ["Share with the DSL."]},
    {
        "id": "moderate",
        "label": "Moderate concern",
        "icon": "◑",
        "next_steps": ["Discuss with the DSL today."],
    },
    {
        "id": "significant",
        "label": "Significant concern",
        "icon": "◕",
        "next_steps": ["Tell the DSL today, in person.", "Record decisions and reasons."],
    },
    {"id": "immediate", "label": "Immediate danger", "icon": "⚠", "next_steps": ["Call 999 now."]},
]

INDICATOR = [
    {"id": "yes", "label": "Yes", "weight": 5},
    {"id": "possible", "label": "Possible", "weight": 1},
    {"id": "no", "label": "No"},
    {"id": "not_known", "label": "Not known", "not_known": True},
]

BANDS = [
    {"min": 0, "max": 0, "level": "none"},
    {"min": 1, "max": 4, "level": "low"},
    {"min": 5, "max": 9, "level": "moderate"},
    {"min": 10, "level": "significant"},
]


def single(qid: str, **extra: Any) -> dict[str, Any]:
    """A single-choice question using the shared ``indicator`` option set."""
    return {"id": qid, "type": "single", "text": f"Question {qid}?", "options": "indicator", **extra}


def questionnaire(
    questions: list[dict[str, Any]],
    *,
    rules: list[dict[str, Any]] | None = None,
    bands: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Questionnaire:
    """A one-section questionnaire with five levels, the indicator option set and default bands."""
    return Questionnaire.model_validate(
        {
            "id": "test-tool",
            "title": "Test tool",
            "version": "1",
            "option_sets": {"indicator": INDICATOR},
            "sections": [{"id": "main", "title": "Main", "questions": questions}],
            "levels": LEVELS,
            "rules": rules or [],
            "scoring": {"bands": bands or BANDS},
            "final_line": "If you are worried, tell your DSL; in immediate danger call 999.",
            **extra,
        }
    )


def screening(
    answers: dict[str, AnswerValue | list[str] | None] | None = None,
    *,
    judgement: tuple[str, str] | None = None,
) -> Screening:
    """A screening from short-form answers (lists become tuples for multiple choice)."""
    return Screening(
        questionnaire_id="test-tool",
        answers={k: Answer(value=tuple(v) if isinstance(v, list) else v) for k, v in (answers or {}).items()},
        judgement=None if judgement is None else Judgement(level=judgement[0], reason=judgement[1]),
    )
