"""The screening store: SQLite (standard library) in the user's data folder.

Every change is its own transaction (``BEGIN IMMEDIATE`` … ``COMMIT`` with WAL and
``synchronous=FULL``), written as the current state plus an append-only audit event.
Sensitive values go through :mod:`cse_screen.store.codec` and nowhere else.

Single writer per screening: a *lease* row (owner token, pid, host, heartbeat). A second
program gets :class:`StoreLocked` with a clear message. A lease is stale, and silently
taken over, when its process is gone (same host) or its heartbeat is older than
:data:`LEASE_TTL`, so a killed program never blocks a screening for long.
"""

from __future__ import annotations

import builtins
import datetime as dt
import functools
import getpass
import os
import secrets
import shlex
import socket
import sqlite3
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal, ParamSpec, TypeVar

from cse_screen import limits, paths
from cse_screen.errors import UserError
from cse_screen.store import crypt, notices, schema
from cse_screen.store.codec import child_key, seal, seal_json, unseal, unseal_json, use_keys
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
from cse_screen.store.followup import FollowUp
from cse_screen.store.models import (
    Event,
    EventKind,
    ExportRecord,
    HistoryEntry,
    ScreeningSummary,
    Status,
    StoredScreening,
)

if TYPE_CHECKING:
    # The pydantic models are imported where a screening is read (``load``), not here:
    # `cse-screen list` reads 100,000 rows without needing them, and building them costs
    # more than the whole query.
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, ScreeningMeta

DB_NAME: Final = "screenings.sqlite3"
"""File name of the database inside the data folder."""

LEASE_TTL: Final = dt.timedelta(seconds=120)
"""A lease without a heartbeat for this long is stale (the holder should beat every ~30 s)."""

QUICK_CHECK_MAX_BYTES: Final = 64 * 1024 * 1024
"""Up to this size ``quick_check`` runs when a ``-wal`` was left behind (a few hundred ms)."""

MAX_TEXT_CHARS: Final = limits.MAX_TEXT_CHARS
"""Longest note, text answer or reason the store accepts (see :mod:`cse_screen.limits`)."""

BUSY_TIMEOUT_MS: Final = 5000
"""How long a write waits for another program's transaction before giving up."""


CheckMode = Literal["auto", "full", "header"]
Access = Literal["write", "read", "auto"]

_SQLITE_MAGIC: Final = b"SQLite format 3\x00"
_UNSET: Final[Any] = object()
_P = ParamSpec("_P")
_R = TypeVar("_R")


def default_who() -> str:
    """The operating-system user name, used when the practitioner gives no name."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not a reason to stop saving
        return "unknown"


def utcnow() -> dt.datetime:
    """The current time in UTC (monkeypatch this in tests to move the clock)."""
    return dt.datetime.now(dt.UTC)


def _ts(moment: dt.datetime) -> str:
    # One fixed-width format, so text order is time order in SQL comparisons.
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _parse_ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


class TextTooLong(StoreError):
    """A note, text answer or reason is longer than :data:`MAX_TEXT_CHARS`."""


def check_text_length(what: str, text: str | None) -> None:
    """Refuse text longer than :data:`MAX_TEXT_CHARS` (the message never quotes it).

    Raises:
        TextTooLong: naming what is too long, by how much, and what to do.
    """
    if text is not None and len(text) > MAX_TEXT_CHARS:
        raise TextTooLong(
            f"{what} is {len(text):,} characters long; the limit is {MAX_TEXT_CHARS:,} (about ten pages) — "
            "shorten it, and keep longer documents in the child's safeguarding file"
        )


def _model_json(model: Answer | Judgement | ScreeningMeta | DangerAcknowledgement) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


# --------------------------------------------------------------------------- errors


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
_DECODE_ERRORS = (ValueError, KeyError, TypeError, IndexError, AttributeError, UnicodeError)
"""What reading a damaged row raises (bad UTF-8, JSON, dates; pydantic's ValidationError is a ValueError)."""


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


# --------------------------------------------------------------------------- files


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]


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


# --------------------------------------------------------------------------- questionnaires

_QCACHE: OrderedDict[str, LoadedQuestionnaire] = OrderedDict()
_QCACHE_LOCK = threading.Lock()


