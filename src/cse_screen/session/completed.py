"""Opening a completed screening for what comes after it: amendments, decisions, re-screening.

Shared by :mod:`~cse_screen.session.amendment`, :mod:`~cse_screen.session.decisions` and
:mod:`~cse_screen.session.after`, so each refuses an unknown id, a draft or an empty reason
with the same words.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from cse_screen.errors import UserError

if TYPE_CHECKING:
    from cse_screen.store import Store, StoredScreening
    from cse_screen.store.crypt import PassphraseSource


def today() -> dt.date:
    """Today in local time, from the store's clock (tests move one clock for both)."""
    from cse_screen.store.database import utcnow  # one clock for the store and its checks

    return utcnow().astimezone().date()


def need_reason(text: str | None, what: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise UserError(
            f"{what}: a reason is needed — say why, in a sentence (it is kept in the audit trail)"
        )
    return reason


def open_completed(
    data_dir: str | os.PathLike[str] | None, ref: str, what: str, passphrase: PassphraseSource | None = None
) -> tuple[Store, StoredScreening]:
    """Open the store for writing and the completed screening ``ref`` (a unique id start).

    ``passphrase`` asks for an encrypted store's passphrase (None: the store's own way).
    """
    from cse_screen.store import Store

    store = Store.open(data_dir, passphrase=passphrase)
    try:
        sid = store.resolve(ref)
        stored = store.load(sid)
        if stored.status != "completed":
            raise UserError(
                f"screening {sid} is still a draft — finish it with `cse-screen resume {sid}` "
                f"before you {what}"
            )
    except BaseException:
        store.close()
        raise
    return store, stored
