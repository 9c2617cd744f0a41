"""Changing how a store is protected: a new passphrase, or encrypting a plain store.

Both are one SQLite transaction on the store's own file, so a crash (SIGKILL, power, a full
disk) at any moment leaves either the old state or the new one — never two half-stores,
never a passphrase that opens nothing.

Encrypting re-seals every sensitive value in place, recomputes each child lookup key as
the keyed blind index, and, before committing, reads every screening, event, export and
child history back through the normal read path and compares it with what it read before.
Only then is the keyring row written and the transaction committed. Afterwards the file is
rebuilt (``VACUUM``) and the ``-wal`` emptied, so no plain copy stays in the folder's files;
an SSD may still keep old blocks, which only full-disk encryption covers.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from cse_screen.store import crypt, rowcheck
from cse_screen.store.codec import active_keys, child_key, seal, unseal, unseal_json, use_keys
from cse_screen.store.database import Store, _translate, _ts, utcnow
from cse_screen.store.errors import NotFound, StoreError
from cse_screen.store.keys import DataKeys, new_data_key, wrap

SEALED: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("screenings", ("id",), ("meta", "judgement", "acks")),
    ("answers", ("screening_id", "question_id"), ("body",)),
    ("events", ("screening_id", "seq"), ("old", "new", "reason")),
    ("exports", ("screening_id", "seq"), ("body",)),
    ("decisions", ("screening_id", "seq"), ("body",)),
)
"""Every table and column the codec seals, with each table's key (see database.py)."""


@dataclass(frozen=True)
class Converted:
    """What ``encrypt`` did."""

    screenings: int
    events: int
    values: int


def require_local(store: Store) -> None:
    """Refuse the team database: encryption there is the server's, not a passphrase's.

    Raises:
        StoreError: ``store`` is the team database (nothing was changed).
    """
    if store.backend != "sqlite":
        raise StoreError(
            f"{store.path}: this is the team database, which the server protects (its access rules, TLS "
            "and disk encryption; docs/team.md) — passphrase encryption is for a desk's local store "
            "(give --data-dir for it). Nothing was changed."
        )


def change_passphrase(store: Store, passphrase: str) -> None:
    """Wrap the open store's data key under ``passphrase`` (one transaction).

    Raises:
        StoreError: the store is not encrypted, or cannot be written (nothing changed).
    """
    keys = active_keys()
    if store.encryption != "on" or keys is None:
        raise StoreError(f"{store.path}: this store is not encrypted — `cse-screen encrypt` protects it")
    wrapping = keys.wrapped_for(passphrase)
    with store._tx() as conn:
        crypt.write_keyring(conn, "passphrase", _ts(utcnow()), wrapping, replace=True)


def _snapshot(store: Store) -> dict[str, Any]:
    """Everything a person can read from the store, through the normal read path."""
    out: dict[str, Any] = {}
    for (sid,) in store._read("SELECT id FROM screenings ORDER BY id"):
        try:
            loaded = store.load(sid)
            screening: Any = (loaded.screening, loaded.status, loaded.level, loaded.position)
            history: Any = (
                [(h.id, h.level, h.status) for h in store.history(loaded.screening.meta.child_ref)]
                if loaded.screening.meta.child_ref.strip()
                else []
            )
        except NotFound:
            screening, history = None, []
        out[sid] = (screening, store.events(sid), store.exports(sid), history, store.decisions(sid))
    return out


def encrypt(store: Store, passphrase: str) -> Converted:
    """Encrypt a plain (or opted-out) store in place, verified before it is committed.

    Raises:
        StoreError: already encrypted; a value that cannot be read (damage: nothing changed);
            the disk is full or the file cannot be written (nothing changed).
    """
    require_local(store)
    if store.encryption == "on":
        raise StoreError(f"{store.path}: this store is already encrypted")
    if store.readonly:
        raise StoreError(f"{store.path}: the store is read-only here, so it cannot be encrypted")
    use_keys(None)
    before = _snapshot(store)
    data_key = new_data_key()
    keys = DataKeys(data_key)
    wrapping = wrap(data_key, passphrase)
    values = 0
    previous = store.encryption
    try:
        with store._tx() as conn:
            use_keys(keys)
            # The audit trail refuses UPDATE; re-sealing is not a change of content, so the
            # guard is lifted inside this transaction only and put back before it commits.
            (guard,) = conn.execute(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'events_no_update'"
            ).fetchone()
            conn.execute("DROP TRIGGER events_no_update")
            for table, key, columns in SEALED:
                rows = conn.execute(f"SELECT {', '.join(key + columns)} FROM {table}").fetchall()
                where = " AND ".join(f"{k} = ?" for k in key)
                sets = ", ".join(f"{c} = ?" for c in columns)
                for row in rows:
                    ids, blobs = row[: len(key)], row[len(key) :]
                    new = [None if b is None else seal(unseal(b)) for b in blobs]
                    values += sum(b is not None for b in blobs)
                    conn.execute(f"UPDATE {table} SET {sets} WHERE {where}", (*new, *ids))
            for sid, meta in conn.execute("SELECT id, meta FROM screenings").fetchall():
                ref = None if meta is None else unseal_json(meta).get("child_ref", "")
                conn.execute(
                    "UPDATE screenings SET child_key = ? WHERE id = ?",
                    (None if ref is None else child_key(ref), sid),
                )
            rowcheck.seal(conn)  # the re-sealed rows' checksums, while events may still be updated
            conn.execute(guard)
            crypt.write_keyring(
                conn, "passphrase", _ts(utcnow()), wrapping, replace=crypt.read_keyring(conn) is not None
            )
            store.encryption = "on"
            if _snapshot(store) != before:
                raise StoreError(
                    f"{store.path}: the encrypted copy did not read back exactly as the original, so "
                    "nothing was changed — please report this; the store stays as it was"
                )
    except BaseException:
        store.encryption = previous
        use_keys(None)
        raise
    scrub(store)
    return Converted(screenings=len(before), events=sum(len(v[1]) for v in before.values()), values=values)


def scrub(store: Store) -> None:
    """Rebuild the file and empty the ``-wal`` so no page of the plain version stays in them.

    Raises:
        StoreError: the disk is full (the store is encrypted and whole; run it again later).
    """
    with store._lock:
        try:
            store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            store._conn.execute("VACUUM")
            store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise _translate(exc, store.path) from None


def add_recovery(store: Store, recipient: str) -> None:
    """Wrap the open store's data key also for the DSL's age key (one transaction)."""
    keys = active_keys()
    if store.encryption != "on" or keys is None:
        raise StoreError(f"{store.path}: this store is not encrypted — `cse-screen encrypt` protects it")
    with store._tx() as conn:
        crypt.set_recovery(conn, keys, recipient)
