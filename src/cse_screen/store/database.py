"""The screening store: SQLite (standard library) in the user's data folder.

Every change is its own transaction (``BEGIN IMMEDIATE`` … ``COMMIT`` with WAL and
``synchronous=FULL``), written as the current state plus an append-only audit event.
Sensitive values go through :mod:`cse_screen.store.codec` and nowhere else.

Single writer per screening: a *lease* row (owner token, pid, host, heartbeat). A second
program gets :class:`StoreLocked` with a clear message. A lease is stale, and silently
taken over, when its process is gone (same host, local store only) or its heartbeat is
older than :data:`LEASE_TTL`, so a killed program never blocks a screening for long.

The file itself (creating, checking, recovering, migrating it) lives in
:mod:`.sqlite_file`; stored questionnaire texts in :mod:`.qtext`. In team mode the same
class runs on PostgreSQL (:mod:`.postgres`): the few statements that differ are said in
:mod:`.dialect`, and the server, not the client, fills in who and when on the trail.

Why this module is long: every write method here is one transaction over the same tables
under the same rules — the lease check, the next ``seq``, the state change and its audit
event committed together, sensitive values through the one codec. Split across modules,
those rules would be repeated or reached into from outside. What is not that already lives
elsewhere: the file's checks and recovery (:mod:`.sqlite_file`), reads (:mod:`.reading`),
stored questionnaire texts (:mod:`.qtext`), the follow-up after completion
(:mod:`.followup`) and the DSL's inbox (:mod:`.inbox`).
"""

from __future__ import annotations

import builtins
import datetime as dt
import getpass
import json
import os
import secrets
import socket
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal, ParamSpec, TypeVar

from cse_screen import limits
from cse_screen.store import crypt, notices, rowcheck, sqlite_file
from cse_screen.store.clock import parse_ts as _parse_ts
from cse_screen.store.clock import ts as _ts
from cse_screen.store.clock import utcnow
from cse_screen.store.codec import child_key, seal, seal_json, unseal_json
from cse_screen.store.dialect import SQLITE, Dialect
from cse_screen.store.errors import (
    LeaseLost,
    NotFound,
    RecordLocked,
    StoreError,
    StoreLocked,
    StoreUnavailable,
)
from cse_screen.store.followup import FollowUp
from cse_screen.store.inbox import InboxStore
from cse_screen.store.models import (
    EventKind,
    Status,
)
from cse_screen.store.qtext import _QCACHE, _remember
from cse_screen.store.reading import StoreReads
from cse_screen.store.sqlite_errors import _corrupt, _translate
from cse_screen.store.sqlite_file import (
    BUSY_TIMEOUT_MS,
    DB_NAME,
    QUICK_CHECK_MAX_BYTES,
    CheckMode,
)
from cse_screen.store.sqlite_wal import TORN_NOTICE

if TYPE_CHECKING:
    # The pydantic models are imported where a screening is read (``load``), not here:
    # `cse-screen list` reads 100,000 rows without needing them, and building them costs
    # more than the whole query.
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, ScreeningMeta

__all__ = [  # also the names other modules and tests import from here
    "BUSY_TIMEOUT_MS",
    "DB_NAME",
    "LEASE_TTL",
    "MAX_TEXT_CHARS",
    "QUICK_CHECK_MAX_BYTES",
    "TORN_NOTICE",
    "_QCACHE",
    "_UNSET",
    "Store",
    "TextTooLong",
    "_corrupt",
    "_translate",
    "_ts",
    "check_text_length",
    "default_who",
    "utcnow",
]

LEASE_TTL: Final = dt.timedelta(seconds=120)
"""A lease without a heartbeat for this long is stale (the holder should beat every ~30 s)."""

MAX_TEXT_CHARS: Final = limits.MAX_TEXT_CHARS
"""Longest note, text answer or reason the store accepts (see :mod:`cse_screen.limits`)."""


Access = Literal["write", "read", "auto"]

_UNSET: Final[Any] = object()
_P = ParamSpec("_P")
_R = TypeVar("_R")


