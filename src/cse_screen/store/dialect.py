"""The few places where the store's SQL differs between SQLite and PostgreSQL.

:class:`cse_screen.store.database.Store` holds every rule of the store (leases, the next
``seq``, a state change and its audit event in one transaction, the one codec) and writes
standard SQL (``?`` placeholders, ``INSERT … ON CONFLICT``). What cannot be said the same
way on both lives here, and only here: how a write transaction starts and locks the
screening, how an audit event is appended (in team mode the server, not the client,
fills in the login and the time), whose clock times a lease (the desk's here, the server's
in team mode, where desks' clocks may disagree), how the trail of a deleted screening is
erased, and the file-only chores (compaction, integrity check). :data:`SQLITE` is this
class itself; the PostgreSQL dialect is :class:`cse_screen.store.postgres.PostgresDialect`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from cse_screen.store.clock import ts
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

    author_column = "who"
    """The events column with the name the person gave (in team mode ``who`` is the login)."""

    greatest = "max"
    """The larger of two values (SQLite's two-argument ``max``; ``GREATEST`` in PostgreSQL)."""

    integrity_sql = "PRAGMA integrity_check"
    """The thorough check of the database: one row, ``ok``, when it is sound."""

    id_range = "id >= ? AND id < ?"
    """Ids from the first bound (a prefix) up to the second (the prefix and the last character)."""

    checks_rows = True
    """Every row carries a checksum of its columns (``rowsum``, :mod:`.rowcheck`), summed at
    commit and checked when read: a file on a desk can be damaged bit by bit, and SQLite checks
    its pages' structure, not their values."""

    looked_key = "who"
    """The key of a "last looked" mark (in team mode each login's own: ``login, who``)."""

    clock_sql: str | None = None
    """Reads the store's clock (one row, one time), or None for the desk's own (:meth:`Store.now`)."""

    def lease_now(self, desk_now: dt.datetime) -> tuple[str, tuple[Any, ...]]:
        """The time a lease is claimed or renewed at, as SQL and its parameters.

        Here the desk's own clock: the local file is used on one machine, so every program
        using it reads the same clock (and tests can move it).
        """
        return "?", (ts(desk_now),)

    def lease_expired(
        self, column: str, desk_now: dt.datetime, ttl: dt.timedelta
    ) -> tuple[str, tuple[Any, ...]]:
        """SQL (and its parameters) that is true when the heartbeat in ``column`` is older than ``ttl``.

        Decided inside the statement that reads or takes the lease, so the decision and the
        takeover cannot be separated. Here by the desk's clock (see :meth:`lease_now`).
        """
        # One fixed-width UTC format (clock.ts), so text order is time order.
        return f"{column} < ?", (ts(desk_now - ttl),)

    def before_commit(self, conn: sqlite3.Connection) -> None:
        """Last step of every write transaction: sum the rows it wrote (see :mod:`.rowcheck`)."""
        from cse_screen.store import rowcheck

        rowcheck.seal(conn)

    def text_as_bytes(self, column: str) -> str:
        """``column`` (text) read as bytes, so one damaged byte fails only its own decoding."""
        return f"CAST({column} AS BLOB)"

    def append_event(
        self, conn: sqlite3.Connection, values: tuple[Any, ...], at: str, lease_owner: str
    ) -> str:
        """Append one event, move the screening's counter and last change, renew our lease.

        ``values`` are ``(screening_id, seq, who, kind, question_id, old, new, reason, amendment)``;
        ``at`` is the time now (ours); the lease is renewed only if ``lease_owner`` holds it.

        Returns:
            The time the event is recorded at (ours here; the server's on PostgreSQL).
        """
        from cse_screen.store.codec import row_sum

        sid, seq, who, kind, question_id, old, new, reason, amendment = values
        row = (sid, seq, at, who, kind, question_id, old, new, reason, amendment)
        # Summed here: an event is never updated, so it cannot get its checksum at commit.
        conn.execute(
            "INSERT INTO events (screening_id, seq, at, who, kind, question_id, old, new, reason, amendment,"
            " rowsum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*row, row_sum("events", row)),
        )
        conn.execute("UPDATE screenings SET seq = ?, updated_at = ? WHERE id = ?", (seq, at, sid))
        conn.execute(
            "UPDATE leases SET heartbeat_at = ? WHERE screening_id = ? AND owner = ?", (at, sid, lease_owner)
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
        from cse_screen.store.sqlite_errors import _translate

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
