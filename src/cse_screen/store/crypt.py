"""Encryption at rest: the keyring row, and opening or setting up a store with it.

Scheme (an envelope, as ODK's encrypted forms, with modern primitives):

- A random 256-bit **data key** per store. From it, HKDF-SHA256 derives the AES-256-GCM key
  that seals every sensitive value (:mod:`cse_screen.store.codec`, format byte ``0x02``,
  a fresh 96-bit nonce per value) and a separate HMAC-SHA256 key for the *blind index*
  of child references (so history and ``list --child`` stay an indexed lookup).
- The data key is stored only **wrapped**: AES-256-GCM under a key derived from the
  passphrase with argon2id (memory-hard; parameters saved beside it, so they can grow).
  The keys and the wrapping are :mod:`cse_screen.store.keys`.
- The keyring is one row in the database itself (table ``keyring``), so changing the
  passphrase is one SQLite transaction: after a crash at any moment either the old or the
  new wrapping is on disk, never half of each.
- A store may instead record an explicit opt-out (``mode = 'off'``: e.g. a laptop with
  full-disk encryption); ``list`` shows it.
- The passphrase comes from a :class:`PassphraseSource`: a prompt in a front end, or a
  file or the DSL's recovery key (:mod:`cse_screen.store.key_sources`).

``cryptography`` is imported only when a store is encrypted or being set up, so commands on
a plain store do not pay for it.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from pathlib import Path
from typing import Final, Literal, Protocol

from cse_screen.store.errors import StoreError
from cse_screen.store.key_sources import (
    ENCRYPTION_ENV,
    PASSPHRASE_FILE_ENV,
    RecoverySource,
    default_source,
    opt_out_requested,
)
from cse_screen.store.keys import (
    DataKeys,
    Keyring,
    Mode,
    NeedsPassphrase,
    WrongPassphrase,
    new_data_key,
    unwrap,
    wrap,
)
from cse_screen.store.probe import KEYRING_MARK as KEYRING_MARK  # its home: the light check

MIN_PASSPHRASE_CHARS: Final = 8
"""Shortest passphrase accepted when one is chosen (argon2id makes each guess slow, not impossible)."""


KEYRING_DDL: Final = """
CREATE TABLE IF NOT EXISTS keyring (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    mode        TEXT NOT NULL CHECK (mode IN ('passphrase', 'off')),
    kdf         TEXT,
    salt        BLOB,
    wrapped     BLOB,
    digest      TEXT,
    recovery    BLOB,
    created_at  TEXT NOT NULL,
    changed_at  TEXT NOT NULL
)
"""
"""The keyring table (outside the numbered schema: it is read before any migration runs)."""


class PassphraseSource(Protocol):
    """Where a passphrase comes from: a prompt (front ends) or a file (automation)."""

    @property
    def interactive(self) -> bool:
        """True when asking again after a wrong passphrase makes sense (a person is typing)."""
        ...

    def existing(self, path: Path, retry: bool) -> str:
        """The passphrase to open the store at ``path`` (``retry``: the last one was wrong)."""
        ...

    def new(self, path: Path) -> str | None:
        """A passphrase chosen for a new store, or None to record the opt-out."""
        ...


# --------------------------------------------------------------------------- keys


# --------------------------------------------------------------------------- keyring row


def read_keyring(conn: sqlite3.Connection) -> Keyring | None:
    """The keyring row, or None (a new store, or one made before encryption existed)."""
    exists = conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'keyring'").fetchone()
    if not exists:
        return None
    row = conn.execute(
        "SELECT mode, kdf, salt, wrapped, digest, recovery, created_at, changed_at FROM keyring WHERE id = 1"
    ).fetchone()
    if row is None:
        if conn.execute("PRAGMA application_id").fetchone()[0] == KEYRING_MARK:
            raise sqlite3.DatabaseError("the key record is missing")  # reported as damage
        return None
    mode, kdf, salt, wrapped, digest, recovery, created, changed = row
    return Keyring(
        mode=mode,
        kdf=kdf,
        salt=None if salt is None else bytes(salt),
        wrapped=None if wrapped is None else bytes(wrapped),
        digest=digest,
        recovery=None if recovery is None else bytes(recovery),
        created_at=created,
        changed_at=changed,
    )


def write_keyring(
    conn: sqlite3.Connection,
    mode: Mode,
    now: str,
    wrapping: tuple[str, bytes, bytes, str] | None = None,
    *,
    replace: bool = False,
) -> None:
    """Insert (or, with ``replace``, re-wrap) the keyring row inside the caller's transaction."""
    conn.execute(KEYRING_DDL)
    kdf, salt, wrapped, digest = wrapping if wrapping is not None else (None, None, None, None)
    if replace:
        cur = conn.execute(
            "UPDATE keyring SET mode = ?, kdf = ?, salt = ?, wrapped = ?, digest = ?, changed_at = ?"
            " WHERE id = 1",
            (mode, kdf, salt, wrapped, digest, now),
        )
        if cur.rowcount != 1:
            raise StoreError("the store has no key record to change")
        return
    conn.execute(
        "INSERT INTO keyring (id, mode, kdf, salt, wrapped, digest, recovery, created_at, changed_at)"
        " VALUES (1, ?, ?, ?, ?, ?, NULL, ?, ?)",
        (mode, kdf, salt, wrapped, digest, now, now),
    )
    conn.execute(f"PRAGMA application_id = {KEYRING_MARK}")


