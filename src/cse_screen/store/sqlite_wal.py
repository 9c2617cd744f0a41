"""Reading SQLite's ``-wal`` file to tell a torn last write from committed changes lost.

SQLite's recovery silently stops at the first bad frame; these checks decide whether that
dropped only an unfinished write (said once as a warning) or committed changes (damage).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final, Literal


def _wal_checksum(data: bytes, seed: tuple[int, int], big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum (wal.c ``walChecksumBytes``) over ``data`` from ``seed``."""
    import struct

    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    s1, s2 = seed
    for i in range(0, len(words), 2):
        s1 = (s1 + words[i] + s2) & 0xFFFFFFFF
        s2 = (s2 + words[i + 1] + s1) & 0xFFFFFFFF
    return s1, s2


TORN_NOTICE: Final = (
    "the last change saved before the computer or program stopped may not have been kept (the end "
    "of the database's -wal file is incomplete or damaged); check the most recent screening"
)
"""Said once, on the first open after it happened: a warning, never a lockout."""


def _wal_damage(path: Path) -> Literal["lost", "torn"] | None:
    """``lost`` when SQLite's recovery stopped at a damaged frame with committed frames after it.

    ``torn`` when the refused part ends in what was written as a commit (this cycle's salts
    and a commit mark) that fails its checksum: a write torn by a power cut, or damage —
    SQLite drops that last transaction either way, so it is said as a warning.

    Recovery reads the ``-wal`` up to the first frame whose checksum fails and ignores the
    rest: right for a write torn by a crash (that transaction never committed), silently
    wrong when the damage is in the middle and whole committed transactions follow it. A
    later frame is genuine if its own checksum holds when chained from the frame before it
    (SQLite wrote it); a genuine commit frame there means committed changes were dropped.
    """
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    try:
        index = shm.read_bytes()[:48]
        raw = wal.read_bytes()
        if shm.read_bytes()[:48] != index:
            return None  # another program committed while we read: not a settled -wal
    except OSError:
        return None
    if len(raw) < 32 or len(index) < 48:
        return None
    magic = int.from_bytes(raw[0:4], "big")
    if magic not in (0x377F0682, 0x377F0683):
        # SQLite ignores a -wal it cannot recognise: all of it is lost.
        return "lost" if len(raw) > 32 else None
    big_endian = bool(magic & 1)
    page_size = int.from_bytes(raw[8:12], "big")
    salts = raw[16:24]
    frame_size = 24 + page_size
    # The -shm index header (native byte order) says how many frames recovery accepted.
    used = int.from_bytes(index[16:20], sys.byteorder)
    frames = (len(raw) - 32) // frame_size

    def genuine(n: int) -> bool:
        """Frame n carries this cycle's salts and its checksum holds, chained from frame n-1."""
        start = 32 + n * frame_size
        header = raw[start : start + 24]
        if header[8:16] != salts:
            return False
        before = raw[24:32] if n == 0 else raw[start - frame_size + 16 : start - frame_size + 24]
        seed = (int.from_bytes(before[0:4], "big"), int.from_bytes(before[4:8], "big"))
        sums = _wal_checksum(header[0:8], seed, big_endian)
        sums = _wal_checksum(raw[start + 24 : start + frame_size], sums, big_endian)
        return sums == (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big"))

    # Frames after the accepted ones that are genuine belong to a transaction that never
    # committed (or another program committing right now): fine. Find the first that is not.
    refused = next((n for n in range(used, frames) if not genuine(n)), frames)
    for n in range(refused + 1, frames):
        start = 32 + n * frame_size
        if int.from_bytes(raw[start + 4 : start + 8], "big") and genuine(n):
            # A genuine commit after the refused frame: committed changes dropped — unless
            # another program was writing while we read. SQLite writes a frame's header and
            # its page in two writes, so a read can catch a frame's new header over its old
            # page (refused) and the finished frames after it (genuine). Only a -wal that
            # reads the same again is settled.
            return "lost" if _settled(wal, shm, raw, index) else None
    if refused >= frames:
        return None
    # Frames left from earlier cycles of the -wal are normal (each restart adds one to the
    # first salt), and so is a transaction that never committed (every frame genuine). A
    # refused frame of this cycle, a commit mark after it, or a salt that fits no recent
    # cycle means the end was torn by a power cut or damaged.
    start = 32 + refused * frame_size
    age = (int.from_bytes(salts[0:4], "big") - int.from_bytes(raw[start + 8 : start + 12], "big")) % 2**32
    marked = any(
        raw[32 + n * frame_size + 8 : 32 + n * frame_size + 16] == salts
        and int.from_bytes(raw[32 + n * frame_size + 4 : 32 + n * frame_size + 8], "big")
        for n in range(refused, frames)
    )
    if not (marked or age == 0 or age > 1000):
        return None
    # A frame another program is writing right now also fails: only a settled end counts.
    return "torn" if _settled(wal, shm, raw, index) else None


def _settled(wal: Path, shm: Path, raw: bytes, index: bytes) -> bool:
    """The ``-wal`` and the ``-shm`` header read again are what was read: nobody is writing."""
    try:
        return wal.read_bytes() == raw and shm.read_bytes()[:48] == index
    except OSError:
        return False
