"""A questionnaire as loaded from a file, and the problems found while loading it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cse_screen.errors import UserError

if TYPE_CHECKING:
    # Annotations only: building the pydantic models costs ~150 ms, and commands such as
    # `cse-screen list` use Problem/QuestionnaireError without ever needing a model.
    from cse_screen.questionnaire.models import Questionnaire


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a warning) in a file, with where and how to fix it."""

    path: str
    """The file as the user named it (or ``<text>``)."""
    line: int
    """1-based line."""
    col: int
    """1-based column."""
    message: str
    """What is wrong."""
    hint: str = ""
    """How to fix it."""
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        kind = "warning: " if self.severity == "warning" else ""
        fix = f" — {self.hint}" if self.hint else ""
        return f"{where}: {kind}{self.message}{fix}"


class QuestionnaireError(UserError):
    """A questionnaire (or answers file) could not be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class LoadedQuestionnaire:
    """A validated questionnaire plus the exact text it came from.

    The text and its SHA-256 travel with every screening so an old record still opens,
    scores and reports exactly as it did after the YAML changes.
    """

    questionnaire: Questionnaire
    sha256: str
    text: str
    path: Path | None = None
    warnings: tuple[Problem, ...] = field(default=())

    @classmethod
    def from_model(cls, questionnaire: Questionnaire) -> LoadedQuestionnaire:
        """Wrap an in-memory model (tests, generators); the hash is of its canonical JSON."""
        text = questionnaire.model_dump_json(by_alias=True, exclude_defaults=True)
        return cls(questionnaire, sha256_text(text), text)


def sha256_text(text: str) -> str:
    """SHA-256 hex digest of text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