def unlock(ring: Keyring, source: PassphraseSource | None, path: Path) -> DataKeys:
    """Ask ``source`` for the passphrase (up to three times for a person) and unwrap the key.

    Raises:
        NeedsPassphrase: there is no way to ask.
        WrongPassphrase: the passphrase (or the last of three) is wrong.
        KeyringDamaged: see :func:`unwrap`.
    """
    source = source or default_source()
    if source is None:
        raise NeedsPassphrase(
            f"{path}: this store is encrypted and needs its passphrase — run cse-screen in a terminal, "
            f"or name a private file holding it in {PASSPHRASE_FILE_ENV}"
        )
    if isinstance(source, RecoverySource):
        return DataKeys(source.data_key(ring, path))
    tries = 3 if source.interactive else 1
    for attempt in range(tries):
        try:
            return DataKeys(unwrap(ring, source.existing(path, retry=attempt > 0), path))
        except WrongPassphrase:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def choose(source: PassphraseSource | None, path: Path) -> str | None:
    """The passphrase for a new store, or None when the opt-out is chosen.

    Raises:
        NeedsPassphrase: no opt-out and no way to ask.
    """
    if opt_out_requested():
        return None
    source = source or default_source()
    if source is None:
        raise NeedsPassphrase(
            f"{path}: a new store is encrypted with a passphrase you choose — run cse-screen in a terminal, "
            f"or name a private file holding it in {PASSPHRASE_FILE_ENV}; on a computer with full-disk "
            f"encryption you may instead set {ENCRYPTION_ENV}=off (recorded in the store)"
        )
    passphrase = source.new(path)
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise NeedsPassphrase(f"the passphrase must be at least {MIN_PASSPHRASE_CHARS} characters long")
    return passphrase


Encryption = Literal["on", "off", "not set up"]
"""How a store is protected: encrypted; opted out (recorded); made before encryption existed."""


def keys_before_migration(
    conn: sqlite3.Connection, path: Path, source: PassphraseSource | None
) -> tuple[Keyring | None, DataKeys | None]:
    """Unlock an encrypted store before anything is written to it (migrations seal values).

    Raises:
        NeedsPassphrase / WrongPassphrase / KeyringDamaged: the store stays as it was.
    """
    ring = read_keyring(conn)
    if ring is None or ring.mode == "off":
        return ring, None
    return ring, unlock(ring, source, path)


def set_up_new(
    conn: sqlite3.Connection, path: Path, source: PassphraseSource | None, now: str
) -> tuple[Encryption, DataKeys | None]:
    """Encrypt a store that has no keyring yet and holds no screening, or record the opt-out.

    A store with screenings and no keyring was made before encryption existed: it is left
    as it is (``cse-screen encrypt`` converts it).
    """
    if conn.execute("SELECT count(*) FROM screenings").fetchone()[0]:
        conn.execute(KEYRING_DDL)  # same schema as a new store; no row: still unencrypted
        return "not set up", None
    passphrase = choose(source, path)
    data_key = new_data_key() if passphrase is not None else None
    wrapping = wrap(data_key, passphrase) if data_key is not None and passphrase is not None else None
    conn.execute("BEGIN IMMEDIATE")
    try:
        if read_keyring(conn) is not None or conn.execute("SELECT count(*) FROM screenings").fetchone()[0]:
            raise StoreError(
                f"{path}: another cse-screen set this store up just now — start again to open it"
            )
        write_keyring(conn, "passphrase" if wrapping else "off", now, wrapping)
        conn.execute("COMMIT")
    except BaseException:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    if data_key is None:
        return "off", None
    return "on", DataKeys(data_key)


def check_passphrase(path: Path, passphrase: str) -> bool:
    """True when ``passphrase`` unwraps the key of the database at ``path`` (reads only).

    Used by the idle lock: the store stays open; only the passphrase is checked.
    """
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        ring = read_keyring(conn)
    finally:
        conn.close()
    if ring is None or ring.mode != "passphrase":
        return False
    try:
        unwrap(ring, passphrase, path)
    except WrongPassphrase:
        return False
    return True


# --------------------------------------------------------------------------- recovery


def set_recovery(conn: sqlite3.Connection, keys: DataKeys, recipient: str) -> None:
    """Keep the data key also wrapped for ``recipient`` (an age public key), in the caller's transaction."""
    conn.execute("UPDATE keyring SET recovery = ? WHERE id = 1", (keys.sealed_for(recipient),))
