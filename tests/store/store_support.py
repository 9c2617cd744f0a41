"""Shared helpers for the store tests (invented children and data only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Questionnaire


def tool_dict(version: str = "1") -> dict[str, Any]:
    """A small questionnaire covering every answer type."""
    return {
        "id": "store-test",
        "title": "Store test tool",
        "version": version,
        "option_sets": {
            "yn": [
                {"id": "yes", "label": "Yes", "weight": 1},
                {"id": "no", "label": "No"},
                {"id": "not_known", "label": "Not known", "not_known": True},
            ]
        },
        "sections": [
            {
                "id": "main",
                "title": "Main",
                "questions": [
                    {"id": "age", "type": "integer", "text": "How old is the child?", "min": 0, "max": 17},
                    {"id": "worry", "type": "single", "text": "Is there a worry?", "options": "yn"},
                    {
                        "id": "places",
                        "type": "multi",
                        "text": "Where were they seen?",
                        "options": [{"id": "park", "label": "Park"}, {"id": "shop", "label": "Shop"}],
                    },
                    {"id": "words", "type": "long_text", "text": "The child's own words"},
                    {"id": "seen", "type": "date", "text": "When was this seen?"},
                ],
            }
        ],
        "levels": [
            {"id": "none", "label": "None", "next_steps": ["Stay curious."]},
            {"id": "low", "label": "Low", "next_steps": ["Share with the DSL."]},
        ],
        "rules": [{"id": "worried", "when": {"answered": "worry"}, "min_level": "none", "reason": "Asked."}],
        "scoring": {"bands": [{"min": 0, "max": 0, "level": "none"}, {"min": 1, "level": "low"}]},
        "final_line": "If you are worried, tell your DSL.",
    }


def make_loaded(version: str = "1", **changes: Any) -> LoadedQuestionnaire:
    data = tool_dict(version)
    data.update(changes)
    return LoadedQuestionnaire.from_model(Questionnaire.model_validate(data))


def db_files(data_dir: Path) -> list[Path]:
    """The database and its companion files that exist."""
    base = data_dir / "screenings.sqlite3"
    return [p for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists()]


def raw_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db_files(data_dir))
