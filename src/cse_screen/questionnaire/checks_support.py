"""What the structure checks share: the problems found so far, placed on their lines.

:mod:`checks` (ids, references, conditions) and :mod:`checks_outcome` (levels, bands,
flags, test cases) both report through one :class:`Findings`, so every problem names the
file, line and column of the thing it is about, in the order the checks ran.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from cse_screen.questionnaire.loaded import Problem
from cse_screen.questionnaire.positions import Document, PathKey


class Findings:
    """The problems found in one questionnaire document."""

    def __init__(self, doc: Document, name: str, levels: list[str]) -> None:
        self.doc = doc
        self.name = name
        self.levels = levels
        self.problems: list[Problem] = []

    def add(
        self, path: PathKey, message: str, hint: str = "", *, warning: bool = False, key: bool = False
    ) -> None:
        """Record a problem at ``path`` (at its key when ``key`` is true)."""
        line, col = self.doc.positions.find(path, key=key)
        self.problems.append(Problem(self.name, line, col, message, hint, "warning" if warning else "error"))

    def unique(self, items: Iterable[tuple[str, PathKey]], what: str) -> None:
        """Report every id in ``items`` used before, naming the line it was first used on."""
        first: dict[str, PathKey] = {}
        for ident, path in items:
            if ident in first:
                line = self.doc.positions.find(first[ident])[0]
                self.add(
                    (*path, "id"),
                    f"duplicate {what} id '{ident}' (first used on line {line})",
                    f"give each {what} its own id",
                )
            else:
                first[ident] = path

    def level_ref(self, level: str, path: PathKey) -> bool:
        """True if ``level`` is a declared level; otherwise report it at ``path``."""
        if level in self.levels:
            return True
        self.add(
            path,
            f"unknown level '{level}'",
            did_you_mean(level, self.levels) or "levels: " + ", ".join(self.levels),
        )
        return False


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``did you mean 'x'?`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