def default_who() -> str:
    """The operating-system user name, used when the practitioner gives no name."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not a reason to stop saving
        return "unknown"


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


# --------------------------------------------------------------------------- store


class Store(StoreReads, FollowUp, InboxStore):
    """The screenings database. Open with :meth:`Store.open`; use as a context manager.

    All methods are safe to call from several threads of one program (one lock).
    """

    encryption: crypt.Encryption = "not set up"
    """Encrypted (``on``), opted out (``off``) or made before encryption existed."""

    role: str | None = None
    """Who this login is in the team database (``practitioner``, ``dsl``, ``admin``), as the
    database's own roles say; None on the local store, which has no roles (one desk)."""

    @property
    def may_decide(self) -> bool:
        """Whether recording the DSL's decision is for this user: a DSL in the team database.

        On the local store whoever uses the desk may (they may be the DSL: one desk, no
        roles), as before team mode. In the team database the rules let only a DSL in, so
        front ends offer it only to a DSL instead of letting the server refuse it on save.
        """
        return self.role is None or self.role == "dsl"

    def __init__(
        self, conn: sqlite3.Connection, path: Path, *, readonly: bool = False, dialect: Dialect = SQLITE
    ) -> None:
        """Wrap an open, checked and migrated connection (use :meth:`open`)."""
        self._conn = conn
        self._dialect = dialect
        self.backend = dialect.name
        """``sqlite`` (the local file) or ``postgresql`` (the team database)."""
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
        database_url: str | None = None,
    ) -> Store:
        """Open (creating if needed) the database in the data folder, or the team database.

        Team mode (PostgreSQL, :mod:`.postgres`) is used when ``database_url`` is given, or
        when no ``data_dir`` is given and ``$CSE_SCREEN_DATABASE_URL`` or ``database:`` in the
        config file names one; ``check``, ``access`` and ``passphrase`` are about the local
        file and do not apply there.

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
            database_url: a PostgreSQL URL or libpq connection string (no password in it:
                libpq reads ``~/.pgpass``).

        Raises:
            StoreCorrupt: the file failed its checks (it is left untouched).
            StoreUnavailable: the folder or file cannot be used.
            StoreError: the file was made by a newer cse-screen or is not ours.
        """
        if database_url is None and data_dir is None:
            from cse_screen.store.postgres import configured_url

            database_url = configured_url()
        if database_url is not None:
            from cse_screen.store.postgres import open_store

            return open_store(cls, database_url)
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
        conn, path, encryption, notice = sqlite_file.open_write(data_dir, check, passphrase)
        rowcheck.watch(conn)  # every row written from now on gets its checksum at commit
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
        conn, path, encryption, notice = sqlite_file.open_read(data_dir, check, passphrase)
        store = cls(conn, path, readonly=True)
        store.encryption = encryption
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
                conn.execute(self._dialect.begin)
            except sqlite3.Error as exc:
                raise _translate(exc, self.path) from None
            try:
                yield conn
                self._dialect.before_commit(conn)
                conn.execute("COMMIT")
            except BaseException as exc:
                with suppress(sqlite3.Error, StoreError):
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

    def _check_rows(self, table: str, column: str | None = None, values: Iterable[Any] = ()) -> None:
        """Compare the rows about to be shown with their checksums (all rows when ``column`` is None).

        Only in the local file (:attr:`Dialect.checks_rows`): a team database has none.

        Raises:
            RowDamaged: one does not match (a ValueError: read methods report it as damage).
        """
        if not self._dialect.checks_rows:
            return
        keys = builtins.list(dict.fromkeys(values))
        with self._lock:
            try:
                if column is None:
                    rowcheck.check(self._conn, table, "1", ())
                for start in range(0, len(keys), 500):
                    part = keys[start : start + 500]
                    where = f"{column} IN ({', '.join('?' * len(part))})"
                    rowcheck.check(self._conn, table, where, part)
            except sqlite3.Error as exc:
                translated = _translate(exc, self.path)
                if translated is exc:
                    raise
                raise translated from None

    def _lease_alive(self, pid: int, host: str, expired: bool) -> bool:
        if expired:
            return False
        if self._dialect.clock_sql is not None:
            # Team mode: desks are often imaged alike and share a host name, so a process
            # id "gone from this host" may be alive on another desk. Only the heartbeat,
            # timed by the server's clock, says a lease has ended.
            return True
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
        return self._lease_state(conn, sid)[0]

    def _lease_state(self, conn: sqlite3.Connection, sid: str) -> tuple[bool, str | None]:
        """(we hold it, the owner of a lease we may take over); raise if another holds it live.

        Whether the heartbeat is too old is decided in SQL, by the dialect's clock: the
        desk's for the local file, the server's in team mode (desks' clocks disagree).

        Raises:
            LeaseLost: we held it and another program has taken it over.
            StoreLocked: another live program holds it.
        """
        stale, stale_params = self._dialect.lease_expired("heartbeat_at", utcnow(), LEASE_TTL)
        row = conn.execute(
            f"SELECT owner, pid, host, {stale} FROM leases WHERE screening_id = ?", (*stale_params, sid)
        ).fetchone()
        if row is None:
            if sid in self._claimed:
                # We held it and the row is gone: another program took it over (after our
                # lease looked stale) and has since let go. Writing now would silently
                # overwrite whatever it saved.
                raise LeaseLost(_lease_lost_message(sid))
            return False, None
        owner, pid, host, expired = row  # 1 (or true) when the heartbeat is too old
        if owner == self._owner:
            return True, owner
        if sid in self._claimed:
            raise LeaseLost(_lease_lost_message(sid))
        if self._lease_alive(pid, host, bool(expired)):
            raise _locked_by(sid, pid, host)
        return False, owner

    def _row(self, conn: sqlite3.Connection, sid: str) -> tuple[Status, int]:
        row = conn.execute(
            f"SELECT status, seq FROM screenings WHERE id = ?{self._dialect.lock_row}", (sid,)
        ).fetchone()
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
        # The event, the screening's counter and last change, and our lease's heartbeat:
        # together, in the caller's transaction (one statement on PostgreSQL).
        return self._dialect.append_event(
            conn,
            (
                sid,
                seq,
                who,
                kind,
                question_id,
                seal_json(old),
                seal_json(new),
                None if reason is None else seal(reason),
                int(amendment),
            ),
            _ts(at or utcnow()),
            self._owner,
        )

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
            # The level names are kept beside the text so a chronology shows them without
            # parsing it (a row stored before v6 gets them here, or once by the chronology).
            conn.execute(
                "INSERT INTO questionnaires (sha256, qid, version, text, added_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                (loaded.sha256, q.id, q.version, loaded.text, _ts(now)),
            )
            conn.execute(
                "UPDATE questionnaires SET levels = ? WHERE sha256 = ? AND levels IS NULL",
                (json.dumps([[x.id, x.label] for x in q.levels]), loaded.sha256),
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
                    "INSERT INTO answers (screening_id, question_id, body) VALUES (?, ?, ?)"
                    " ON CONFLICT (screening_id, question_id) DO UPDATE SET body = excluded.body",
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
        computed_level: str | None = None,
        flags: Sequence[str] | None = None,
    ) -> None:
        """Confirm and lock the screening, storing its final level (and next review date, if any).

        ``reason`` is the practitioner's reason for completing a result marked incomplete;
        it is kept as the audit event's reason. ``computed_level`` and ``flags`` (the rules
        that fired) are kept for the child's chronology, which then never re-evaluates.

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
                "UPDATE screenings SET status = 'completed', level = ?, completed_at = ?, review_due = ?,"
                " computed_level = ?, flags = ? WHERE id = ?",
                (
                    level,
                    _ts(now),
                    None if review_due is None else review_due.isoformat(),
                    computed_level,
                    None if flags is None else seal_json(list(flags)),
                    sid,
                ),
            )
            done: dict[str, Any] = {"level": level}
            if review_due is not None:
                done["review_due"] = review_due.isoformat()
            if flags is not None:
                done.update(computed_level=computed_level, flags=list(flags))
            self._event(conn, sid, seq + 1, who, "completed", new=done, reason=reason, at=now)
            self._review_done(conn, sid, who)

    def record_export(
        self, sid: str, fmt: str, path: str, shared_with: str, who: str, *, basis: str = ""
    ) -> None:
        """Record that the screening was exported (format, file), who to and on what basis."""
        sealed = {"path": path, "shared_with": shared_with, "sharing_basis": basis}
        with self._tx() as conn:
            _status, seq = self._row(conn, sid)
            now = self._event(conn, sid, seq + 1, who, "export", new={"format": fmt, **sealed})
            conn.execute(
                "INSERT INTO exports (screening_id, seq, at, who, format, body) VALUES (?, ?, ?, ?, ?, ?)",
                (sid, seq + 1, now, who, fmt, seal_json(sealed)),
            )

    # ------------------------------------------------------------------ leases

    def now(self) -> dt.datetime:
        """The store's clock: this desk's for the local file, the server's in team mode.

        In team mode the trail's times are the server's, so what is compared with them (the
        DSL's "last looked" mark) must be too: desks' clocks disagree.
        """
        if self._dialect.clock_sql is None:
            return utcnow()
        return _parse_ts(self._read(self._dialect.clock_sql)[0][0])

    def claim(self, sid: str) -> None:
        """Become the single writer of a screening (taking over a stale lease).

        The takeover is one statement that says again, by the dialect's clock, that the
        lease is ours, free or stale: two programs racing for one stale lease cannot both
        win, whatever their own clocks say.

        Raises:
            StoreLocked: another live program holds it.
        """
        with self._tx() as conn:
            self._row(conn, sid)
            _ours, free_owner = self._lease_state(conn, sid)
            now, now_params = self._dialect.lease_now(utcnow())
            expired, expired_params = self._dialect.lease_expired("leases.heartbeat_at", utcnow(), LEASE_TTL)
            taken = conn.execute(
                "INSERT INTO leases (screening_id, owner, pid, host, heartbeat_at)"
                f" VALUES (?, ?, ?, ?, {now}) ON CONFLICT (screening_id)"
                " DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,"
                " heartbeat_at = excluded.heartbeat_at"
                f" WHERE leases.owner = excluded.owner OR leases.owner = ? OR {expired}",
                (sid, self._owner, os.getpid(), self._host, *now_params, free_owner or "", *expired_params),
            ).rowcount
            if taken != 1:
                # Taken by another program between our look and our claim (a live lease now).
                holder = conn.execute("SELECT pid, host FROM leases WHERE screening_id = ?", (sid,))
                raise _locked_by(sid, *holder.fetchone())
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
        now_sql, now_params = self._dialect.lease_now(utcnow())
        with self._tx() as conn:
            renewed = conn.execute(
                f"UPDATE leases SET heartbeat_at = {now_sql} WHERE screening_id = ? AND owner = ?",
                (*now_params, sid, self._owner),
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

    def integrity_check(self) -> builtins.list[str]:
        """``PRAGMA integrity_check`` (the thorough one): ``["ok"]`` when the file is sound."""
        return [str(r[0]) for r in self._read(self._dialect.integrity_sql)]

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
                f" acks = NULL, position = NULL, level = NULL, screening_date = {self._dialect.created_date},"
                " review_due = NULL"
                " WHERE id = ?",
                (sid,),
            )
            conn.execute("DELETE FROM answers WHERE screening_id = ?", (sid,))
            conn.execute("DELETE FROM exports WHERE screening_id = ?", (sid,))
            conn.execute("DELETE FROM decisions WHERE screening_id = ?", (sid,))
            self._dialect.erase_events(conn, sid)
            conn.execute("DELETE FROM leases WHERE screening_id = ?", (sid,))
            self._event(conn, sid, seq + 1, who, "deleted")
        self._claimed.discard(sid)
        return self._compact()

    def _compact(self) -> bool:
        with self._lock:
            return self._dialect.compact(self._conn, self.path)


def _locked_by(sid: str, pid: int, host: str) -> StoreLocked:
    return StoreLocked(
        f"screening {sid} is open in another cse-screen (process {pid} on {host}). Close it "
        f"there first; if that program has stopped, the lock clears by itself within "
        f"{int(LEASE_TTL.total_seconds() // 60)} minutes"  # no full stop: front ends add one
    )


def _lease_lost_message(sid: str) -> str:
    return (
        f"screening {sid} was opened in another cse-screen while this one was idle, so this one "
        "stopped saving it. Your latest answers are kept here: save them as a new draft, or take "
        "the screening back once the other window is closed."
    )
