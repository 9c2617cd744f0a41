"""Scoring: the pure rules engine (no Textual, no I/O).

``evaluate`` turns a questionnaire and a screening into a :class:`Result`;
``visible_questions`` and ``rule_floor`` are cheap helpers for the wizard and plain mode.
"""

from cse_screen.errors import InvalidAnswer
from cse_screen.scoring.compiled import UnknownFlag, UnknownLevel
from cse_screen.scoring.engine import JudgementBelowFloor, evaluate, evaluate_visible
from cse_screen.scoring.result import Contribution, FiredRule, QuestionnaireRef, RaisedFlag, Result
from cse_screen.scoring.visibility import rule_floor, visible_questions

__all__ = [
    "Contribution",
    "FiredRule",
    "InvalidAnswer",
    "JudgementBelowFloor",
    "QuestionnaireRef",
    "RaisedFlag",
    "Result",
    "UnknownFlag",
    "UnknownLevel",
    "evaluate",
    "evaluate_visible",
    "rule_floor",
    "visible_questions",
]
