"""The questionnaires a user can run: the bundled ones and their own.

A broken file in the user's folder is listed with its first problem instead of
breaking the listing. Nothing is cached: files may change between calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cse_screen import bundled, paths
from cse_screen.questionnaire.loaded import QuestionnaireError
from cse_screen.questionnaire.loader import load_questionnaire

__all__ = ["CatalogEntry", "list_questionnaires"]


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One questionnaire file found on this computer."""

    id: str
    """The questionnaire's id (the file name without extension if it could not be read)."""
    title: str
    version: str
    questions: int
    """Number of questions (0 if the file could not be read)."""
    path: Path
    bundled: bool
    error: str | None = None
    """The first problem, when the file could not be loaded."""


def list_questionnaires(user_dir: Path | None = None) -> list[CatalogEntry]:
    """Bundled questionnaires first, then the user's own, each sorted by file name.

    Args:
        user_dir: where to look for the user's questionnaires (default: the config folder's
            ``questionnaires``).
    """
    entries: list[CatalogEntry] = []
    for folder, is_bundled in (
        (bundled.bundled_dir(), True),
        (user_dir or paths.user_questionnaires_dir(), False),
    ):
        if not folder.is_dir():
            continue
        files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        entries.extend(_entry(p, is_bundled) for p in files)
    return entries


def _entry(path: Path, is_bundled: bool) -> CatalogEntry:
    try:
        q = load_questionnaire(path).questionnaire
    except QuestionnaireError as exc:
        first = exc.problems[0] if exc.problems else None
        message = str(first) if first else str(exc)
        more = len(exc.problems) - 1
        if more > 0:
            message += f" (and {more} more: run `cse-screen validate {path}`)"
        return CatalogEntry(path.stem, "", "", 0, path, is_bundled, message)
    return CatalogEntry(q.id, q.title, q.version, len(q.questions()), path, is_bundled)
