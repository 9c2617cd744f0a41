"""The store on PostgreSQL (team mode): the same :class:`Store`, over the team database.

Chosen by ``CSE_SCREEN_DATABASE_URL`` or a ``database:`` line in ``<config dir>/config.yaml``
(a file only its owner may read). The connection uses libpq's own credentials (``~/.pgpass``,
a service file, peer or certificate sign-in): cse-screen never stores a password, and every
message names the target without one (:mod:`cse_screen.team.connect`).

The database enforces who may do what (docs/team.md): each person signs in as their own
login; the server fills in the owner and setting of a new screening and the login and time
of each event, and row-level security decides what each login sees. This module only
adapts the connection — ``?`` placeholders, values read back as the local store reads them,
errors as :class:`StoreError` — and says, in :class:`PostgresDialect`, the few statements
that differ from SQLite. Every rule of the store itself stays in :class:`Store`.

A lost connection (a server restart, a dropped network) fails the change in hand with
:class:`StoreUnavailable` — the autosaver keeps it in memory, says "Not saved — retrying",
and retries in order — and the next change reconnects. A transaction never half-commits,
so a retried change is never stored twice.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

from cse_screen.store.clock import ts
from cse_screen.store.dialect import Dialect
from cse_screen.store.errors import StoreError, StoreUnavailable

if TYPE_CHECKING:
    import sqlite3

    import psycopg

    from cse_screen.store.database import Store

_MIN_BACKOFF: Final = 0.25
_MAX_BACKOFF: Final = 8.0


def configured_url() -> str | None:
    """The team database to use: ``$CSE_SCREEN_DATABASE_URL``, else ``database:`` in the config file.

    The reading itself lives in :mod:`cse_screen.team.config` (the team commands read it too);
    here its refusals become :class:`StoreError`, as every store failure is.

    Raises:
        StoreError: the config file can be read by others, or is not a mapping of text.
    """
    from cse_screen.team.config import ConfigError
    from cse_screen.team.config import configured_url as read

    try:
        return read()
    except ConfigError as exc:
        raise StoreError(str(exc)) from None


class _Cursor:
    """A psycopg cursor read the way the store reads SQLite's: times as text, bytes as bytes."""

    def __init__(self, rowcount: int, rows: list[tuple[Any, ...]]) -> None:
        self.rowcount = rowcount
        self._rows = rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows


