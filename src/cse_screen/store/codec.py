"""The one place every sensitive value passes through on its way to and from the disk.

Answers, notes, sources, the child reference, the child's words, judgement reasons, event
old/new values and reasons are all sealed here. Today sealing is plain UTF-8 (the file is
owner-only); encryption at rest (e.g. AES-GCM with the record id as associated data) can be
added inside :func:`seal` / :func:`unseal` without touching any caller.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any

_PLAIN = b"\x00"
"""Format byte for "not encrypted" (rows written before checksums); still read."""
_CHECKED = b"\x01"
"""Format byte for "not encrypted, with a CRC-32 of the text": what :func:`seal` writes.

SQLite checks its pages' structure but not the bytes of a value, so a flipped bit inside
an answer would otherwise read back as a different answer. A future cipher (AEAD, which
authenticates by itself) gets its own byte, so older rows still read."""


def seal(text: str) -> bytes:
    """Turn sensitive text into the bytes stored on disk."""
    data = text.encode("utf-8", "surrogatepass")
    return _CHECKED + zlib.crc32(data).to_bytes(4, "big") + data


def unseal(blob: bytes) -> str:
    """Turn stored bytes back into the text given to :func:`seal`.

    Raises:
        ValueError: the bytes are not in a known format or fail their checksum (damage).
    """
    blob = bytes(blob)
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


def child_key(child_ref: str) -> str | None:
    """A lookup key for a child reference, so history and filters need no unsealing.

    References are compared trimmed and case-insensitively ("ab-12" finds "AB-12"). With
    encryption this becomes a keyed HMAC; today the reference itself is stored readable.
    """
    norm = " ".join(child_ref.split()).casefold()
    if not norm:
        return None
    return hashlib.sha256(b"cse-screen child ref\x00" + norm.encode("utf-8", "surrogatepass")).hexdigest()
