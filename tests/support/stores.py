"""Stores in the states faults leave them in, for the tests of what is said about them."""

from __future__ import annotations

import shutil
from pathlib import Path

from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store
from cse_screen.store import database as db
from support import MINI, load

META = ScreeningMeta(child_ref="SN-04", practitioner="Jo Nurse", role="School nurse")
"""An invented child."""


def torn_copy(tmp_path: Path) -> tuple[Path, str]:
    """A copy of a store whose last commit, only in the ``-wal``, is torn as a power cut may leave it.

    Opening it, SQLite drops that commit and the store warns once (``TORN_NOTICE``).

    Returns:
        The copy's folder, and the id of a draft in it (at ``immediate_danger``).
    """
    data, copy = tmp_path / "data", tmp_path / "copy"
    loaded = load(MINI)
    with Store.open(data) as store:
        older = store.create(loaded, META, "Jo Nurse")
        store.record_answer(older, "age", Answer(value=13), "Jo Nurse", position="immediate_danger")
    store = Store.open(data)
    store.record_answer(older, "immediate_danger", Answer(value="no"), "Jo Nurse", position="disclosure")
    copy.mkdir()
    for suffix in ("", "-wal"):
        shutil.copy2(f"{data / db.DB_NAME}{suffix}", f"{copy / db.DB_NAME}{suffix}")
    store.close()
    wal = Path(f"{copy / db.DB_NAME}-wal")
    raw = bytearray(wal.read_bytes())
    frame = 24 + int.from_bytes(raw[8:12], "big")
    last = 32 + ((len(raw) - 32) // frame - 1) * frame
    assert int.from_bytes(raw[last + 4 : last + 8], "big")  # the last frame is a commit
    raw[last + 24 + 200 : last + 24 + 264] = b"\x5a" * 64  # as a power cut might leave it
    wal.write_bytes(bytes(raw))
    return copy, older