def _value(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return ts(v)
    if isinstance(v, memoryview):
        return bytes(v)
    return v


class PgConnection:
    """The team database behind the narrow ``execute`` interface :class:`Store` uses.

    Reconnects on the next statement after the connection was lost (only ever at the
    start of a transaction: a transaction cut short is rolled back by the server).
    """

    def __init__(self, conninfo: str, target: str) -> None:
        self._conninfo = conninfo
        self.target = target
        self.role = "your role"
        """Who this login is in the team (``practitioner``, ``dsl``, ``admin``), for refusals."""
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[tuple[Any, ...]] | None = None
        self._in_tx = False
        self._delay = 0.0
        self._next_try = 0.0
        self.attempts = 0
        """Connections tried so far (the first included): a test sees the backoff in it."""
        self._connect()

    def _connect(self) -> None:
        from cse_screen.team.connect import connect

        self.attempts += 1
        conn = connect(self._conninfo, autocommit=True)
        conn.execute("SET search_path = cse_screen, pg_catalog")
        self._conn = conn

    def _reconnect(self) -> None:
        """Connect again, at most once per backoff period (0.25 s doubling to 8 s while it fails).

        Between tries a change fails at once, still kept by the autosaver: while the server
        is away, typing costs nothing and the server is not hammered when it comes back.
        """
        from cse_screen.team.connect import TeamError

        now = time.monotonic()
        if now < self._next_try:
            raise _unavailable(
                f"cannot save — the team database ({self.target}) cannot be reached; trying again in "
                f"{self._next_try - now:.0f} s. Nothing already saved is lost.",
                "the team database cannot be reached",
            )
        try:
            self._connect()
        except TeamError:
            self._delay = min(_MAX_BACKOFF, max(_MIN_BACKOFF, self._delay * 2))
            self._next_try = time.monotonic() + self._delay
            raise
        self._delay = 0.0

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> _Cursor:
        """Run one statement (``?`` placeholders) and return its rows, converted.

        Raises:
            StoreUnavailable: the server cannot be reached; nothing of this change was kept.
            StoreError: the server refused the statement (a rule of the team database).
        """
        import psycopg

        from cse_screen.team.connect import TeamError

        statement = sql.strip().upper()
        with self._lock:
            try:
                if self._conn is None or self._conn.closed:
                    if self._in_tx and statement != "ROLLBACK":
                        raise psycopg.OperationalError("the connection was lost during the change")
                    if statement == "ROLLBACK":
                        self._in_tx = False
                        return _Cursor(-1, [])
                    self._reconnect()
                assert self._conn is not None
                try:
                    cur = self._conn.execute(*_placeholders(sql, tuple(params)))
                except (psycopg.OperationalError, psycopg.InterfaceError):
                    if not statement.startswith("BEGIN"):
                        raise
                    # Nothing of this change was sent yet: a connection the server dropped
                    # while we were idle (a restart) is replaced once, here.
                    self._drop()
                    self._reconnect()
                    assert self._conn is not None
                    cur = self._conn.execute(sql, ())
                rows = [tuple(_value(v) for v in row) for row in cur.fetchall()] if cur.description else []
                if statement.startswith("BEGIN"):
                    self._in_tx = True
                elif statement in ("COMMIT", "ROLLBACK"):
                    self._in_tx = False
                return _Cursor(cur.rowcount, rows)
            except TeamError as exc:
                raise _unavailable(str(exc), "the team database cannot be reached") from None
            except (psycopg.OperationalError, psycopg.InterfaceError):
                self._drop()
                raise _unavailable(
                    f"cannot save — the connection to the team database ({self.target}) was lost. "
                    "Nothing already saved is lost; saving will try again.",
                    "the team database cannot be reached",
                ) from None
            except psycopg.errors.InsufficientPrivilege:
                raise StoreError(
                    f"the team database ({self.target}) does not allow this for {self.role} — nothing was "
                    "changed; see docs/team.md for who may do what"
                ) from None
            except psycopg.Error as exc:
                # The server's one-line reason: it names constraints and columns, never values.
                reason = (exc.diag.message_primary if exc.diag else None) or type(exc).__name__
                raise StoreError(
                    f"the team database ({self.target}) refused this: {reason} — nothing was changed"
                ) from None

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(Exception):  # already broken: nothing more to release
                conn.close()

    def close(self) -> None:
        """Close the connection (the server drops anything uncommitted)."""
        with self._lock:
            self._drop()


def _placeholders(sql: str, params: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """SQLite's ``?`` and ``?N`` placeholders as psycopg's ``%s``, with the parameters to match."""
    if not _NUMBERED.search(sql):
        return sql.replace("?", "%s"), params
    ordered: list[Any] = []
    following = iter(params)

    def one(match: re.Match[str]) -> str:
        ordered.append(params[int(match.group(1)) - 1] if match.group(1) else next(following))
        return "%s"

    return _NUMBERED_OR_PLAIN.sub(one, sql), tuple(ordered)


_NUMBERED: Final = re.compile(r"\?\d")
_NUMBERED_OR_PLAIN: Final = re.compile(r"\?(\d*)")


def _unavailable(message: str, reason: str) -> StoreUnavailable:
    err = StoreUnavailable(message)
    err.reason = reason  # type: ignore[attr-defined]
    return err


SERVER_NOW: Final = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
"""The server's time now, as text in the store's one format (:func:`cse_screen.store.clock.ts`).

``clock_timestamp()``, not ``now()``: a transaction that waited for a lock decides with the
time it is decided at, not the time it began."""


class PostgresDialect(Dialect):
    """The team database: the server fills in who and when, and the trail is erased by a function.

    Leases are timed by the server's clock alone. Desks' clocks disagree (a laptop off the
    network for a week, a wrong time zone set as UTC): were each desk to judge by its own, a
    desk whose clock runs hours ahead would find a live lease stale and take it, and one
    running behind would be kept out of a stale one. The desk's clock is never used for a
    lease here: claim, heartbeat and the staleness check all read the server's.
    """

    name = "postgresql"
    begin = "BEGIN"
    # Two desks changing one screening queue here, as SQLite's one write lock queues them.
    lock_row = " FOR UPDATE"
    created_date = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
    # The name the practitioner gave; the login (events.who) is the server's record.
    # A copied event shows the time its desk recorded (the server's own `at` stays beside it).
    event_columns = (
        "seq, COALESCE(desk_at::timestamptz, at), author, kind, question_id, old_value, new_value, reason,"
        " amendment"
    )
    author_column = "author"
    greatest = "GREATEST"
    integrity_sql = "SELECT 'ok'"
    # Ids are compared byte by byte whatever the database's collation.
    id_range = 'id COLLATE "C" >= ? AND id COLLATE "C" < ?'

    # The server's own storage guards the values (no file on a desk to flip bits in).
    checks_rows = False

    clock_sql = "SELECT clock_timestamp()"
    # Two people may give the same name; each login keeps its own mark under it.
    looked_key = "login, who"

    def lease_now(self, desk_now: dt.datetime) -> tuple[str, tuple[Any, ...]]:
        return SERVER_NOW, ()

    def lease_expired(
        self, column: str, desk_now: dt.datetime, ttl: dt.timedelta
    ) -> tuple[str, tuple[Any, ...]]:
        # The stored text read back as a time: compared as text it would follow the
        # database's collation, not the clock.
        return f"{column}::timestamptz < clock_timestamp() - ? * interval '1 second'", (ttl.total_seconds(),)

    def before_commit(self, conn: sqlite3.Connection) -> None:
        return None

    def text_as_bytes(self, column: str) -> str:
        return f"convert_to({column}, 'UTF8')"

    def append_event(
        self, conn: sqlite3.Connection, values: tuple[Any, ...], at: str, lease_owner: str
    ) -> str:
        sid, seq, who, kind, question_id, old, new, reason, amendment = values
        # `who` (the login) and the event's `at` are the server's: our own clock is not trusted
        # for the trail. One statement, so an autosave costs two round trips fewer. The
        # heartbeat is the server's time too, as every lease time is (claim, heartbeat, staleness).
        row = conn.execute(
            "WITH ev AS (INSERT INTO events (screening_id, seq, author, kind, question_id, old_value,"
            " new_value, reason, amendment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING at),"
            " s AS (UPDATE screenings SET seq = ?, updated_at = (SELECT at FROM ev) WHERE id = ?),"
            f" l AS (UPDATE leases SET heartbeat_at = {SERVER_NOW} WHERE screening_id = ? AND owner = ?)"
            " SELECT at FROM ev",
            (sid, seq, who, kind, question_id, old, new, reason, amendment, seq, sid, sid, lease_owner),
        ).fetchone()
        return str(row[0])

    def erase_events(self, conn: sqlite3.Connection, sid: str) -> None:
        conn.execute("SELECT cse_screen.erase_trail(?)", (sid,))

    def compact(self, conn: sqlite3.Connection, path: Path) -> bool:
        # The server reclaims the old row versions itself (autovacuum); nothing to merge here.
        return True


POSTGRESQL = PostgresDialect()

_AS_ROLE: Final = {"practitioner": "a practitioner", "dsl": "a DSL", "admin": "an administrator"}
"""How a refusal names the role it refused (``does not allow this for a DSL``)."""


def as_role(role: str | None) -> str:
    """A team role as a refusal or notice names it: ``a DSL``, ``a practitioner``…"""
    return _AS_ROLE.get(role or "", "your role")


def open_store(cls: type[Store], url: str) -> Store:
    """Connect to the team database as this desk's login and wrap it in a :class:`Store`.

    Raises:
        StoreUnavailable: the server cannot be reached just now (not running, the network):
            trying again may work (the message names the target, never a password).
        StoreError: nothing will work until someone changes something: the sign-in was
            refused, no such user or database, a connection string libpq cannot read, no
            team schema or one from an older or newer cse-screen, or this login is not a
            person of the team. The message says which setting to fix.
    """
    from cse_screen.store.codec import use_keys
    from cse_screen.team.connect import TeamError, TeamUnreachable, describe_target
    from cse_screen.team.schema import check_desk

    target = describe_target(url)
    try:
        conn = PgConnection(url, target)
    except TeamUnreachable as exc:
        raise _unavailable(str(exc), "the team database cannot be reached") from None
    except TeamError as exc:
        raise StoreError(str(exc)) from None
    try:
        assert conn._conn is not None
        try:
            me = check_desk(conn._conn, target)
        except TeamError as exc:
            raise StoreError(str(exc)) from None
        conn.role = as_role(me.role)
    except BaseException:
        conn.close()
        raise
    # Values pass through the one codec unencrypted: in team mode the server's own protection
    # (TLS, disk encryption, row-level security) guards them; see docs/team.md.
    use_keys(None)
    store = cls(cast("sqlite3.Connection", conn), Path(target), dialect=POSTGRESQL)
    store.encryption = "off"
    store.role = me.role
    return store
