"""Row checksums: every row a reader sees carries the CRC-32 of its columns (``rowsum``).

SQLite checks the structure of its pages, not the bytes of a value. Sealed values carry
their own checksum (:mod:`.codec`), but a flipped bit in a date, the status, the level or
a question id read back as a different value, silently (issue 15: 2 of 100 corruptions).
Now each row of the tables in :data:`~.codec.ROW_COLUMNS` stores :func:`~.codec.row_sum`
of its columns, and reading a row that no longer matches is reported as damage.

Writing: no write method computes the sum itself. :func:`watch` puts temporary triggers on
the connection (never in the file) that note every row inserted or changed; :func:`seal`
(called by ``Store._tx`` just before ``COMMIT``) sums exactly those rows. Audit events are
never updated (a trigger forbids it; only ``encrypt`` lifts it, and seals before putting it
back), so ``Store._event`` sums each one as it inserts it.

Reading: :func:`check` re-reads the rows a command is about to show (``list`` checks only
the rows it lists, so listing 100,000 screenings stays as fast); ``cse-screen doctor``
checks every row (:func:`damaged_rows`).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from cse_screen.store.codec import ROW_COLUMNS, ROW_KEYS, row_sum

__all__ = [
    "RowDamaged",
    "add_rowsums",
    "check",
    "check_count",
    "check_numbered",
    "damaged_rows",
    "seal",
    "watch",
]

_TOUCHED = "temp.cse_rows_touched"


class RowDamaged(ValueError):
    """A row no longer matches its checksum (read as damage, like a value that cannot be decoded)."""


def _key_sql(table: str) -> tuple[str, str]:
    keys = ROW_KEYS[table]
    values = ", ".join(f"NEW.{k}" for k in keys) + (", ''" if len(keys) == 1 else "")
    where = " AND ".join(f"{k} = ?" for k in keys)
    return values, where


def watch(conn: sqlite3.Connection) -> None:
    """Note, on this connection only, every row inserted or changed in the watched tables.

    Temporary triggers live in the connection, not the file: another program (or an older
    cse-screen) opening the database sees nothing of them.
    """
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS cse_rows_touched (tbl TEXT, k1, k2, UNIQUE (tbl, k1, k2))")
    for table in ROW_COLUMNS:
        values, _ = _key_sql(table)
        mark = f"INSERT OR IGNORE INTO cse_rows_touched VALUES ('{table}', {values});"
        if table != "events":  # summed as they are inserted (see the module's docstring)
            conn.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS cse_rowsum_{table}_ins AFTER INSERT ON main.{table} "
                f"BEGIN {mark} END"
            )
        # Events change only when `cse-screen encrypt` re-seals them (their guard lifted).
        if table == "answers":  # a removed answer changes its screening's count
            old = mark.replace("NEW.", "OLD.")
            conn.execute(
                "CREATE TEMP TRIGGER IF NOT EXISTS cse_rowsum_answers_del AFTER DELETE ON main.answers "
                f"BEGIN {old} END"
            )
        # A change of the checksum alone (seal's own UPDATE) is not a change to note.
        conn.execute(
            f"CREATE TEMP TRIGGER IF NOT EXISTS cse_rowsum_{table}_upd AFTER UPDATE ON main.{table} "
            f"WHEN NEW.rowsum IS OLD.rowsum BEGIN {mark} END"
        )


def seal(conn: sqlite3.Connection) -> None:
    """Store the checksum of every row noted since the last call (inside the caller's transaction)."""
    # Each screening whose answers changed gets its count again (which notes its row too).
    for (sid,) in conn.execute(f"SELECT DISTINCT k1 FROM {_TOUCHED} WHERE tbl = 'answers'").fetchall():
        conn.execute(
            "UPDATE main.screenings SET answered = (SELECT count(*) FROM main.answers WHERE screening_id = ?)"
            " WHERE id = ?",
            (sid, sid),
        )
    touched = conn.execute(f"SELECT tbl, k1, k2 FROM {_TOUCHED}").fetchall()
    if not touched:
        return
    conn.execute(f"DELETE FROM {_TOUCHED}")
    for table, k1, k2 in touched:
        _, where = _key_sql(table)
        key = (k1,) if len(ROW_KEYS[table]) == 1 else (k1, k2)
        row = conn.execute(
            f"SELECT {', '.join(ROW_COLUMNS[table])}, rowsum FROM main.{table} WHERE {where}", key
        ).fetchone()
        if row is None:
            continue  # deleted again in the same transaction
        total = row_sum(table, row[:-1])
        if total != row[-1]:
            conn.execute(f"UPDATE main.{table} SET rowsum = ? WHERE {where}", (total, *key))


def check(conn: sqlite3.Connection, table: str, where: str, params: tuple[Any, ...] | list[Any]) -> None:
    """Re-read the rows of ``table`` matching ``where`` and compare each with its checksum.

    Raises:
        RowDamaged: a row does not match (damage; the store turns it into its one message).
    """
    columns = ", ".join(ROW_COLUMNS[table])
    for row in conn.execute(f"SELECT {columns}, rowsum FROM {table} WHERE {where}", tuple(params)):
        if row[-1] != row_sum(table, row[:-1]):
            raise RowDamaged(f"a saved {table} record fails its checksum")


def check_numbered(last: int, events: list[tuple[int, str]]) -> None:
    """A screening's audit trail, as read, must be numbered 1 to ``last`` without a gap.

    A checksum cannot show a row that a damaged page hides from a query; the numbering can.
    Once a screening is deleted only its tombstone (numbered ``last``) is left.

    Args:
        last: The screening's last event number (``screenings.seq``).
        events: (number, kind) of each event read, in order.

    Raises:
        RowDamaged: an event is missing, repeated or out of place.
    """
    numbers = [n for n, _ in events]
    deleted = bool(events) and events[0][1] == "deleted"
    if numbers != ([last] if deleted else list(range(1, last + 1))):
        raise RowDamaged("a screening's audit trail is missing events")


def check_count(answered: int | None, read: int) -> None:
    """The answers read for a screening must be as many as its (checked) row says it holds.

    Raises:
        RowDamaged: some are missing (a damaged page hid them from the query).
    """
    if answered != read:
        raise RowDamaged("a screening's answers are not all there")


def damaged_rows(conn: sqlite3.Connection) -> list[tuple[str, tuple[Any, ...]]]:
    """Every row of every summed table that fails its checksum: (table, primary key). For ``doctor``."""
    bad: list[tuple[str, tuple[Any, ...]]] = []
    for table, columns in ROW_COLUMNS.items():
        keys = ROW_KEYS[table]
        for row in conn.execute(f"SELECT {', '.join(columns)}, rowsum FROM {table}"):
            if row[-1] != row_sum(table, row[:-1]):
                bad.append((table, tuple(row[columns.index(k)] for k in keys)))
    return bad


def add_rowsums(conn: sqlite3.Connection) -> None:
    """Schema v4: add ``rowsum`` to every summed table and sum the rows already there.

    Audit events refuse UPDATE; summing them is not a change of content, so their guard is
    lifted inside the migration's transaction only and put back before it commits.
    """
    for table in ROW_COLUMNS:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN rowsum INTEGER")
    conn.execute("ALTER TABLE screenings ADD COLUMN answered INTEGER NOT NULL DEFAULT 0")
    conn.execute(
        "UPDATE screenings"
        " SET answered = (SELECT count(*) FROM answers WHERE answers.screening_id = screenings.id)"
    )
    (guard,) = conn.execute(
        "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'events_no_update'"
    ).fetchone()
    conn.execute("DROP TRIGGER events_no_update")
    for table, columns in ROW_COLUMNS.items():
        _, where = _key_sql(table)
        keys = ROW_KEYS[table]
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        for row in rows:
            key = tuple(row[columns.index(k)] for k in keys)
            conn.execute(f"UPDATE {table} SET rowsum = ? WHERE {where}", (row_sum(table, row), *key))
    conn.execute(guard)
    # Stores set up before this version: their keyring row gets the header's mark too.
    keyring = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'keyring'"
    has_table = conn.execute(keyring).fetchone()
    if has_table and conn.execute("SELECT 1 FROM keyring WHERE id = 1").fetchone():
        from cse_screen.store.crypt import KEYRING_MARK

        conn.execute(f"PRAGMA application_id = {KEYRING_MARK}")
