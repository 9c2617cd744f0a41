"""The keys of an encrypted store: the data key, the keys derived from it, its wrapping.

- A random 256-bit **data key** per store. From it, HKDF-SHA256 derives the AES-256-GCM key
  that seals every sensitive value (:mod:`cse_screen.store.codec`) and a separate
  HMAC-SHA256 key for the *blind index* of child references (:class:`DataKeys`).
- The data key is stored only **wrapped**: AES-256-GCM under a key derived from the
  passphrase with argon2id (:func:`wrap`, :func:`unwrap`), with an unkeyed checksum so a
  damaged record is told apart from a wrong passphrase.

The keyring row that holds the wrapping, and opening a store with it, are
:mod:`cse_screen.store.crypt`. ``cryptography`` is imported inside the functions, so a
plain store never pays for it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from cse_screen.store.errors import StoreError

KDF_DEFAULTS: Final[dict[str, int]] = {"iterations": 3, "memory_kib": 64 * 1024, "lanes": 1}
"""argon2id cost for new stores: about 0.3 s and 64 MiB here (docs/records.md)."""

_WRAP_AAD: Final = b"cse-screen keyring v1"
_VALUE_INFO: Final = b"cse-screen values v1"
_INDEX_INFO: Final = b"cse-screen child index v1"

Mode = Literal["passphrase", "off"]


class NeedsPassphrase(StoreError):
    """The store is encrypted (or new) and no passphrase could be asked for."""


class WrongPassphrase(StoreError):
    """The passphrase does not open this store. Nothing was written."""


class KeyringDamaged(StoreError):
    """The stored wrapped key has been changed or damaged. Nothing was written."""


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

    def sealed_for(self, recipient: str) -> bytes:
        """The data key encrypted for an age public key (the DSL's recovery copy)."""
        import pyrage

        return bytes(pyrage.encrypt(self._data_key, [pyrage.x25519.Recipient.from_str(recipient)]))

    def index(self, data: bytes) -> str:
        """The blind index of ``data`` (HMAC-SHA256, hex)."""
        return hmac.new(self._index, data, hashlib.sha256).hexdigest()


def new_data_key() -> bytes:
    """A fresh random 256-bit data key."""
    return secrets.token_bytes(32)


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
        raise damaged(path)
    if not hmac.compare_digest(_digest(ring.kdf, ring.salt, ring.wrapped), ring.digest):
        raise damaged(path)
    try:
        params = json.loads(ring.kdf)
        if params.get("alg") != "argon2id":
            raise ValueError(params.get("alg"))
        kek = derive_kek(passphrase, ring.salt, params)
    except (ValueError, KeyError, TypeError):
        raise damaged(path) from None
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
        raise damaged(path)
    return data_key


def damaged(path: Path) -> KeyringDamaged:
    return KeyringDamaged(
        f"{path}: the store's key record is damaged, so the screenings cannot be unlocked. Nothing was "
        "changed. Keep every file in the folder as it is and ask your IT or data protection lead to "
        "restore the folder from a backup (or the DSL to recover it with their key, if recovery was set up)."
    )
