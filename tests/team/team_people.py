"""The people of a team test: who they are and how a desk of theirs opens (see conftest.py).

A module of its own, not conftest.py: tests import it by name, and ``conftest`` is a
different module in each test folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cse_screen.store import Store

PERSON_PASSWORD = "invented-person-secret"  # a throwaway cluster's; read from a pgpass file

SMALL_TOOL: dict[str, Any] = {
    "id": "team-test",
    "title": "Team test tool",
    "version": "1",
    "sections": [
        {"id": "main", "title": "Main", "questions": [{"id": "age", "type": "integer", "text": "Age?"}]}
    ],
    "levels": [
        {"id": "none", "label": "None", "next_steps": ["Stay curious."]},
        {"id": "low", "label": "Low", "next_steps": ["Share with the DSL."]},
    ],
    "rules": [],
    "scoring": {"bands": [{"min": 0, "max": 0, "level": "none"}, {"min": 1, "level": "low"}]},
    "final_line": "If you are worried, tell your DSL.",
}


@dataclass(frozen=True)
class Person:
    """Someone of the team: their login, the URL a desk of theirs uses, and how to open one."""

    name: str
    url: str
    open: Callable[[], Store]
