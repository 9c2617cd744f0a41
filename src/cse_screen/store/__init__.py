"""Screening records: autosave, resume, history and an append-only audit trail (SQLite).

Pure core: no Textual. The TUI uses :class:`Autosaver`; the CLI and reports use :class:`Store`.
"""

from cse_screen.store.autosave import Autosaver
from cse_screen.store.database import DB_NAME, LEASE_TTL, Store, default_who
from cse_screen.store.diff import QuestionnaireDiff, diff_questionnaires
from cse_screen.store.errors import (
    NotFound,
    RecordLocked,
    StoreCorrupt,
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

__all__ = [
    "DB_NAME",
    "LEASE_TTL",
    "Autosaver",
    "Event",
    "ExportRecord",
    "HistoryEntry",
    "NotFound",
    "QuestionnaireDiff",
    "RecordLocked",
    "ScreeningSummary",
    "Status",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StoreUnavailable",
    "StoredScreening",
    "default_who",
    "diff_questionnaires",
    "replay",
]
