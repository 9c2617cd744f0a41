"""SQLite's and the operating system's errors, said as store messages that tell what to do.

Only an error's kind is used, never its text beyond classifying it. A damaged file gets one
message (:func:`_corrupt`) naming every file that belongs with it, because SQLite keeps
committed changes in the ``-wal`` until they are merged into the main file.
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

from cse_screen.store.errors import StoreCorrupt, StoreError, StoreUnavailable

__all__ = ["_corrupt", "_sidecars", "_translate"]


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]


_REASONS = (
    (("SQLITE_FULL",), "database or disk is full", "the disk is full"),
    (("SQLITE_READONLY",), "readonly database", "the data folder is read-only"),
    (("SQLITE_IOERR",), "disk i/o error", "the disk reported an input/output error"),
    (("SQLITE_CANTOPEN", "SQLITE_PERM"), "unable to open", "the database file cannot be opened"),
    (("SQLITE_BUSY", "SQLITE_LOCKED"), "database is locked", "another program is busy with the database"),
)
_CORRUPT_NAMES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_CORRUPT_TEXTS = (
    "malformed",
    "could not decode",  # text that is not UTF-8 any more
    "not a database",
    "database corruption",
    # Our own tables and columns always exist: missing ones mean a damaged schema page.
    "no such table",
    "no such column",
    "unsupported file format",
    "corrupt",
)


def _corrupt(path: Path, detail: str) -> StoreCorrupt:
    """The one message for a damaged database: what is wrong, which files to keep, how to copy them.

    SQLite keeps committed changes in the ``-wal`` file until they are merged into the main
    file, so the main file alone may be missing recent answers: the three files belong
    together, and advice to copy only the main file could lose everything in the ``-wal``.
    """
    files = [p for p in _sidecars(path) if p.name != path.name + "-journal"]
    existing = [p for p in files if p.exists()] or [path]
    names = ", ".join(str(p) for p in files)
    copy = "cp -p " + " ".join(shlex.quote(str(p)) for p in existing) + " SAFE-FOLDER/"
    return StoreCorrupt(
        f"{path}: the screenings database is damaged ({detail}). It has been left exactly as it is — "
        f"do not delete or move any of its files; they belong together: {names} (the last two may not "
        f"exist). Copy them all somewhere safe, e.g. `{copy}`, and ask your IT or data protection lead "
        "to restore the folder from a backup; `cse-screen doctor` lists what is wrong. To keep working "
        "meanwhile, run cse-screen with --data-dir set to a new empty folder."
    )


def _translate(exc: BaseException, path: Path) -> BaseException:
    """Turn a sqlite3 or OS error into a :class:`StoreError`; others pass through unchanged.

    Only the error's kind is used, never its text beyond classification: SQLite messages do
    not contain row values, but we keep the promise simple.
    """
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, OSError):
        return StoreUnavailable(f"{path.parent}: cannot use the data folder ({exc.strerror or 'error'})")
    if not isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) or isinstance(
        exc, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError
    ):
        return exc
    name = getattr(exc, "sqlite_errorname", None) or ""
    text = str(exc).lower()
    if name.startswith(_CORRUPT_NAMES) or any(t in text for t in _CORRUPT_TEXTS):
        return _corrupt(path, "SQLite reports the file is malformed")
    for names, needle, reason in _REASONS:
        if name.startswith(names) or needle in text:
            err = StoreUnavailable(f"{path}: cannot save — {reason}. Nothing already saved is lost.")
            err.reason = reason  # type: ignore[attr-defined]
            return err
    if isinstance(exc, sqlite3.OperationalError):
        err = StoreUnavailable(
            f"{path}: cannot use the screenings database — SQLite reported an error ({name or 'unknown'}). "
            "Nothing already saved is lost; `cse-screen doctor` checks the file."
        )
        err.reason = "the database reported an error"  # type: ignore[attr-defined]
        return err
    # Any other DatabaseError (e.g. SQLITE_CORRUPT raised as DatabaseError) is the file's fault.
    return _corrupt(path, "SQLite cannot read part of it")
