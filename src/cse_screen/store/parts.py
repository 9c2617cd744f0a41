"""What the store's mixins use of the core :class:`~cse_screen.store.database.Store`, declared once.

:class:`~cse_screen.store.followup.FollowUp` and :class:`~cse_screen.store.inbox.InboxStore`
are kept in their own modules and mixed into ``Store``, which defines these. They are declared
here only for the type checker, and only once: ``Store`` subclasses both mixins, so
``mypy --strict`` checks that its real definitions match these declarations (a changed
signature in ``database.py`` fails the check instead of drifting from a copy in each mixin).
"""

from __future__ import annotations

import builtins
import datetime as dt
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cse_screen.store.dialect import Dialect
    from cse_screen.store.models import EventKind, Status


class StoreParts:
    """The core store's attributes and plumbing that the mixins call (defined by ``Store``)."""

    if TYPE_CHECKING:
        path: Path
        _dialect: Dialect

        def _tx(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _read(self, sql: str, params: tuple[Any, ...] = ()) -> builtins.list[Any]: ...
        def _row(self, conn: sqlite3.Connection, sid: str) -> tuple[Status, int]: ...
        def _check_lease(self, conn: sqlite3.Connection, sid: str) -> bool: ...
        def _check_rows(self, table: str, column: str | None = None, values: Iterable[Any] = ()) -> None: ...
        def _decoding(self) -> AbstractContextManager[None]: ...
        def _event(
            self,
            conn: sqlite3.Connection,
            sid: str,
            seq: int,
            who: str,
            kind: EventKind,
            *,
            question_id: str | None = None,
            old: Any = None,
            new: Any = None,
            reason: str | None = None,
            amendment: bool = False,
            at: dt.datetime | None = None,
        ) -> str: ...
