"""A small valid questionnaire and helpers for the loader, checks and answers tests."""

from __future__ import annotations

from pathlib import Path

from cse_screen.questionnaire.loaded import Problem, QuestionnaireError
from cse_screen.questionnaire.loader import load_questionnaire_text

MINI = """\
id: mini
title: Mini tool
version: "1"
option_sets:
  indicator:
    - {id: yes_recent, label: "Yes, recently", weight: 2}
    - {id: no, label: "No"}
    - {id: not_known, label: "Not known", not_known: true}
sections:
  - id: about
    title: About the child
    questions:
      - id: age
        type: integer
        text: How old is the child?
        required: true
        min: 0
        max: 17
        out_of_range: "18 or over: use adult safeguarding."
      - id: staying_out
        type: single
        text: Is the child staying out late?
        options: indicator
        tags: [risk]
      - id: gifts
        type: single
        text: Does the child have gifts nobody can explain?
        options: indicator
        tags: [risk, significant]
        show_if: {answer: {question: staying_out, in: [yes_recent]}}
      - id: sources
        type: multi
        text: Where did the information come from?
        options:
          - {id: observed, label: Observed}
          - {id: told, label: The child told me}
      - id: words
        type: long_text
        text: What did the child say, in their own words?
        max_length: 50
      - id: seen_on
        type: date
        text: When was this?
levels:
  - {id: low, label: Low, next_steps: [Share this screening with the DSL.]}
  - {id: high, label: High, next_steps: [Tell the DSL today.]}
rules:
  - id: gifts-high
    when: {tagged: {tags: [significant], in: [yes_recent]}}
    min_level: high
    reason: A significant indicator was seen recently.
scoring:
  bands:
    - {min: 0, max: 1, level: low}
    - {min: 2, level: high}
final_line: If you are worried, tell your DSL.
cases:
  - name: nothing seen
    answers: {age: 12, staying_out: no}
    expect: {level: low}
  - name: gifts seen
    answers: {age: 14, staying_out: yes_recent, gifts: yes_recent}
    expect: {level: high, rules: [gifts-high]}
"""


def line_of(text: str, snippet: str, nth: int = 1) -> int:
    """1-based line of the ``nth`` line containing ``snippet``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if snippet in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{snippet!r} not in text")


def col_of(text: str, snippet: str, nth: int = 1) -> int:
    """1-based column where ``snippet`` starts on its line."""
    return text.splitlines()[line_of(text, snippet, nth) - 1].index(snippet) + 1


def replace(text: str, old: str, new: str) -> str:
    """``text`` with exactly one ``old`` replaced (fails loudly if the anchor moved)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def load_problems(text: str) -> list[Problem]:
    """The problems that loading ``text`` raises (fails if it loads)."""
    try:
        load_questionnaire_text(text, "q.yaml")
    except QuestionnaireError as exc:
        return exc.problems
    raise AssertionError("expected the questionnaire to be refused")


def write(tmp_path: Path, text: str | bytes, name: str = "q.yaml") -> Path:
    """Write a file under ``tmp_path`` and return its path."""
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