def _load_text(sha256: str, qid: str, version: str, stored: str | bytes) -> LoadedQuestionnaire:
    """Load a stored questionnaire text (cached per process: parsing YAML is the slow part)."""
    with _QCACHE_LOCK:
        hit = _QCACHE.get(sha256)
        if hit is not None:
            _QCACHE.move_to_end(sha256)
            return hit
    # Parse and validate against the format, but skip the loader's structural checks: the
    # text passed them when the screening started, and a stricter check in a newer
    # cse-screen must not lock people out of an old record.
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire, sha256_text
    from cse_screen.questionnaire.loader import build_questionnaire
    from cse_screen.questionnaire.yaml_safe import load_yaml

    name = f"<stored {qid} {version}>"
    try:
        text = stored.decode("utf-8") if isinstance(stored, bytes) else stored
        if sha256_text(text) != sha256:
            raise ValueError("hash mismatch")
        loaded = LoadedQuestionnaire(build_questionnaire(load_yaml(text, name), name), sha256, text)
    except (UserError, *_DECODE_ERRORS):
        loaded = _installed_copy(sha256, qid, version)
    with _QCACHE_LOCK:
        _QCACHE[sha256] = loaded
        while len(_QCACHE) > 16:
            _QCACHE.popitem(last=False)
    return loaded


def _installed_copy(sha256: str, qid: str, version: str) -> LoadedQuestionnaire:
    """The installed questionnaire with exactly the stored text (same SHA-256), if there is one.

    Raises:
        StoreCorrupt: no installed file has that text. Only screenings started with this
            questionnaire version are affected, and the message says so.
    """
    from cse_screen.questionnaire.loader import load_questionnaire, resolve_questionnaire

    with suppress(UserError, OSError):
        installed = load_questionnaire(resolve_questionnaire(qid))
        if installed.sha256 == sha256:
            return installed
    raise StoredQuestionnaireDamaged(
        f"the stored copy of questionnaire {qid} version {version} (sha256 {sha256[:12]}…) is damaged, so "
        "screenings started with it cannot be opened; every other screening is unaffected. Installing that "
        "same questionnaire file again lets cse-screen use it instead; `cse-screen doctor` lists the "
        "screenings affected."
    )


def _remember(loaded: LoadedQuestionnaire) -> None:
    with _QCACHE_LOCK:
        _QCACHE.setdefault(loaded.sha256, loaded)


# --------------------------------------------------------------------------- store


