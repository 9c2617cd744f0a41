"""Screening records: autosave, resume, history and an append-only audit trail (SQLite or PostgreSQL).

Pure core: no Textual. The TUI uses :class:`Autosaver`; the CLI and reports use :class:`Store`.

Importing this package is free: each name is loaded from its module on first use, so the
wizard can ask whether the store needs a passphrase without importing the store, and the
pydantic models are imported only where a screening is actually read (``cse-screen list``
never builds them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cse_screen.store.autosave import Autosaver
    from cse_screen.store.database import DB_NAME, LEASE_TTL, Store, default_who
    from cse_screen.store.diff import QuestionnaireDiff, diff_questionnaires
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
    from cse_screen.store.followup import FollowUpState, replay_followup
    from cse_screen.store.models import (
        OUTCOME_LABELS,
        Decision,
        DueReview,
        Event,
        ExportRecord,
        HistoryEntry,
        ScreeningSummary,
        Status,
        StoredScreening,
    )
    from cse_screen.store.replaying import replay

__all__ = [
    "DB_NAME",
    "LEASE_TTL",
    "OUTCOME_LABELS",
    "Autosaver",
    "Decision",
    "DueReview",
    "FollowUpState",
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
    "replay_followup",
]

# Every name is loaded on first use: importing a submodule (e.g. ``store.crypt`` to see
# whether the store needs a passphrase, before the wizard's first frame) must not import
# the whole store; the questionnaire diff also needs the questionnaire models.
_HOME = {
    "Autosaver": "autosave",
    "DB_NAME": "database",
    "LEASE_TTL": "database",
    "Store": "database",
    "default_who": "database",
    "QuestionnaireDiff": "diff",
    "diff_questionnaires": "diff",
    "LeaseLost": "errors",
    "NotFound": "errors",
    "RecordLocked": "errors",
    "StoreCorrupt": "errors",
    "StoredQuestionnaireDamaged": "errors",
    "StoreError": "errors",
    "StoreLocked": "errors",
    "StoreUnavailable": "errors",
    "FollowUpState": "followup",
    "replay_followup": "followup",
    "OUTCOME_LABELS": "models",
    "Decision": "models",
    "DueReview": "models",
    "Event": "models",
    "ExportRecord": "models",
    "HistoryEntry": "models",
    "ScreeningSummary": "models",
    "Status": "models",
    "StoredScreening": "models",
    "replay": "replaying",
}


def __getattr__(name: str) -> Any:
    """Load a name's module the first time the name is asked for."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"cse_screen.store.{home}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
