"""The database schema and its migrations (``PRAGMA user_version``).

A new database is built exactly like an old one is upgraded: the v1 DDL, then every
migration in order. So the upgrade path runs on every install, not only on old ones.

Version history:

- v1: questionnaires, screenings, answers, append-only events, leases. Exports were
  recorded only as ``export`` events.
- v2: an ``exports`` table (who it was shared with, queryable), backfilled from the v1
  export events; an index for listing by last change.
- v3: after the screening — a ``decisions`` table (the DSL's decisions, content sealed),
  ``screenings.review_due`` (the next review date) and ``screenings.follows`` (the screening
  a re-screening was started from), with indexes for ``cse-screen due`` and the chronology.
  Existing records keep no review date (nothing is guessed for them).
- v4: the DSL inbox — a partial index on ``shared`` events (a practitioner shared a completed
  screening with the DSL; the events table stays the one record of it) and a ``looked`` table
  holding each person's "last looked at the inbox" time, so the inbox can say what is new;
  an index on the screening date for the joined-up concerns (screenings of recent weeks).
- v5: ``rowsum`` on questionnaires, screenings, answers, events, exports and decisions: the
  CRC-32 of the columns a reader sees (:mod:`.rowcheck`), so a flipped bit in a date, the
  status or the level is reported as damage instead of read as another value. Existing
  rows are summed by the migration.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from cse_screen.store.codec import seal_json, unseal_json

SCHEMA_V1 = """
CREATE TABLE questionnaires (
    sha256      TEXT PRIMARY KEY,
    qid         TEXT NOT NULL,
    version     TEXT NOT NULL,
    text        TEXT NOT NULL,
    added_at    TEXT NOT NULL
);
CREATE TABLE screenings (
    id              TEXT PRIMARY KEY,
    questionnaire   TEXT NOT NULL REFERENCES questionnaires(sha256),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'completed', 'deleted')),
    child_key       TEXT,
    meta            BLOB,
    judgement       BLOB,
    acks            BLOB,
    position        TEXT,
    level           TEXT,
    screening_date  TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    completed_at    TEXT,
    seq             INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX screenings_child ON screenings(child_key);
CREATE TABLE answers (
    screening_id  TEXT NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    body          BLOB NOT NULL,
    PRIMARY KEY (screening_id, question_id)
) WITHOUT ROWID;
CREATE TABLE events (
    screening_id  TEXT NOT NULL REFERENCES screenings(id),
    seq           INTEGER NOT NULL,
    at            TEXT NOT NULL,
    who           TEXT NOT NULL,
    kind          TEXT NOT NULL,
    question_id   TEXT,
    old           BLOB,
    new           BLOB,
    reason        BLOB,
    amendment     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (screening_id, seq)
) WITHOUT ROWID;
-- The audit trail is append-only. The one exception is deletion: once a screening is
-- marked deleted its content events may go, but never the tombstone itself.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be changed');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN OLD.kind = 'deleted'
  OR (SELECT status FROM screenings WHERE id = OLD.screening_id) IS NOT 'deleted'
BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be deleted');
END;
CREATE TABLE leases (
    screening_id  TEXT PRIMARY KEY REFERENCES screenings(id) ON DELETE CASCADE,
    owner         TEXT NOT NULL,
    pid           INTEGER NOT NULL,
    host          TEXT NOT NULL,
    heartbeat_at  TEXT NOT NULL
);
"""


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    ``Connection.executescript`` would COMMIT first, which would break the all-or-nothing
    migration; so statements are split with ``sqlite3.complete_statement`` (which knows
    that a trigger body's semicolons do not end it) and run one by one.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        if not pending and line.strip().startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError("incomplete SQL statement at the end of a script")


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE exports (
            screening_id  TEXT NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
            seq           INTEGER NOT NULL,
            at            TEXT NOT NULL,
            who           TEXT NOT NULL,
            format        TEXT NOT NULL,
            body          BLOB NOT NULL,
            PRIMARY KEY (screening_id, seq)
        ) WITHOUT ROWID;
        CREATE INDEX screenings_updated ON screenings(updated_at);
        """,
    )
    # Backfill from the v1 export events (their sealed body holds format, path, shared_with).
    rows = conn.execute(
        "SELECT e.screening_id, e.seq, e.at, e.who, e.new FROM events AS e"
        " JOIN screenings AS s ON s.id = e.screening_id"
        " WHERE e.kind = 'export' AND s.status != 'deleted'"
    ).fetchall()
    for sid, seq, at, who, body in rows:
        data = unseal_json(body)
        conn.execute(
            "INSERT INTO exports (screening_id, seq, at, who, format, body) VALUES (?, ?, ?, ?, ?, ?)",
            (
                sid,
                seq,
                at,
                who,
                data["format"],
                seal_json({"path": data["path"], "shared_with": data["shared_with"]}),
            ),
        )


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE decisions (
            screening_id  TEXT NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
            seq           INTEGER NOT NULL,
            at            TEXT NOT NULL,
            who           TEXT NOT NULL,
            body          BLOB NOT NULL,
            PRIMARY KEY (screening_id, seq)
        ) WITHOUT ROWID;
        ALTER TABLE screenings ADD COLUMN review_due TEXT;
        ALTER TABLE screenings ADD COLUMN follows TEXT;
        CREATE INDEX screenings_review_due ON screenings(review_due) WHERE review_due IS NOT NULL;
        CREATE INDEX screenings_follows ON screenings(follows) WHERE follows IS NOT NULL;
        """,
    )


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE INDEX events_shared ON events(screening_id) WHERE kind = 'shared';
        CREATE INDEX screenings_date ON screenings(screening_date);
        CREATE TABLE looked (
            who  TEXT PRIMARY KEY,
            at   TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    from cse_screen.store.rowcheck import add_rowsums

    add_rowsums(conn)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
}
"""``MIGRATIONS[n]`` upgrades a version-n database to n + 1."""

CURRENT_VERSION = 1 + len(MIGRATIONS)


def create_v1(conn: sqlite3.Connection) -> None:
    """Build the first schema on an empty database (also used by the upgrade tests)."""
    run_script(conn, SCHEMA_V1)
    conn.execute("PRAGMA user_version = 1")
