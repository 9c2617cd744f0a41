"""The few places where the store's SQL differs between SQLite and PostgreSQL.

:class:`cse_screen.store.database.Store` holds every rule of the store (leases, the next
``seq``, a state change and its audit event in one transaction, the one codec) and writes
standard SQL (``?`` placeholders, ``INSERT … ON CONFLICT``). What cannot be said the same
way on both lives here, and only here: how a write transaction starts and locks the
screening, how an audit event is appended (in team mode the server, not the client,
fills in the login and the time), how the trail of a deleted screening is erased, and the
file-only chores (compaction, integrity check). :data:`SQLITE` is this class itself; the
PostgreSQL dialect is :class:`cse_screen.store.postgres.PostgresDialect`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from cse_screen.store.errors import StoreUnavailable


class Dialect:
    """SQLite: the local store (and the base every other dialect overrides)."""

    name = "sqlite"

    begin = "BEGIN IMMEDIATE"
    """Starts a write transaction; SQLite's IMMEDIATE takes the one write lock at once."""

    lock_row = ""
    """Appended to the first read of a screening in a write (SQLite already holds the lock)."""

    created_date = "substr(created_at, 1, 10)"
    """The UTC day a screening was created, in SQL (``YYYY-MM-DD``)."""

    event_columns = "seq, at, who, kind, question_id, old, new, reason, amendment"
    """The event columns :meth:`Store.events` reads, in that order."""

    integrity_sql = "PRAGMA integrity_check"
    """The thorough check of the database: one row, ``ok``, when it is sound."""

    id_range = "id >= ? AND id < ?"
    """Ids from the first bound (a prefix) up to the second (the prefix and the last character)."""

    def text_as_bytes(self, column: str) -> str:
        """``column`` (text) read as bytes, so one damaged byte fails only its own decoding."""
        return f"CAST({column} AS BLOB)"

    def insert_event(self, conn: sqlite3.Connection, values: tuple[Any, ...], at: str) -> str:
        """Append one event; returns the time it is recorded at.

        ``values`` are ``(screening_id, seq, who, kind, question_id, old, new, reason, amendment)``.
        """
        sid, seq, who, kind, question_id, old, new, reason, amendment = values
        conn.execute(
            "INSERT INTO events (screening_id, seq, at, who, kind, question_id, old, new, reason, amendment)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (sid, seq, at, who, kind, question_id, old, new, reason, amendment),
        )
        return at

    def erase_events(self, conn: sqlite3.Connection, sid: str) -> None:
        """Remove the content events of a screening already marked deleted (its trigger allows it)."""
        conn.execute("DELETE FROM events WHERE screening_id = ?", (sid,))

    def compact(self, conn: sqlite3.Connection, path: Path) -> bool:
        """After a delete: merge the -wal and VACUUM, so no copy of the content remains in the files.

        Returns:
            False when another program had the database open (old pages may remain).
        """
        from cse_screen.store.sqlite_file import _translate

        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            conn.execute("VACUUM")
            busy |= conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error as exc:
            translated = _translate(exc, path)
            if isinstance(translated, StoreUnavailable):
                return False
            raise translated from None
        return not busy


SQLITE = Dialect()
"""The local store's dialect."""
