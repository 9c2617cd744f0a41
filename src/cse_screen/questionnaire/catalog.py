"""The questionnaires a user can run: the bundled ones and their own.

A broken file in the user's folder is listed with its first problem instead of
breaking the listing. Nothing is cached: files may change between calls.

Two depths: the full check (the default; the wizard's start screen) loads each file as the
wizard would, and the light mode (``check=False``; ``cse-screen list``) reads only the
metadata with the safe YAML reader (:mod:`cse_screen.questionnaire.finding`). The light mode
never imports the pydantic models, whose construction alone costs more than the rest of
``cse-screen list``.
"""

from __future__ import annotations

from pathlib import Path

from cse_screen.questionnaire.finding import (
    CatalogEntry,
    DuplicateId,
    broken_entry,
    find_by_id,
    light_entries,
    mark_duplicates,
    questionnaire_files,
)
from cse_screen.questionnaire.loaded import QuestionnaireError

__all__ = ["CatalogEntry", "DuplicateId", "find_by_id", "list_questionnaires"]


def list_questionnaires(user_dir: Path | None = None, *, check: bool = True) -> list[CatalogEntry]:
    """Bundled questionnaires first, then the user's own, each sorted by file name.

    Args:
        user_dir: where to look for the user's questionnaires (default: the config folder's
            ``questionnaires``).
        check: load and check each file fully, as the wizard would (the default). With
            ``False`` only the id, title, version and number of questions are read: a file
            with readable metadata is listed even if it would fail the full check, so say
            how to check it (``cse-screen validate PATH``) wherever this mode is shown.
    """
    if not check:
        return light_entries(user_dir)
    return mark_duplicates([_entry(path, is_bundled) for path, is_bundled in questionnaire_files(user_dir)])


def _entry(path: Path, is_bundled: bool) -> CatalogEntry:
    # Imported here: the loader builds the pydantic models, which the light mode avoids.
    from cse_screen.questionnaire.loader import load_questionnaire

    try:
        q = load_questionnaire(path).questionnaire
    except QuestionnaireError as exc:
        return broken_entry(path, is_bundled, exc)
    return CatalogEntry(q.id, q.title, q.version, len(q.questions()), path, is_bundled, framing=q.framing)
