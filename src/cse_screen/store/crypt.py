"""Encryption at rest: the data key, its wrapping by the passphrase, and the keyring row.

Scheme (an envelope, as ODK's encrypted forms, with modern primitives):

- A random 256-bit **data key** per store. From it, HKDF-SHA256 derives the AES-256-GCM key
  that seals every sensitive value (:mod:`cse_screen.store.codec`, format byte ``0x02``,
  a fresh 96-bit nonce per value) and a separate HMAC-SHA256 key for the *blind index*
  of child references (so history and ``list --child`` stay an indexed lookup).
- The data key is stored only **wrapped**: AES-256-GCM under a key derived from the
  passphrase with argon2id (memory-hard; parameters saved beside it, so they can grow).
- The keyring is one row in the database itself (table ``keyring``), so changing the
  passphrase is one SQLite transaction: after a crash at any moment either the old or the
  new wrapping is on disk, never half of each.
- A store may instead record an explicit opt-out (``mode = 'off'``: e.g. a laptop with
  full-disk encryption); ``list`` shows it.

``cryptography`` is imported only when a store is encrypted or being set up, so commands on
a plain store do not pay for it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import stat
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, Protocol

from cse_screen.store.errors import StoreError

PASSPHRASE_FILE_ENV: Final = "CSE_SCREEN_PASSPHRASE_FILE"
"""Environment variable naming a file whose first line is the passphrase (automation, tests)."""

ENCRYPTION_ENV: Final = "CSE_SCREEN_ENCRYPTION"
"""``off`` when a *new* store is made: record the opt-out instead of asking for a passphrase."""

MIN_PASSPHRASE_CHARS: Final = 8
"""Shortest passphrase accepted when one is chosen (argon2id makes each guess slow, not impossible)."""

KDF_DEFAULTS: Final[dict[str, int]] = {"iterations": 3, "memory_kib": 64 * 1024, "lanes": 1}
"""argon2id cost for new stores: about 0.3 s and 64 MiB here (docs/records.md)."""

_WRAP_AAD: Final = b"cse-screen keyring v1"
_VALUE_INFO: Final = b"cse-screen values v1"
_INDEX_INFO: Final = b"cse-screen child index v1"

Mode = Literal["passphrase", "off"]

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


class NeedsPassphrase(StoreError):
    """The store is encrypted (or new) and no passphrase could be asked for."""


class WrongPassphrase(StoreError):
    """The passphrase does not open this store. Nothing was written."""


class KeyringDamaged(StoreError):
    """The stored wrapped key has been changed or damaged. Nothing was written."""


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


@dataclass(frozen=True)
class FileSource:
    """The passphrase from the file named by ``$CSE_SCREEN_PASSPHRASE_FILE``.

    The file must be the user's own and readable by nobody else (like an SSH key):
    a passphrase in a world-readable file protects nothing.
    """

    file: Path
    interactive: bool = False

    def _read(self) -> str:
        try:
            fd = os.open(self.file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise NeedsPassphrase(
                f"{self.file}: cannot read the passphrase file named by {PASSPHRASE_FILE_ENV} "
                f"({exc.strerror or 'error'}) — check the path"
            ) from None
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if os.name == "posix" and (info.st_mode & 0o077 or not stat.S_ISREG(info.st_mode)):
                raise NeedsPassphrase(
                    f"{self.file}: the passphrase file can be read by other users — make it private "
                    f"with `chmod 600 {self.file}` and try again"
                )
            data = fh.read(4096)
        line = data.decode("utf-8", "replace").splitlines()[0] if data.strip() else ""
        if not line:
            raise NeedsPassphrase(
                f"{self.file}: the passphrase file is empty — put the passphrase on its first line"
            )
        return line

    def existing(self, path: Path, retry: bool) -> str:
        """The file's first line."""
        return self._read()

    def new(self, path: Path) -> str | None:
        """The file's first line (a new store gets that passphrase)."""
        return self._read()


def default_source() -> FileSource | None:
    """The passphrase file from the environment, if one is named."""
    name = os.environ.get(PASSPHRASE_FILE_ENV)
    return FileSource(Path(name)) if name else None


