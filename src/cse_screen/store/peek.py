"""A read-only glance at one draft, for drawing its page before the store is opened.

``cse-screen resume ID`` shows the draft's question before the models and the store are
loaded (:mod:`cse_screen.session.light_page`). This reads the few things that page needs —
status, questionnaire, position, child reference, answers, acknowledgements — with
``sqlite3`` and :mod:`.codec` only, on a read-only connection that never writes a byte.

It is a hint, never the record: the store is then opened properly (migrations, checks,
the lease) and the page compared with it. So anything unusual here — another schema
version, a lease held, a value that cannot be read, an encrypted store not yet unlocked —
gives None, and the wizard opens the draft the usual way.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cse_screen.store import codec, schema
from cse_screen.store.crypt import read_keyring


@dataclass(frozen=True, slots=True)
class PeekedDraft:
    """What a draft's first page needs (plain data, read without the models)."""

    questionnaire_sha256: str
    position: str | None
    child_ref: str
    answers: dict[str, dict[str, Any]]
    """Question id → the stored answer as JSON (``value``, ``note``, ``source``)."""
    acknowledged: bool
    """Whether the immediate-danger alert has been acknowledged in this draft."""


def peek_draft(database: Path, record_id: str) -> PeekedDraft | None:
    """The draft ``record_id`` in the database file ``database``, or None (see the module docstring)."""
    if not database.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return _peek(conn, record_id)
    except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError):
        return None
    finally:
        conn.close()


def _left_behind(pid: int, host: str) -> bool:
    """True for a lease of a program on this computer that has stopped (opening takes it over)."""
    import socket  # already loaded with asyncio: costs nothing here

    if host != socket.gethostname() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _peek(conn: sqlite3.Connection, record_id: str) -> PeekedDraft | None:
    if conn.execute("PRAGMA user_version").fetchone()[0] != schema.CURRENT_VERSION:
        return None  # opening migrates it first
    ring = read_keyring(conn)
    if ring is not None and ring.mode == "passphrase" and codec.active_keys() is None:
        return None  # encrypted and not unlocked yet: nothing here can be read
    # A unique start of the id, as `Store.resolve` takes it (the same query, without the store).
    prefix = record_id.strip().lower()
    found = conn.execute(
        "SELECT id FROM screenings WHERE id >= ? AND id < ? AND status != 'deleted' LIMIT 2",
        (prefix, prefix + "\U0010ffff"),
    ).fetchall()
    if not prefix or len(found) != 1:
        return None  # opening says what is wrong
    record_id = str(found[0][0])
    row = conn.execute(
        "SELECT status, questionnaire, meta, acks, position FROM screenings WHERE id = ?", (record_id,)
    ).fetchone()
    if row is None or row[0] != "draft":
        return None
    lease = conn.execute("SELECT pid, host FROM leases WHERE screening_id = ?", (record_id,)).fetchone()
    if lease is not None and not _left_behind(int(lease[0]), str(lease[1])):
        return None  # perhaps open elsewhere: opening decides, and says what to do
    _, sha256, meta, acks, position = row
    answers = {
        str(qid): codec.unseal_json(body)
        for qid, body in conn.execute(
            "SELECT question_id, body FROM answers WHERE screening_id = ?", (record_id,)
        )
    }
    if not all(isinstance(a, dict) for a in answers.values()):
        return None
    meta_json = codec.unseal_json(meta) or {}
    child_ref = meta_json.get("child_ref", "")
    if not isinstance(child_ref, str) or (position is not None and not isinstance(position, str)):
        return None
    return PeekedDraft(
        questionnaire_sha256=str(sha256),
        position=position,
        child_ref=child_ref,
        answers=answers,
        acknowledged=bool(codec.unseal_json(acks)),
    )
