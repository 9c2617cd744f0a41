"""Stored questionnaire texts: loading them back (cached per process) and the installed fallback.

A screening keeps the exact questionnaire text it was started with (one row per SHA-256),
so it opens, scores and reports the same way after the YAML changes. Parsing that text is
the slow part of opening a screening, so each text is parsed once per process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from cse_screen.errors import UserError
from cse_screen.store.errors import DECODE_ERRORS, StoredQuestionnaireDamaged

if TYPE_CHECKING:
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire

_QCACHE: OrderedDict[str, LoadedQuestionnaire] = OrderedDict()
_QCACHE_LOCK = threading.Lock()


def known_texts() -> list[str]:
    """The SHA-256 of each stored text loaded already in this process (a store need not send it again)."""
    with _QCACHE_LOCK:
        return list(_QCACHE)


def _load_text(
    sha256: str, qid: str, version: str, stored: str | bytes | Callable[[], str | bytes]
) -> LoadedQuestionnaire:
    """Load a stored questionnaire text (cached per process: parsing YAML is the slow part).

    ``stored`` is the text, or a function that reads it (for a caller that did not fetch a
    text it found in :func:`known_texts`, in case it left the cache since).
    """
    with _QCACHE_LOCK:
        hit = _QCACHE.get(sha256)
        if hit is not None:
            _QCACHE.move_to_end(sha256)
            return hit
    if callable(stored):
        stored = stored()
    # Parse and validate against the format, but skip the loader's structural checks: the
    # text passed them when the screening started, and a stricter check in a newer
    # cse-screen must not lock people out of an old record.
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire, sha256_text

    name = f"<stored {qid} {version}>"
    try:
        text = stored.decode("utf-8") if isinstance(stored, bytes) else stored
        if sha256_text(text) != sha256:
            raise ValueError("hash mismatch")
        # The same text checked before by this program (the questionnaire cache): its model
        # is reused, which skips the YAML parse and validation when a draft is resumed.
        from cse_screen.questionnaire import cache

        cached = cache.read_model(sha256, name)
        if cached is not None:
            questionnaire = cached[0]
        else:
            # Imported only here: the YAML parser and the loader cost ~45 ms that a hit never needs.
            from cse_screen.questionnaire.loader import build_questionnaire
            from cse_screen.questionnaire.yaml_safe import load_yaml

            questionnaire = build_questionnaire(load_yaml(text, name), name)
        loaded = LoadedQuestionnaire(questionnaire, sha256, text)
    except (UserError, *DECODE_ERRORS):
        loaded = _installed_copy(sha256, qid, version)
    with _QCACHE_LOCK:
        _QCACHE[sha256] = loaded
        while len(_QCACHE) > 16:
            _QCACHE.popitem(last=False)
    return loaded


def _installed_copy(sha256: str, qid: str, version: str) -> LoadedQuestionnaire:
    """The installed questionnaire with exactly the stored text (same SHA-256), if there is one.

    Raises:
        StoreCorrupt: no installed file has that text. Only screenings started with this
            questionnaire version are affected, and the message says so.
    """
    from cse_screen.questionnaire.loader import load_questionnaire, resolve_questionnaire

    with suppress(UserError, OSError):
        installed = load_questionnaire(resolve_questionnaire(qid))
        if installed.sha256 == sha256:
            return installed
    raise StoredQuestionnaireDamaged(
        f"the stored copy of questionnaire {qid} version {version} (sha256 {sha256[:12]}…) is damaged, so "
        "screenings started with it cannot be opened; every other screening is unaffected. Installing that "
        "same questionnaire file again lets cse-screen use it instead; `cse-screen doctor` lists the "
        "screenings affected."
    )


def _remember(loaded: LoadedQuestionnaire) -> None:
    with _QCACHE_LOCK:
        _QCACHE.setdefault(loaded.sha256, loaded)