def opt_out_requested() -> bool:
    """True when ``$CSE_SCREEN_ENCRYPTION`` asks for new stores to be left unencrypted."""
    return os.environ.get(ENCRYPTION_ENV, "").strip().lower() == "off"


# --------------------------------------------------------------------------- keys


class DataKeys:
    """The unwrapped keys of an open encrypted store (held only in memory)."""

    def __init__(self, data_key: bytes) -> None:
        """Derive the value key and the index key from the 32-byte data key."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._data_key = data_key
        self._aead = AESGCM(_hkdf(data_key, _VALUE_INFO))
        self._index = _hkdf(data_key, _INDEX_INFO)
        self.fingerprint = hashlib.sha256(b"cse-screen key id\x00" + data_key).hexdigest()[:16]
        """A short public id of the data key (never the key): tells two keys apart."""

    def encrypt(self, data: bytes) -> bytes:
        """Nonce ‖ AES-GCM ciphertext ‖ tag."""
        nonce = secrets.token_bytes(12)
        return nonce + self._aead.encrypt(nonce, data, None)

    def decrypt(self, blob: bytes) -> bytes:
        """Inverse of :meth:`encrypt`.

        Raises:
            ValueError: the bytes were changed or sealed with another key.
        """
        from cryptography.exceptions import InvalidTag

        try:
            return self._aead.decrypt(blob[:12], blob[12:], None)
        except InvalidTag:
            raise ValueError("sealed value fails its authentication") from None

    def wrapped_for(self, passphrase: str) -> tuple[str, bytes, bytes, str]:
        """The data key wrapped under another passphrase (``passphrase`` re-wraps)."""
        return wrap(self._data_key, passphrase)

    def index(self, data: bytes) -> str:
        """The blind index of ``data`` (HMAC-SHA256, hex)."""
        return hmac.new(self._index, data, hashlib.sha256).hexdigest()


def _hkdf(key: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


def derive_kek(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    """The key-encryption key: argon2id over the passphrase (the slow, memory-hard step)."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=int(params["iterations"]),
        lanes=int(params["lanes"]),
        memory_cost=int(params["memory_kib"]),
    )
    return kdf.derive(passphrase.encode("utf-8"))


