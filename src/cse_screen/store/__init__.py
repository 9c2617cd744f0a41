"""Screening records: autosave, resume, history and an append-only audit trail (SQLite).

Pure core: no Textual. The TUI uses :class:`Autosaver`; the CLI and reports use :class:`Store`.

Importing this package stays light (SQLite and plain dataclasses): the pydantic models are
imported where a screening is actually read, so ``cse-screen list`` never builds them. The
questionnaire diff needs the questionnaire models, so its names are loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cse_screen.store.autosave import Autosaver
from cse_screen.store.database import DB_NAME, LEASE_TTL, Store, default_who
from cse_screen.store.errors import (
    LeaseLost,
    NotFound,
    RecordLocked,
    StoreCorrupt,
    StoredQuestionnaireDamaged,
    StoreError,
    StoreLocked,
    StoreUnavailable,
)
from cse_screen.store.models import (
    Event,
    ExportRecord,
    HistoryEntry,
    ScreeningSummary,
    Status,
    StoredScreening,
)
from cse_screen.store.replay import replay

if TYPE_CHECKING:
    from cse_screen.store.diff import QuestionnaireDiff, diff_questionnaires

__all__ = [
    "DB_NAME",
    "LEASE_TTL",
    "Autosaver",
    "Event",
    "ExportRecord",
    "HistoryEntry",
    "LeaseLost",
    "NotFound",
    "QuestionnaireDiff",
    "RecordLocked",
    "ScreeningSummary",
    "Status",
    "Store",
    "StoreCorrupt",
    "StoredQuestionnaireDamaged",
    "StoreError",
    "StoreLocked",
    "StoreUnavailable",
    "StoredScreening",
    "default_who",
    "diff_questionnaires",
    "replay",
]

_LAZY = frozenset({"QuestionnaireDiff", "diff_questionnaires"})


def __getattr__(name: str) -> Any:
    """Load the questionnaire diff the first time one of its names is asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from cse_screen.store import diff

    value = getattr(diff, name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
