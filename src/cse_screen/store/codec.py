"""The one place every sensitive value passes through on its way to and from the disk.

Answers, notes, sources, the child reference, the child's words, judgement reasons, event
old/new values and reasons are all sealed here. In an encrypted store (:mod:`.crypt`) a value
is AES-256-GCM ciphertext (format byte ``0x02``) and the child reference's lookup key is an
HMAC under a key only the passphrase unlocks; in a plain store, UTF-8 with a CRC-32.

The keys are process-wide: :meth:`Store.open` installs the keys of the store it opened
(or none, for a plain store) with :func:`use_keys`. One program works with one store at a
time; a sealed value read without its key is refused, never shown as garbage.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cse_screen.store.keys import DataKeys

_PLAIN = b"\x00"
"""Format byte for "not encrypted" (rows written before checksums); still read."""
_CHECKED = b"\x01"
"""Format byte for "not encrypted, with a CRC-32 of the text": what :func:`seal` writes.

SQLite checks its pages' structure but not the bytes of a value, so a flipped bit inside
an answer would otherwise read back as a different answer. A future cipher (AEAD, which
authenticates by itself) gets its own byte, so older rows still read."""
_ENCRYPTED = b"\x02"
"""Format byte for AES-256-GCM under the store's data key (nonce, ciphertext, tag follow)."""

_keys: DataKeys | None = None


def use_keys(keys: DataKeys | None) -> None:
    """Seal with ``keys`` from now on (None: plain sealing, for a store without encryption)."""
    global _keys
    _keys = keys


def active_keys() -> DataKeys | None:
    """The keys values are sealed with now (None: not encrypted)."""
    return _keys


def seal(text: str) -> bytes:
    """Turn sensitive text into the bytes stored on disk."""
    data = text.encode("utf-8", "surrogatepass")
    keys = _keys
    if keys is not None:
        return _ENCRYPTED + keys.encrypt(data)
    return _CHECKED + zlib.crc32(data).to_bytes(4, "big") + data


def unseal(blob: bytes) -> str:
    """Turn stored bytes back into the text given to :func:`seal`.

    Raises:
        ValueError: the bytes are not in a known format or fail their checksum (damage).
    """
    blob = bytes(blob)
    if blob[:1] == _ENCRYPTED:
        keys = _keys
        if keys is None:
            raise ValueError("sealed value is encrypted and the store is not unlocked")
        return keys.decrypt(blob[1:]).decode("utf-8", "surrogatepass")
    if blob[:1] == _CHECKED and len(blob) >= 5:
        data = blob[5:]
        if zlib.crc32(data).to_bytes(4, "big") != blob[1:5]:
            raise ValueError("sealed value fails its checksum")
        return data.decode("utf-8", "surrogatepass")
    if blob[:1] == _PLAIN:
        return blob[1:].decode("utf-8", "surrogatepass")
    raise ValueError("unknown sealed format")


def seal_json(value: Any) -> bytes | None:
    """Seal a JSON-compatible value; None stays None (SQL NULL) so absence is not content."""
    if value is None:
        return None
    return seal(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def unseal_json(blob: bytes | None) -> Any:
    """Inverse of :func:`seal_json`."""
    if blob is None:
        return None
    return json.loads(unseal(blob))


def normalised_ref(child_ref: str) -> str:
    """A child reference as the store compares it: spaces trimmed and collapsed, case folded.

    The one definition of "the same reference" (``child_key``, the chronology, the inbox's
    joined-up concerns); anything looser is only ever a suggestion.
    """
    return " ".join(child_ref.split()).casefold()


def child_key(child_ref: str) -> str | None:
    """A lookup key for a child reference, so history and filters need no unsealing.

    References are compared trimmed and case-insensitively ("ab-12" finds "AB-12"). With
    encryption this is a keyed HMAC (a blind index: equal references match, yet the key
    reveals nothing without the passphrase); in a plain store a SHA-256.
    """
    norm = normalised_ref(child_ref)
    if not norm:
        return None
    data = b"cse-screen child ref\x00" + norm.encode("utf-8", "surrogatepass")
    keys = _keys
    if keys is not None:
        return keys.index(data)
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- row checksums

ROW_COLUMNS: dict[str, tuple[str, ...]] = {
    "questionnaires": ("sha256", "qid", "version", "added_at"),
    "screenings": (
        "id",
        "questionnaire",
        "status",
        "child_key",
        "meta",
        "judgement",
        "acks",
        "position",
        "level",
        "screening_date",
        "created_at",
        "updated_at",
        "completed_at",
        "seq",
        "review_due",
        "follows",
        "answered",
    ),
    "answers": ("screening_id", "question_id", "body"),
    "events": (
        "screening_id",
        "seq",
        "at",
        "who",
        "kind",
        "question_id",
        "old",
        "new",
        "reason",
        "amendment",
    ),
    "exports": ("screening_id", "seq", "at", "who", "format", "body"),
    "decisions": ("screening_id", "seq", "at", "who", "body"),
}
"""The columns each table's ``rowsum`` covers, in order.

A sealed value carries its own CRC-32 or GCM tag, but the columns beside it — dates, the
status, the level, question ids, the audit trail's times and kinds — did not: a flipped bit
there read back as a different date or level without anyone noticing (issue 15). The row
checksum covers every column a reader sees, sealed bytes included (so a value turned into
NULL by a damaged record header is caught too). A questionnaire's text is left out: it is
checked against its SHA-256 whenever it is loaded. Changing a list here changes every
checksum of that table: a schema migration must then recompute them.

``screenings.answered`` is how many answers the screening holds: a checksum cannot show a
row that a damaged page hides from a query, the count can (see :mod:`.rowcheck`).
"""

ROW_KEYS: dict[str, tuple[str, ...]] = {
    "questionnaires": ("sha256",),
    "screenings": ("id",),
    "answers": ("screening_id", "question_id"),
    "events": ("screening_id", "seq"),
    "exports": ("screening_id", "seq"),
    "decisions": ("screening_id", "seq"),
}
"""Each table's primary key (how a row to re-check or re-sum is found)."""


def row_sum(table: str, values: tuple[Any, ...] | list[Any]) -> int:
    """The CRC-32 of a row's :data:`ROW_COLUMNS` values, as stored (an unsigned 32-bit int).

    Each value is written with its type and length (``n;``, ``i14;``, ``s10:…``, ``b5:…``),
    so ``NULL``, ``''``, ``0`` and ``b''`` differ and no two values run into each other.
    """
    parts = [table.encode("ascii")]
    for value in values:
        if value is None:
            parts.append(b"n;")
        elif isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            parts += (b"s%d:" % len(data), data)
        elif isinstance(value, bytes):
            parts += (b"b%d:" % len(value), value)
        elif isinstance(value, int):  # bool too: stored as 0 or 1
            parts.append(b"i%d;" % value)
        elif isinstance(value, float):
            parts.append(b"f" + repr(value).encode("ascii") + b";")
        else:
            raise TypeError(f"a {type(value).__name__} cannot be stored in a row")
    return zlib.crc32(b"".join(parts))
