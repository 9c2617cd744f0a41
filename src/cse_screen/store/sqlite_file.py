"""The SQLite file behind the store: creating, opening, checking and upgrading it.

Everything here is about the file and never about screenings: a new database is built
under another name and linked into place; an existing one is checked (header, a ``-wal``
left by a crash, SQLite's own checks on a read-only connection, so a damaged file is never
written to) before it is opened; read-only folders fall back to ``mode=ro`` or
``immutable``; the schema is migrated all or nothing (``PRAGMA user_version``); and
SQLite's and the operating system's errors become :class:`StoreError` messages that say
what to do. :class:`cse_screen.store.database.Store` holds the connection this returns.
"""

from __future__ import annotations

import os
import secrets
import shlex
import sqlite3
from contextlib import suppress
from pathlib import Path
from typing import Final, Literal

from cse_screen import paths
from cse_screen.store import crypt, schema
from cse_screen.store.clock import ts, utcnow
from cse_screen.store.codec import use_keys
from cse_screen.store.errors import StoreCorrupt, StoreError, StoreUnavailable
from cse_screen.store.probe import DB_NAME as DB_NAME  # its home: the light check before the first frame
from cse_screen.store.probe import SQLITE_MAGIC as _SQLITE_MAGIC
from cse_screen.store.sqlite_errors import _corrupt, _sidecars, _translate
from cse_screen.store.sqlite_wal import TORN_NOTICE, _wal_damage

QUICK_CHECK_MAX_BYTES: Final = 64 * 1024 * 1024
"""Up to this size ``quick_check`` runs when a ``-wal`` was left behind (a few hundred ms)."""

BUSY_TIMEOUT_MS: Final = 5000
"""How long a write waits for another program's transaction before giving up."""

CheckMode = Literal["auto", "full", "header"]


# --------------------------------------------------------------------------- files


def _make_private(path: Path) -> None:
    """Tighten the database file and its companions to owner-only.

    SQLite creates the -wal and -shm files with the database file's permissions, so a
    0600 database keeps its companions 0600 whatever the umask.
    """
    for p in _sidecars(path):
        with suppress(FileNotFoundError):
            mode = p.stat().st_mode & 0o777
            if mode & 0o077:  # only ever tightened: a file made read-only (0400) stays so
                os.chmod(p, mode & 0o600)


