"""Shared test support: invented questionnaires loaded through the real loader, savers that record.

Import as ``from support import ...`` (``tests/`` is on ``sys.path`` through its conftest).
Every questionnaire here is invented and every child in it is invented.
"""

from __future__ import annotations

from pathlib import Path

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from support.saver import RecordingSaver

HERE = Path(__file__).parent
EVERY_TYPE = HERE / "every-type.yaml"
"""One question of every type (single, multi, integer with and without bounds, text, long text, date)."""
MINI = HERE.parent / "tui" / "mini-screening.yaml"
"""The small screening the wizard tests use (four sections, rules, show_if)."""

__all__ = ["EVERY_TYPE", "MINI", "RecordingSaver", "load"]


def load(path: Path) -> LoadedQuestionnaire:
    """A questionnaire loaded exactly as ``cse-screen run`` loads it (real checks, real hash)."""
    return load_questionnaire(path)