def _reads_rows(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A row that cannot be decoded (bad UTF-8, JSON, date) is damage, reported as such."""

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except _DECODE_ERRORS:
            store = args[0]
            assert isinstance(store, Store)
            raise _corrupt(store.path, "a saved record cannot be read") from None

    return wrapper


class Store(FollowUp):
    """The screenings database. Open with :meth:`Store.open`; use as a context manager.

    All methods are safe to call from several threads of one program (one lock).
    """

    encryption: crypt.Encryption = "not set up"
    """Encrypted (``on``), opted out (``off``) or made before encryption existed."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, readonly: bool = False) -> None:
        """Wrap an open, checked and migrated connection (use :meth:`open`)."""
        self._conn = conn
        self.path = path
        """The database file."""
        self.readonly = readonly
        """True when opened for reading only: every save fails with StoreUnavailable."""
        self.notices: list[str] = []
        """Warnings found on open, to show once (e.g. :data:`TORN_NOTICE`); never content."""
        self._lock = threading.RLock()
        self._owner = secrets.token_hex(16)
        self._host = socket.gethostname()
        self._claimed: set[str] = set()

    # ------------------------------------------------------------------ open/close

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        check: CheckMode = "auto",
        access: Access = "write",
        passphrase: crypt.PassphraseSource | None = None,
    ) -> Store:
        """Open (creating if needed) the database in the data folder.

        Args:
            data_dir: the folder; default ``--data-dir`` / ``$CSE_SCREEN_DATA_DIR`` / user data dir.
            check: ``auto`` runs ``PRAGMA quick_check`` after a crash (a non-empty ``-wal``
                left behind) and ``integrity_check`` when the header does not match the
                file; ``full`` always runs ``integrity_check``; ``header`` only the cheap checks.
            access: ``write`` opens (creating) for saving; ``read`` never writes anything
                (``doctor``, a read-only folder); ``auto`` writes when it can and falls back to
                reading when the folder or file cannot be written (``list``, ``show``).
            passphrase: asks for the passphrase of an encrypted store, or for a new one
                (default: the file named by ``$CSE_SCREEN_PASSPHRASE_FILE``). See :mod:`.crypt`.

        Raises:
            StoreCorrupt: the file failed its checks (it is left untouched).
            StoreUnavailable: the folder or file cannot be used.
            StoreError: the file was made by a newer cse-screen or is not ours.
        """
        if access == "read":
            return cls._open_read(data_dir, check, passphrase)
        if access == "auto":
            try:
                return cls.open(data_dir, check=check, passphrase=passphrase)
            except StoreUnavailable as exc:
                try:
                    return cls._open_read(data_dir, check, passphrase)
                except StoreError:
                    raise exc from None
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
            if ring is None:
                encryption, keys = crypt.set_up_new(conn, path, passphrase, _ts(utcnow()))
                use_keys(keys)
            else:
                encryption = "on" if keys is not None else "off"
            _make_private(path)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, OSError | sqlite3.Error):
                raise _translate(exc, path) from None
            raise
        store = cls(conn, path)
        store.encryption = encryption
        if notice:
            store.notices.append(notice)
            notices.found(path, notice)  # so every front end says it, once
        return store

    @classmethod
    def _open_read(
        cls,
        data_dir: str | os.PathLike[str] | None,
        check: CheckMode,
        passphrase: crypt.PassphraseSource | None = None,
    ) -> Store:
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
                return cls(conn, path, readonly=True)
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
        store = cls(conn, path, readonly=True)
        store.encryption = "not set up" if ring is None else "on" if keys is not None else "off"
        if notice:
            store.notices.append(notice)
            notices.found(path, notice)  # so every front end says it, once
        return store

    def close(self) -> None:
        """Release this program's leases and close the database."""
        with self._lock:
            for sid in list(self._claimed):
                with suppress(StoreError, sqlite3.Error):
                    self.release(sid)
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any failure rolls back and becomes a StoreError."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _translate(exc, self.path) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                translated = _translate(exc, self.path)
                if translated is exc:
                    raise
                raise translated from None

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                translated = _translate(exc, self.path)
                if translated is exc:
                    raise
                raise translated from None

    def _lease_alive(self, pid: int, host: str, heartbeat_at: str) -> bool:
        if utcnow() - _parse_ts(heartbeat_at) > LEASE_TTL:
            return False
        if host != self._host or pid == os.getpid():
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def _check_lease(self, conn: sqlite3.Connection, sid: str) -> bool:
        """Raise StoreLocked if someone else holds a live lease; True if we hold it."""
        row = conn.execute(
            "SELECT owner, pid, host, heartbeat_at FROM leases WHERE screening_id = ?", (sid,)
        ).fetchone()
        if row is None:
            if sid in self._claimed:
                # We held it and the row is gone: another program took it over (after our
                # lease looked stale) and has since let go. Writing now would silently
                # overwrite whatever it saved.
                raise LeaseLost(_lease_lost_message(sid))
            return False
        owner, pid, host, beat = row
        if owner == self._owner:
            return True
        if sid in self._claimed:
            raise LeaseLost(_lease_lost_message(sid))
        if self._lease_alive(pid, host, beat):
            raise StoreLocked(
                f"screening {sid} is open in another cse-screen (process {pid} on {host}). Close it "
                f"there first; if that program has stopped, the lock clears by itself within "
                f"{int(LEASE_TTL.total_seconds() // 60)} minutes."
            )
        return False

    def _row(self, conn: sqlite3.Connection, sid: str) -> tuple[Status, int]:
        row = conn.execute("SELECT status, seq FROM screenings WHERE id = ?", (sid,)).fetchone()
        if row is None or row[0] == "deleted":
            raise NotFound(f"screening {sid}: not found — see `cse-screen list` for the ids")
        return row[0], row[1]

    def _begin_change(
        self, conn: sqlite3.Connection, sid: str, reason: str | None, what: str
    ) -> tuple[int, bool]:
        """Checks for a content change; returns (next seq, is amendment)."""
        status, seq = self._row(conn, sid)
        self._check_lease(conn, sid)
        amendment = status == "completed"
        if amendment and not (reason and reason.strip()):
            raise RecordLocked(
                f"screening {sid} is completed and locked — to change {what}, give a reason for the amendment"
            )
        return seq + 1, amendment

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
    ) -> str:
        now = _ts(at or utcnow())
        conn.execute(
            "INSERT INTO events (screening_id, seq, at, who, kind, question_id, old, new, reason, amendment)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sid,
                seq,
                now,
                who,
                kind,
                question_id,
                seal_json(old),
                seal_json(new),
                None if reason is None else seal(reason),
                int(amendment),
            ),
        )
        conn.execute("UPDATE screenings SET seq = ?, updated_at = ? WHERE id = ?", (seq, now, sid))
        conn.execute(
            "UPDATE leases SET heartbeat_at = ? WHERE screening_id = ? AND owner = ?", (now, sid, self._owner)
        )
        return now

    # ------------------------------------------------------------------ writes

    def create(self, loaded: LoadedQuestionnaire, meta: ScreeningMeta, who: str) -> str:
        """Start a draft screening and return its id.

        The questionnaire's full text is stored once per SHA-256, so the record opens,
        scores and reports the same way after the YAML changes.
        """
        q = loaded.questionnaire
        _remember(loaded)
        now = utcnow()
        with self._tx() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO questionnaires (sha256, qid, version, text, added_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (loaded.sha256, q.id, q.version, loaded.text, _ts(now)),
            )
            while True:
                sid = secrets.token_hex(5)
                if conn.execute("SELECT 1 FROM screenings WHERE id = ?", (sid,)).fetchone() is None:
                    break
            conn.execute(
                "INSERT INTO screenings (id, questionnaire, status, child_key, meta, screening_date,"
                " created_at, updated_at, seq) VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, 0)",
                (
                    sid,
                    loaded.sha256,
                    child_key(meta.child_ref),
                    seal_json(_model_json(meta)),
                    (meta.date or now.date()).isoformat(),
                    _ts(now),
                    _ts(now),
                ),
            )
            self._event(
                conn,
                sid,
                1,
                who,
                "created",
                new={"questionnaire_id": q.id, "meta": _model_json(meta)},
                at=now,
            )
        return sid

    def record_answer(
        self,
        sid: str,
        question_id: str,
        answer: Answer | None,
        who: str,
        reason: str | None = None,
        *,
        position: str | None = _UNSET,
    ) -> None:
        """Save one answer (with its note and source), or remove it when ``answer`` is None.

        Args:
            sid: screening id.
            question_id: the question.
            answer: the new answer, or None to clear it.
            who: who made the change (for the audit trail).
            reason: why; required once the screening is completed (an amendment).
            position: if given, the question to resume at, saved in the same commit.

        Raises:
            NotFound, StoreLocked, RecordLocked, StoreUnavailable.
        """
        if answer is not None:
            check_text_length(f"the note on {question_id}", answer.note)
            if isinstance(answer.value, str):
                check_text_length(f"the answer to {question_id}", answer.value)
        check_text_length("the reason", reason)
        new = None if answer is None else _model_json(answer)
        with self._tx() as conn:
            seq, amendment = self._begin_change(conn, sid, reason, f"the answer to {question_id}")
            row = conn.execute(
                "SELECT body FROM answers WHERE screening_id = ? AND question_id = ?", (sid, question_id)
            ).fetchone()
            old = None if row is None else unseal_json(row[0])
            if position is not _UNSET:
                conn.execute("UPDATE screenings SET position = ? WHERE id = ?", (position, sid))
            if old == new:
                return  # nothing changed: no event, no noise in the audit trail
            if new is None:
                conn.execute(
                    "DELETE FROM answers WHERE screening_id = ? AND question_id = ?", (sid, question_id)
                )
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO answers (screening_id, question_id, body) VALUES (?, ?, ?)",
                    (sid, question_id, seal_json(new)),
                )
            self._event(
                conn,
                sid,
                seq,
                who,
                "answer",
                question_id=question_id,
                old=old,
                new=new,
                reason=reason,
                amendment=amendment,
            )

    def set_judgement(
        self, sid: str, judgement: Judgement | None, who: str, reason: str | None = None
    ) -> None:
        """Save (or clear) the practitioner's professional judgement.

        ``reason`` is needed only to amend a completed screening (the judgement carries its own).
        """
        check_text_length("the reason for the judgement", judgement.reason if judgement else None)
        check_text_length("the reason", reason)
        new = None if judgement is None else _model_json(judgement)
        with self._tx() as conn:
            seq, amendment = self._begin_change(
                conn, sid, reason or (judgement.reason if judgement else None), "the judgement"
            )
            row = conn.execute("SELECT judgement FROM screenings WHERE id = ?", (sid,)).fetchone()
            old = unseal_json(row[0])
            if old == new:
                return
            conn.execute("UPDATE screenings SET judgement = ? WHERE id = ?", (seal_json(new), sid))
            self._event(
                conn, sid, seq, who, "judgement", old=old, new=new, reason=reason, amendment=amendment
            )

    def set_meta(self, sid: str, meta: ScreeningMeta, who: str, reason: str | None = None) -> None:
        """Save who, when and about whom (child reference, practitioner, sharing)."""
        new = _model_json(meta)
        with self._tx() as conn:
            seq, amendment = self._begin_change(conn, sid, reason, "the screening details")
            row = conn.execute("SELECT meta, created_at FROM screenings WHERE id = ?", (sid,)).fetchone()
            old = unseal_json(row[0])
            if old == new:
                return
            date = meta.date or _parse_ts(row[1]).date()
            conn.execute(
                "UPDATE screenings SET meta = ?, child_key = ?, screening_date = ? WHERE id = ?",
                (seal_json(new), child_key(meta.child_ref), date.isoformat(), sid),
            )
            self._event(conn, sid, seq, who, "meta", old=old, new=new, reason=reason, amendment=amendment)

    def acknowledge_danger(self, sid: str, ack: DangerAcknowledgement, who: str) -> None:
        """Record that the practitioner confirmed the immediate-danger alert (allowed at any time)."""
        new = _model_json(ack)
        with self._tx() as conn:
            status, seq = self._row(conn, sid)
            self._check_lease(conn, sid)
            row = conn.execute("SELECT acks FROM screenings WHERE id = ?", (sid,)).fetchone()
            acks = unseal_json(row[0]) or []
            acks.append(new)
            conn.execute("UPDATE screenings SET acks = ? WHERE id = ?", (seal_json(acks), sid))
            self._event(conn, sid, seq + 1, who, "danger_ack", new=new, amendment=status == "completed")

    def set_position(self, sid: str, question_id: str | None) -> None:
        """Remember the question to resume at (not content: no audit event)."""
        with self._tx() as conn:
            self._row(conn, sid)
            self._check_lease(conn, sid)
            conn.execute("UPDATE screenings SET position = ? WHERE id = ?", (question_id, sid))

    def complete(
        self,
        sid: str,
        who: str,
        level: str | None = None,
        reason: str | None = None,
        *,
        review_due: dt.date | None = None,
    ) -> None:
        """Confirm and lock the screening, storing its final level (and next review date, if any).

        ``reason`` is the practitioner's reason for completing a result marked incomplete;
        it is kept as the audit event's reason.

        Raises:
            RecordLocked: it is already completed.
        """
        now = utcnow()
        with self._tx() as conn:
            status, seq = self._row(conn, sid)
            self._check_lease(conn, sid)
            if status == "completed":
                raise RecordLocked(f"screening {sid} is already completed")
            conn.execute(
                "UPDATE screenings SET status = 'completed', level = ?, completed_at = ?, review_due = ?"
                " WHERE id = ?",
                (level, _ts(now), None if review_due is None else review_due.isoformat(), sid),
            )
            done: dict[str, Any] = {"level": level}
            if review_due is not None:
                done["review_due"] = review_due.isoformat()
            self._event(conn, sid, seq + 1, who, "completed", new=done, reason=reason, at=now)
            self._review_done(conn, sid, who)

    def record_export(self, sid: str, fmt: str, path: str, shared_with: str, who: str) -> None:
        """Record that the screening was exported (format, file) and who it was shared with."""
        body = {"format": fmt, "path": path, "shared_with": shared_with}
        with self._tx() as conn:
            _status, seq = self._row(conn, sid)
            now = self._event(conn, sid, seq + 1, who, "export", new=body)
            conn.execute(
                "INSERT INTO exports (screening_id, seq, at, who, format, body) VALUES (?, ?, ?, ?, ?, ?)",
                (sid, seq + 1, now, who, fmt, seal_json({"path": path, "shared_with": shared_with})),
            )

    # ------------------------------------------------------------------ leases

    def claim(self, sid: str) -> None:
        """Become the single writer of a screening (taking over a stale lease).

        Raises:
            StoreLocked: another live program holds it.
        """
        with self._tx() as conn:
            self._row(conn, sid)
            self._check_lease(conn, sid)
            conn.execute(
                "INSERT OR REPLACE INTO leases (screening_id, owner, pid, host, heartbeat_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (sid, self._owner, os.getpid(), self._host, _ts(utcnow())),
            )
        self._claimed.add(sid)

    def heartbeat(self, sid: str) -> None:
        """Keep a claim alive (every ~30 s while a screening is open; :class:`Autosaver` does it).

        Claims the screening if this program does not hold it; renews a held claim only if
        it is still ours.

        Raises:
            LeaseLost: another program took the screening over; nothing is renewed.
            StoreLocked: another live program holds it (never held by us).
        """
        if sid not in self._claimed:
            self.claim(sid)
            return
        with self._tx() as conn:
            renewed = conn.execute(
                "UPDATE leases SET heartbeat_at = ? WHERE screening_id = ? AND owner = ?",
                (_ts(utcnow()), sid, self._owner),
            ).rowcount
        if not renewed:
            raise LeaseLost(_lease_lost_message(sid))

    def take_back(self, sid: str) -> None:
        """Claim a screening again after :class:`LeaseLost` (the other program has stopped).

        Raises:
            StoreLocked: the other program still holds it.
        """
        self._claimed.discard(sid)
        self.claim(sid)

    def release(self, sid: str) -> None:
        """Give up this program's claim on a screening (no-op if not held)."""
        with self._tx() as conn:
            conn.execute("DELETE FROM leases WHERE screening_id = ? AND owner = ?", (sid, self._owner))
        self._claimed.discard(sid)

    # ------------------------------------------------------------------ reads

    def resolve(self, prefix: str) -> str:
        """The full id of the one screening whose id starts with ``prefix``.

        Raises:
            NotFound: none matches (or it was deleted).
            StoreError: several match.
        """
        prefix = prefix.strip().lower()
        if not prefix:
            raise NotFound("no screening id given — see `cse-screen list` for the ids")
        rows = self._read(
            "SELECT id FROM screenings WHERE id >= ? AND id < ? AND status != 'deleted' LIMIT 2",
            (prefix, prefix + "\U0010ffff"),
        )
        if not rows:
            raise NotFound(f"screening {prefix}: not found — see `cse-screen list` for the ids")
        if len(rows) > 1:
            raise StoreError(f"screening {prefix}: several ids start with this — type more characters")
        return str(rows[0][0])

    @_reads_rows
    def load(self, sid: str) -> StoredScreening:
        """Everything about one screening, with the questionnaire it was started with."""
        from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, Screening, ScreeningMeta

        rows = self._read(
            "SELECT s.status, s.meta, s.judgement, s.acks, s.position, s.level, s.created_at, s.updated_at,"
            # The text as bytes: a damaged byte must affect only this questionnaire's screenings
            # (decoded in _load_text), not fail the query with a decoding error.
            " s.completed_at, s.seq, q.sha256, q.qid, q.version, CAST(q.text AS BLOB)"
            " FROM screenings AS s JOIN questionnaires AS q ON q.sha256 = s.questionnaire WHERE s.id = ?",
            (sid,),
        )
        if not rows or rows[0][0] == "deleted":
            raise NotFound(f"screening {sid}: not found — see `cse-screen list` for the ids")
        (
            status,
            meta,
            judgement,
            acks,
            position,
            level,
            created,
            updated,
            completed,
            seq,
            sha,
            qid,
            ver,
            text,
        ) = rows[0]
        answers = {
            qid_: Answer.model_validate(unseal_json(body))
            for qid_, body in self._read(
                "SELECT question_id, body FROM answers WHERE screening_id = ?", (sid,)
            )
        }
        judgement_json = unseal_json(judgement)
        screening = Screening(
            questionnaire_id=qid,
            answers=answers,
            judgement=None if judgement_json is None else Judgement.model_validate(judgement_json),
            meta=ScreeningMeta.model_validate(unseal_json(meta)),
            danger_acknowledgements=tuple(
                DangerAcknowledgement.model_validate(a) for a in (unseal_json(acks) or [])
            ),
        )
        return StoredScreening(
            id=sid,
            screening=screening,
            status=status,
            loaded=_load_text(sha, qid, ver, text),
            position=position,
            created_at=_parse_ts(created),
            updated_at=_parse_ts(updated),
            completed_at=None if completed is None else _parse_ts(completed),
            level=level,
            seq=seq,
        )

    @_reads_rows
    def list(
        self,
        *,
        status: Status | None = None,
        child_ref: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int | None = None,
    ) -> builtins.list[ScreeningSummary]:
        """Saved screenings, most recently changed first.

        Args:
            status: only drafts or only completed ones (None: both).
            child_ref: only this child (trimmed, case-insensitive).
            since: only screenings dated on or after this day.
            until: only screenings dated on or before this day.
            limit: at most this many.
        """
        where = ["s.status != 'deleted'"]
        params: builtins.list[Any] = []
        if status is not None:
            where.append("s.status = ?")
            params.append(status)
        if child_ref is not None:
            where.append("s.child_key IS ?")
            params.append(child_key(child_ref))
        if since is not None:
            where.append("s.screening_date >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append("s.screening_date <= ?")
            params.append(until.isoformat())
        sql = (
            "SELECT s.id, q.qid, q.version, s.status, s.meta, s.screening_date, s.created_at, s.updated_at,"
            " s.completed_at, s.level,"
            " (SELECT count(*) FROM answers AS a WHERE a.screening_id = s.id)"
            " FROM screenings AS s JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
            f" WHERE {' AND '.join(where)} ORDER BY s.updated_at DESC"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_summary(row) for row in self._read(sql, tuple(params))]

    @_reads_rows
    def due_for_review(self, older_than: dt.timedelta) -> builtins.list[ScreeningSummary]:
        """Completed screenings finished longer ago than ``older_than``, oldest first (never deletes)."""
        cutoff = _ts(utcnow() - older_than)
        rows = self._read(
            "SELECT s.id, q.qid, q.version, s.status, s.meta, s.screening_date, s.created_at, s.updated_at,"
            " s.completed_at, s.level,"
            " (SELECT count(*) FROM answers AS a WHERE a.screening_id = s.id)"
            " FROM screenings AS s JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
            " WHERE s.status = 'completed' AND s.completed_at < ? ORDER BY s.completed_at",
            (cutoff,),
        )
        return [_summary(row) for row in rows]

    @_reads_rows
    def events(self, sid: str) -> builtins.list[Event]:
        """The audit trail of a screening in order (only the tombstone once deleted)."""
        if not self._read("SELECT 1 FROM screenings WHERE id = ?", (sid,)):
            raise NotFound(f"screening {sid}: not found — see `cse-screen list` for the ids")
        rows = self._read(
            "SELECT seq, at, who, kind, question_id, old, new, reason, amendment FROM events"
            " WHERE screening_id = ? ORDER BY seq",
            (sid,),
        )
        return [
            Event(
                seq=seq,
                at=_parse_ts(at),
                who=who,
                kind=kind,
                question_id=question_id,
                old=unseal_json(old),
                new=unseal_json(new),
                reason=None if reason is None else unseal(reason),
                amendment=bool(amendment),
            )
            for seq, at, who, kind, question_id, old, new, reason, amendment in rows
        ]

    @_reads_rows
    def exports(self, sid: str) -> builtins.list[ExportRecord]:
        """Each export of a screening, oldest first."""
        rows = self._read(
            "SELECT at, who, format, body FROM exports WHERE screening_id = ? ORDER BY seq", (sid,)
        )
        out = []
        for at, who, fmt, body in rows:
            data = unseal_json(body)
            out.append(ExportRecord(_parse_ts(at), who, fmt, data["path"], data["shared_with"]))
        return out

    @_reads_rows
    def history(self, child_ref: str) -> builtins.list[HistoryEntry]:
        """Every screening of the same child (including the current one), oldest first."""
        key = child_key(child_ref)
        if key is None:
            return []
        rows = self._read(
            "SELECT screening_date, level, status, id FROM screenings WHERE child_key = ?"
            " AND status != 'deleted' ORDER BY screening_date, created_at",
            (key,),
        )
        return [HistoryEntry(dt.date.fromisoformat(d), level, status, sid) for d, level, status, sid in rows]

    def integrity_check(self) -> builtins.list[str]:
        """``PRAGMA integrity_check`` (the thorough one): ``["ok"]`` when the file is sound."""
        return [str(r[0]) for r in self._read("PRAGMA integrity_check")]

    # ------------------------------------------------------------------ delete

    def delete(self, sid: str, who: str) -> bool:
        """Remove a screening's content for good, keeping a content-free tombstone event.

        Answers, notes, details, judgement, exports and the content of every event are
        removed; with ``secure_delete``, a WAL checkpoint and VACUUM no copy remains in
        the database, -wal or -shm files.

        Returns:
            True when the files were compacted; False when another program had the
            database open, so old pages may remain until the next delete.
        """
        with self._tx() as conn:
            _status, seq = self._row(conn, sid)
            self._check_lease(conn, sid)
            conn.execute(
                "UPDATE screenings SET status = 'deleted', child_key = NULL, meta = NULL, judgement = NULL,"
                " acks = NULL, position = NULL, level = NULL, screening_date = substr(created_at, 1, 10),"
                " review_due = NULL"
                " WHERE id = ?",
                (sid,),
            )
            conn.execute("DELETE FROM answers WHERE screening_id = ?", (sid,))
            conn.execute("DELETE FROM exports WHERE screening_id = ?", (sid,))
            conn.execute("DELETE FROM decisions WHERE screening_id = ?", (sid,))
            conn.execute("DELETE FROM events WHERE screening_id = ?", (sid,))
            conn.execute("DELETE FROM leases WHERE screening_id = ?", (sid,))
            self._event(conn, sid, seq + 1, who, "deleted")
        self._claimed.discard(sid)
        return self._compact()

    def _compact(self) -> bool:
        with self._lock:
            try:
                busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                self._conn.execute("VACUUM")
                busy |= self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.Error as exc:
                translated = _translate(exc, self.path)
                if isinstance(translated, StoreUnavailable):
                    return False
                raise translated from None
            return not busy


def _lease_lost_message(sid: str) -> str:
    return (
        f"screening {sid} was opened in another cse-screen while this one was idle, so this one "
        "stopped saving it. Your latest answers are kept here: save them as a new draft, or take "
        "the screening back once the other window is closed."
    )


def _summary(row: tuple[Any, ...]) -> ScreeningSummary:
    sid, qid, version, status, meta, date, created, updated, completed, level, answered = row
    meta_json = unseal_json(meta) or {}
    return ScreeningSummary(
        id=sid,
        questionnaire_id=qid,
        questionnaire_version=version,
        status=status,
        child_ref=str(meta_json.get("child_ref", "")),
        date=dt.date.fromisoformat(date),
        created_at=_parse_ts(created),
        updated_at=_parse_ts(updated),
        completed_at=None if completed is None else _parse_ts(completed),
        level=level,
        answered=answered,
    )


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


def _wal_checksum(data: bytes, seed: tuple[int, int], big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum (wal.c ``walChecksumBytes``) over ``data`` from ``seed``."""
    import struct

    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    s1, s2 = seed
    for i in range(0, len(words), 2):
        s1 = (s1 + words[i] + s2) & 0xFFFFFFFF
        s2 = (s2 + words[i + 1] + s1) & 0xFFFFFFFF
    return s1, s2


TORN_NOTICE: Final = (
    "the last change saved before the computer or program stopped may not have been kept (the end "
    "of the database's -wal file is incomplete or damaged); check the most recent screening"
)
"""Said once, on the first open after it happened: a warning, never a lockout."""


def _wal_damage(path: Path) -> Literal["lost", "torn"] | None:
    """``lost`` when SQLite's recovery stopped at a damaged frame with committed frames after it.

    ``torn`` when the refused part ends in what was written as a commit (this cycle's salts
    and a commit mark) that fails its checksum: a write torn by a power cut, or damage —
    SQLite drops that last transaction either way, so it is said as a warning.

    Recovery reads the ``-wal`` up to the first frame whose checksum fails and ignores the
    rest: right for a write torn by a crash (that transaction never committed), silently
    wrong when the damage is in the middle and whole committed transactions follow it. A
    later frame is genuine if its own checksum holds when chained from the frame before it
    (SQLite wrote it); a genuine commit frame there means committed changes were dropped.
    """
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    try:
        index = shm.read_bytes()[:48]
        raw = wal.read_bytes()
        if shm.read_bytes()[:48] != index:
            return None  # another program committed while we read: not a settled -wal
    except OSError:
        return None
    if len(raw) < 32 or len(index) < 48:
        return None
    magic = int.from_bytes(raw[0:4], "big")
    if magic not in (0x377F0682, 0x377F0683):
        # SQLite ignores a -wal it cannot recognise: all of it is lost.
        return "lost" if len(raw) > 32 else None
    big_endian = bool(magic & 1)
    page_size = int.from_bytes(raw[8:12], "big")
    salts = raw[16:24]
    frame_size = 24 + page_size
    # The -shm index header (native byte order) says how many frames recovery accepted.
    used = int.from_bytes(index[16:20], sys.byteorder)
    frames = (len(raw) - 32) // frame_size

    def genuine(n: int) -> bool:
        """Frame n carries this cycle's salts and its checksum holds, chained from frame n-1."""
        start = 32 + n * frame_size
        header = raw[start : start + 24]
        if header[8:16] != salts:
            return False
        before = raw[24:32] if n == 0 else raw[start - frame_size + 16 : start - frame_size + 24]
        seed = (int.from_bytes(before[0:4], "big"), int.from_bytes(before[4:8], "big"))
        sums = _wal_checksum(header[0:8], seed, big_endian)
        sums = _wal_checksum(raw[start + 24 : start + frame_size], sums, big_endian)
        return sums == (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big"))

    # Frames after the accepted ones that are genuine belong to a transaction that never
    # committed (or another program committing right now): fine. Find the first that is not.
    refused = next((n for n in range(used, frames) if not genuine(n)), frames)
    for n in range(refused + 1, frames):
        start = 32 + n * frame_size
        if int.from_bytes(raw[start + 4 : start + 8], "big") and genuine(n):
            return "lost"  # a genuine commit after the refused frame: committed changes dropped
    if refused >= frames:
        return None
    # Frames left from earlier cycles of the -wal are normal (each restart adds one to the
    # first salt), and so is a transaction that never committed (every frame genuine). A
    # refused frame of this cycle, a commit mark after it, or a salt that fits no recent
    # cycle means the end was torn by a power cut or damaged.
    start = 32 + refused * frame_size
    age = (int.from_bytes(salts[0:4], "big") - int.from_bytes(raw[start + 8 : start + 12], "big")) % 2**32
    marked = any(
        raw[32 + n * frame_size + 8 : 32 + n * frame_size + 16] == salts
        and int.from_bytes(raw[32 + n * frame_size + 4 : 32 + n * frame_size + 8], "big")
        for n in range(refused, frames)
    )
    if not (marked or age == 0 or age > 1000):
        return None
    try:  # a frame another program is writing right now also fails: only a settled end counts
        if wal.read_bytes() != raw or shm.read_bytes()[:48] != index:
            return None
    except OSError:
        return None
    return "torn"


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
