"""Load a questionnaire file into a validated model, with problems people can act on.

Every problem found is reported at once (not just the first), as
``path:line:col: what is wrong — how to fix it``. Schema errors from pydantic are
reworded and placed on the line of the offending key or value
(:mod:`cse_screen.questionnaire.problems`); semantic checks (ids, references, bands …)
live in :mod:`cse_screen.questionnaire.checks`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cse_screen.questionnaire import models as m
from cse_screen.questionnaire.checks import check_structure
from cse_screen.questionnaire.finding import resolve_questionnaire
from cse_screen.questionnaire.loaded import LoadedQuestionnaire, QuestionnaireError, sha256_text
from cse_screen.questionnaire.positions import Document
from cse_screen.questionnaire.problems import validate_model
from cse_screen.questionnaire.yaml_safe import MAX_QUESTIONNAIRE_BYTES, gc_paused, load_yaml, read_bytes

__all__ = [
    "build_questionnaire",
    "load_questionnaire",
    "load_questionnaire_text",
    "resolve_questionnaire",
]


def load_questionnaire(path: str | Path, *, max_bytes: int = MAX_QUESTIONNAIRE_BYTES) -> LoadedQuestionnaire:
    """Read, parse and check a questionnaire file.

    Runs the schema and the structural checks (ids, references, bands); test cases and
    language warnings are left to :func:`cse_screen.validation.validate_questionnaire`.

    Raises:
        QuestionnaireError: carrying every problem found.
    """
    name = str(path)
    raw = read_bytes(path, name, max_bytes)
    return _load(raw, name, Path(path), hashlib.sha256(raw).hexdigest(), max_bytes)


def load_questionnaire_text(text: str, name: str = "<text>") -> LoadedQuestionnaire:
    """Like :func:`load_questionnaire` for text already in memory (the hash is of its UTF-8)."""
    return _load(text, name, None, sha256_text(text), MAX_QUESTIONNAIRE_BYTES)


def _load(
    source: str | bytes, name: str, path: Path | None, sha256: str, max_bytes: int
) -> LoadedQuestionnaire:
    from cse_screen.questionnaire import cache

    size = len(source) if isinstance(source, bytes) else len(source.removeprefix("\ufeff"))
    # The same bytes checked before by the same program (see the cache module); a file over
    # the limit is refused as before, cached or not.
    cached = cache.read_model(sha256, name) if size <= max_bytes else None
    if cached is not None:
        text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
        return LoadedQuestionnaire(cached[0], sha256, text, path, cached[1])
    try:
        with gc_paused():
            doc = load_yaml(source, name, max_bytes=max_bytes)
            questionnaire = build_questionnaire(doc, name)
            found = check_structure(questionnaire, doc, name)
            # Freed here, with the collector still paused: the collection that follows the
            # pause then walks only what is kept, not the whole document and its positions.
            del doc
        errors = [p for p in found if p.severity == "error"]
        if errors:
            raise QuestionnaireError(sorted(errors, key=lambda p: (p.line, p.col)))
    except QuestionnaireError as exc:
        if exc.problems and size <= max_bytes:
            # So the light listing marks it "not usable" next time (see finding._light_entry).
            cache.write_unusable(sha256, len(exc.problems), exc.problems[0])
        raise
    text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
    warnings = tuple(p for p in found if p.severity == "warning")
    cache.write_model(sha256, questionnaire, warnings)
    return LoadedQuestionnaire(questionnaire, sha256, text, path, warnings)


def build_questionnaire(doc: Document, name: str) -> m.Questionnaire:
    """Validate parsed data against the format.

    Raises:
        QuestionnaireError: every schema problem, each on its line.
    """
    return validate_model(m.Questionnaire, doc, name)
