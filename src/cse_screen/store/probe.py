"""What opening the record store will ask for, told with ``sqlite3`` alone.

The full-screen wizard asks this before its first frame: a locked store opens on the
passphrase screen, anything else on the start screen. So this module imports nothing of
the store but itself. The keys, the key sources, the schema and the file checks
(:mod:`cse_screen.store.crypt`, :mod:`cse_screen.store.sqlite_file`: about 8 ms of
imports, measured, issue 16) are imported when the store is opened, after that frame.
The names the store shares with this check (the file's name, the keyring's mark, the two
environment variables) live here, and those modules import them from here.

Values are encrypted one by one inside an ordinary SQLite file (:mod:`cse_screen.store.crypt`),
so the file's header cannot tell an encrypted store from one that opted out (both carry
the keyring's mark): the keyring row's ``mode`` can, read on a read-only connection.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Final, Literal

DB_NAME: Final = "screenings.sqlite3"
"""File name of the database inside the data folder."""

KEYRING_MARK: Final = 0x43534B31
"""``PRAGMA application_id`` of a store that has its keyring row ("CSK1").

A store made before encryption existed has no row, and reads as not encrypted. A row that
a damaged page hides would read the same, silently; the mark in the file's header says a
row was written, so its absence is damage (found by fault injection, issue 15)."""

PASSPHRASE_FILE_ENV: Final = "CSE_SCREEN_PASSPHRASE_FILE"
"""Environment variable naming a file whose first line is the passphrase (automation, tests)."""

ENCRYPTION_ENV: Final = "CSE_SCREEN_ENCRYPTION"
"""``off`` when a *new* store is made: record the opt-out instead of asking for a passphrase."""

SQLITE_MAGIC: Final = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""

Lock = Literal["open", "locked", "new"]
"""What opening a store needs: nothing, its passphrase, or a choice (passphrase or opt-out)."""


def opt_out_requested() -> bool:
    """True when ``$CSE_SCREEN_ENCRYPTION`` asks for new stores to be left unencrypted."""
    return os.environ.get(ENCRYPTION_ENV, "").strip().lower() == "off"


def probe(path: Path) -> Lock:
    """What opening the database at ``path`` will ask for, read without writing a byte.

    A front end that cannot prompt on the terminal (the full-screen wizard) uses this to
    show its own unlock screen first. Damage is not judged here: opening reports it (an
    empty file, one that is not a database, one whose key record is missing: ``open``).
    """
    if os.environ.get(PASSPHRASE_FILE_ENV):
        return "open"  # the store reads the file itself
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        return "open" if opt_out_requested() else "new"
    except OSError:
        return "open"  # opening says what is wrong with it
    if len(header) < 100 or header[:16] != SQLITE_MAGIC:
        return "open"  # an empty or damaged file: opening refuses it and says what to do
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return "open"
    try:
        mode = _keyring_mode(conn)
        if mode is not None:
            return "locked" if mode == "passphrase" else "open"
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'screenings'"
        ).fetchone()
        if has_table and conn.execute("SELECT count(*) FROM screenings").fetchone()[0]:
            return "open"
        return "open" if opt_out_requested() else "new"
    except sqlite3.Error:
        return "open"
    finally:
        conn.close()


def _keyring_mode(conn: sqlite3.Connection) -> str | None:
    """The keyring row's ``mode``, or None (no keyring: a new store, or one from before encryption).

    Raises:
        sqlite3.DatabaseError: The header's mark says a row was written and it is missing.
    """
    exists = conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'keyring'").fetchone()
    if not exists:
        return None
    row = conn.execute("SELECT mode FROM keyring WHERE id = 1").fetchone()
    if row is None:
        if conn.execute("PRAGMA application_id").fetchone()[0] == KEYRING_MARK:
            raise sqlite3.DatabaseError("the key record is missing")  # reported as damage
        return None
    return str(row[0])