def _aead(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


@dataclass(frozen=True)
class Keyring:
    """The keyring row as stored."""

    mode: Mode
    kdf: str | None
    salt: bytes | None
    wrapped: bytes | None
    digest: str | None
    recovery: bytes | None
    created_at: str
    changed_at: str


def _digest(kdf: str, salt: bytes, wrapped: bytes) -> str:
    """An unkeyed checksum of the wrapped key, so damage is told apart from a wrong passphrase."""
    return hashlib.sha256(kdf.encode() + b"\x00" + salt + b"\x00" + wrapped).hexdigest()


def wrap(
    data_key: bytes, passphrase: str, params: dict[str, int] | None = None
) -> tuple[str, bytes, bytes, str]:
    """Wrap ``data_key`` under ``passphrase``: (kdf json, salt, wrapped, digest)."""
    params = dict(params or KDF_DEFAULTS)
    kdf = json.dumps({"alg": "argon2id", **params}, sort_keys=True)
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    wrapped = nonce + _aead(derive_kek(passphrase, salt, params)).encrypt(
        nonce, data_key, _WRAP_AAD + kdf.encode()
    )
    return kdf, salt, wrapped, _digest(kdf, salt, wrapped)


def unwrap(ring: Keyring, passphrase: str, path: Path) -> bytes:
    """The data key, given the right passphrase.

    Raises:
        KeyringDamaged: the wrapped key fails its checksum or is malformed.
        WrongPassphrase: the passphrase does not open it.
    """
    from cryptography.exceptions import InvalidTag

    if ring.kdf is None or ring.salt is None or ring.wrapped is None or ring.digest is None:
        raise _damaged(path)
    if not hmac.compare_digest(_digest(ring.kdf, ring.salt, ring.wrapped), ring.digest):
        raise _damaged(path)
    try:
        params = json.loads(ring.kdf)
        if params.get("alg") != "argon2id":
            raise ValueError(params.get("alg"))
        kek = derive_kek(passphrase, ring.salt, params)
    except (ValueError, KeyError, TypeError):
        raise _damaged(path) from None
    try:
        data_key = bytes(
            _aead(kek).decrypt(ring.wrapped[:12], ring.wrapped[12:], _WRAP_AAD + ring.kdf.encode())
        )
    except InvalidTag:
        raise WrongPassphrase(
            f"{path}: that passphrase does not open this store. Nothing was changed. Check the passphrase "
            "(it is case-sensitive) and try again."
        ) from None
    if len(data_key) != 32:
        raise _damaged(path)
    return data_key


def _damaged(path: Path) -> KeyringDamaged:
    return KeyringDamaged(
        f"{path}: the store's key record is damaged, so the screenings cannot be unlocked. Nothing was "
        "changed. Keep every file in the folder as it is and ask your IT or data protection lead to "
        "restore the folder from a backup (or the DSL to recover it with their key, if recovery was set up)."
    )


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


def new_data_key() -> bytes:
    """A fresh random 256-bit data key."""
    return secrets.token_bytes(32)


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


Lock = Literal["open", "locked", "new"]
"""What opening a store needs: nothing, its passphrase, or a choice (passphrase or opt-out)."""


def probe(path: Path) -> Lock:
    """What opening the database at ``path`` will ask for, read without writing a byte.

    A front end that cannot prompt on the terminal (the full-screen wizard) uses this to
    show its own unlock screen first. Damage is not judged here: opening reports it.
    """
    if os.environ.get(PASSPHRASE_FILE_ENV):
        return "open"  # the store reads the file itself
    if not path.exists():
        return "open" if opt_out_requested() else "new"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return "open"
    try:
        ring = read_keyring(conn)
        if ring is not None:
            return "locked" if ring.mode == "passphrase" else "open"
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


@dataclass(frozen=True)
class RecoverySource:
    """Opens a store with the DSL's age identity file instead of the passphrase.

    The store's data key is also kept wrapped for the DSL's age public key (keyring column
    ``recovery``, set by ``cse-screen passphrase --add-recovery``), so a practitioner who
    forgets the passphrase loses nothing: the DSL runs ``cse-screen passphrase --recover
    KEYFILE`` and a new passphrase is chosen.
    """

    identity_file: Path
    interactive: bool = False

    def existing(self, path: Path, retry: bool) -> str:
        """Not used: :func:`unlock` asks :meth:`data_key` instead."""
        raise NeedsPassphrase("recovery opens the store with a key file, not a passphrase")

    def new(self, path: Path) -> str | None:
        """Not used: recovery needs an existing store."""
        raise NeedsPassphrase(f"{path}: there is no store to recover here")

    def data_key(self, ring: Keyring, path: Path) -> bytes:
        """The data key, unwrapped with the DSL's identity.

        Raises:
            NeedsPassphrase: no recovery was set up, or the key file cannot be read.
            WrongPassphrase: the key file is not the one the store was set up for.
        """
        import pyrage

        if ring.recovery is None:
            raise NeedsPassphrase(
                f"{path}: no recovery key was set up for this store, so only its passphrase opens it"
            )
        try:
            text = self.identity_file.read_text(encoding="utf-8")
            identities = [
                pyrage.x25519.Identity.from_str(line.strip())
                for line in text.splitlines()
                if line.strip().startswith("AGE-SECRET-KEY-")
            ]
        except (OSError, UnicodeError, ValueError, pyrage.IdentityError):
            raise NeedsPassphrase(f"{self.identity_file}: cannot read an age key from this file") from None
        if not identities:
            raise NeedsPassphrase(f"{self.identity_file}: no age key (AGE-SECRET-KEY-…) in this file")
        try:
            data_key = bytes(pyrage.decrypt(ring.recovery, identities))
        except pyrage.DecryptError:
            raise WrongPassphrase(
                f"{path}: that key file does not open this store's recovery copy. Nothing was changed."
            ) from None
        if len(data_key) != 32:
            raise _damaged(path)
        return data_key


def set_recovery(conn: sqlite3.Connection, keys: DataKeys, recipient: str) -> None:
    """Keep the data key also wrapped for ``recipient`` (an age public key), in the caller's transaction."""
    import pyrage

    blob = bytes(pyrage.encrypt(keys._data_key, [pyrage.x25519.Recipient.from_str(recipient)]))
    conn.execute("UPDATE keyring SET recovery = ? WHERE id = 1", (blob,))