def _refuse_empty(path: Path) -> None:
    """An existing 0-byte database is never treated as new.

    SQLite would take it for an empty database and delete its ``-wal`` — the only copy of
    every change not yet merged. cse-screen itself never leaves an empty file (a new
    database is built under another name and then linked into place).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size:
        return
    wal = path.with_name(path.name + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    existing = [p for p in _sidecars(path) if p.exists()]
    copy = "cp -p " + " ".join(shlex.quote(str(p)) for p in existing) + " SAFE-FOLDER/"
    raise StoreCorrupt(
        f"{path}: the screenings database file is empty (0 bytes). Nothing was changed: cse-screen never "
        f"replaces it by itself. {'Screenings may still be in ' + str(wal) + ': c' if has_wal else 'C'}"
        f"opy the files somewhere safe (`{copy}`) and ask your IT or data protection lead to restore the "
        "folder from a backup. If you are sure nothing was ever saved in this folder, delete the empty "
        "file and cse-screen will start a new one."
    )


def _create_new(path: Path) -> None:
    """Build a new, empty database under a temporary name and link it into place.

    A program killed half-way leaves only a hidden temporary file, never an empty or
    half-made database under the real name (which would then look damaged or, worse, new).
    """
    folder = path.parent
    for stale in folder.glob(f".{path.name}.new-*"):
        with suppress(OSError):
            if utcnow().timestamp() - stale.stat().st_mtime > 60:  # not one being made right now
                stale.unlink()
    tmp = folder / f".{path.name}.new-{secrets.token_hex(6)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            _migrate(conn, tmp)
        finally:
            conn.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        with suppress(FileExistsError):  # another program made it first: use theirs
            os.link(tmp, path)
    finally:
        for p in _sidecars(tmp):
            with suppress(FileNotFoundError):
                p.unlink()


def _check_header(path: Path) -> bool:
    """Cheap checks on the raw file before SQLite touches it (it is never written here).

    Returns:
        True when the header does not match the file's size. That is not damage by itself:
        a checkpoint stopped part-way (a full disk, a crash) leaves the main file shorter
        than its header says while every page is still in the ``-wal``. SQLite's own
        recovery and ``integrity_check`` decide (see :func:`_verify`).
    """
    size = path.stat().st_size
    with open(path, "rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or header[:16] != _SQLITE_MAGIC:
        raise _corrupt(path, "it is not an SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _corrupt(path, "the header is damaged")
    pages = int.from_bytes(header[28:32], "big")
    change_counter = header[24:28]
    valid_for = header[92:96]
    # The in-header page count is trustworthy only when "valid-for" matches the change counter.
    return bool(pages and change_counter == valid_for and size < pages * page_size)


def _verify(conn: sqlite3.Connection, path: Path, check: CheckMode) -> None:
    """Detect a damaged file before anything is written to it."""
    try:
        # Reading the schema makes SQLite check the header and the first page. The full
        # checks cost seconds on a large store, so they run after a crash (a -wal left
        # behind, see :meth:`Store.open`) and in `cse-screen doctor`, not on every open;
        # damage met later by a query is reported the same way.
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.DatabaseError as exc:
        translated = _translate(exc, path)
        if isinstance(translated, StoreCorrupt):
            raise translated from None
        if not isinstance(exc, sqlite3.OperationalError):
            raise _corrupt(path, "SQLite cannot read it") from None
        raise


def _connect_read(path: Path) -> sqlite3.Connection:
    """A connection that cannot write: ``mode=ro``, or ``immutable`` in a read-only folder.

    SQLite needs the ``-shm`` index to read a WAL database; in a folder it cannot write it
    cannot make one, and then only ``immutable=1`` opens the file. That mode ignores the
    ``-wal``, so it is used only when there is no ``-wal`` with content to ignore.
    """
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        if not (getattr(exc, "sqlite_errorname", "") or "").startswith("SQLITE_CANTOPEN"):
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreUnavailable(
            f"{path.parent}: cannot read the screenings — the folder cannot be written and {wal} holds "
            "recent changes SQLite can only read with write access. Copy the whole folder to one you can "
            "write and use --data-dir with the copy; nothing was changed."
        )
    conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    return conn


def _verify_readonly(path: Path, *, thorough: bool, truncated: bool = False) -> str | None:
    """Let SQLite recover the file read-only and check it (``integrity_check`` if ``thorough``).

    A read-only connection replays the ``-wal`` in memory without merging it, so nothing
    on disk changes whatever the verdict; only a real failure found by SQLite is damage.

    Returns:
        A warning to show once (:data:`TORN_NOTICE`), or None.
    """
    pragma = "integrity_check(5)" if thorough else "quick_check(5)"
    if not thorough and path.stat().st_size > QUICK_CHECK_MAX_BYTES:
        # A -wal is also left while another cse-screen has the store open, so this runs for
        # `list` beside an open wizard too: past this size the page check costs seconds and
        # is left to `doctor`; SQLite's recovery and the -wal check below still run.
        pragma = "schema_version"
    why = "the file is shorter than its header says and SQLite cannot recover it" if truncated else None
    conn = _connect_read(path)
    try:
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}")]
        if pragma == "schema_version":
            rows = ["ok"]
        # While this connection holds the -shm index, see whether recovery stopped early.
        damage = _wal_damage(path)
    except sqlite3.DatabaseError as exc:
        translated = _translate(exc, path)
        if isinstance(translated, StoreCorrupt) or not isinstance(exc, sqlite3.OperationalError):
            raise _corrupt(path, why or "SQLite cannot read it") from None
        raise translated from None
    finally:
        conn.close()
    if rows != ["ok"]:
        raise _corrupt(path, why or f"SQLite's check found damage: {rows[0][:120]}")
    if damage == "lost":
        raise _corrupt(path, "part of its -wal is damaged, and changes saved after that part cannot be read")
    return TORN_NOTICE if damage == "torn" else None


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to :data:`schema.CURRENT_VERSION`, all or nothing."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == schema.CURRENT_VERSION:
        return
    if version > schema.CURRENT_VERSION:
        raise StoreError(
            f"{path}: made by a newer cse-screen (data format {version}) — update cse-screen to open it; "
            "the file was not changed"
        )
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another program may have won
        if version == 0:
            if conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
                raise StoreError(
                    f"{path}: this file is not a cse-screen database — move it away or use another --data-dir"
                )
            schema.create_v1(conn)
            version = 1
        while version < schema.CURRENT_VERSION:
            schema.MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    except BaseException:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


# --------------------------------------------------------------------------- opening


Opened = tuple[sqlite3.Connection, Path, crypt.Encryption, "str | None"]
"""An open connection, the database file, its encryption state and a notice to show once."""


def open_write(
    data_dir: str | os.PathLike[str] | None, check: CheckMode, passphrase: crypt.PassphraseSource | None
) -> Opened:
    """Open (creating if needed) the database in the data folder for saving (see ``Store.open``)."""
    path = paths.data_dir(data_dir, create=False) / DB_NAME
    try:
        folder = paths.data_dir(data_dir)
        path = folder / DB_NAME
        _refuse_empty(path)
        if not path.exists():
            _create_new(path)
        _make_private(path)
        suspicious = _check_header(path)
        wal = path.with_name(path.name + "-wal")
        after_crash = wal.exists() and wal.stat().st_size > 0
        notice = None
        if suspicious or after_crash or check == "full":
            # Checked on a read-only connection: a read-write one merges the -wal into a
            # damaged file when it closes and deletes it, losing what only the -wal holds.
            notice = _verify_readonly(path, thorough=suspicious or check == "full", truncated=suspicious)
            check = "header"
        conn = sqlite3.connect(
            path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
    except (OSError, sqlite3.Error) as exc:
        raise _translate(exc, path) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _verify(conn, path, check)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted content is overwritten with zeros, not just unlinked from the b-tree.
        conn.execute("PRAGMA secure_delete = ON")
        # Sorts, indexes and VACUUM's copy stay in memory: SQLite's temporary files
        # would otherwise hold screening content in the system temp folder.
        conn.execute("PRAGMA temp_store = MEMORY")
        # Unlocked before migrating: a migration may reseal values, and a wrong
        # passphrase must leave the file exactly as it was.
        ring, keys = crypt.keys_before_migration(conn, path, passphrase)
        use_keys(keys)
        _migrate(conn, path)
        encryption: crypt.Encryption
        if ring is None:
            encryption, keys = crypt.set_up_new(conn, path, passphrase, ts(utcnow()))
            use_keys(keys)
        else:
            encryption = "on" if keys is not None else "off"
        _make_private(path)
    except BaseException as exc:
        conn.close()
        if isinstance(exc, OSError | sqlite3.Error):
            raise _translate(exc, path) from None
        raise
    return conn, path, encryption, notice


def open_read(
    data_dir: str | os.PathLike[str] | None, check: CheckMode, passphrase: crypt.PassphraseSource | None
) -> Opened:
    """Open without writing a byte: no folder or file created, tightened or migrated."""
    folder = paths.data_dir(data_dir, create=False)
    path = folder / DB_NAME
    try:
        if not path.exists():
            if not folder.is_dir():
                raise StoreUnavailable(f"{folder}: no such data folder — check --data-dir")
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            use_keys(None)
            _migrate(conn, path)  # nothing saved yet: an empty store, held in memory
            return conn, path, "not set up", None
        _refuse_empty(path)
        suspicious = _check_header(path)
        wal = path.with_name(path.name + "-wal")
        notice = None
        if suspicious or check == "full" or (check == "auto" and wal.exists() and wal.stat().st_size > 0):
            notice = _verify_readonly(path, thorough=suspicious or check == "full", truncated=suspicious)
        conn = _connect_read(path)
    except (OSError, sqlite3.Error) as exc:
        raise _translate(exc, path) from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        conn.close()
        raise _translate(exc, path) from None
    if version != schema.CURRENT_VERSION:
        conn.close()
        newer = version > schema.CURRENT_VERSION
        raise StoreError(
            f"{path}: made by {'a newer' if newer else 'an older'} cse-screen (data format {version}) "
            "and "
            f"it cannot be {'read by this one' if newer else 'upgraded while the folder is read-only'} — "
            f"{'update cse-screen' if newer else 'open it once where it can be written'}; "
            "the file was not changed"
        )
    try:
        ring, keys = crypt.keys_before_migration(conn, path, passphrase)
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.Error):
            raise _translate(exc, path) from None
        raise
    use_keys(keys)
    encryption: crypt.Encryption = "not set up" if ring is None else "on" if keys is not None else "off"
    return conn, path, encryption, notice
