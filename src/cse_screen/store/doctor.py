"""``cse-screen doctor``'s checks: is the store sound, and does every record agree with its trail?

Read-only by construction (the store is opened with ``access="read"``). Problems are
described without any screening content: ids, questionnaire ids and versions only.
"""

from __future__ import annotations

from dataclasses import dataclass

from cse_screen.errors import UserError
from cse_screen.store.database import Store


@dataclass(frozen=True)
class Problem:
    """One thing found wrong, in plain words (never content)."""

    what: str


def check_store(store: Store) -> list[Problem]:
    """Run every check: ``integrity_check``, row checksums, stored questionnaire hashes, event replay.

    Args:
        store: A store opened for reading.

    Returns:
        The problems found; empty when the store is sound.
    """
    from cse_screen.questionnaire.loaded import sha256_text
    from cse_screen.store.followup import replay_followup
    from cse_screen.store.replaying import replay

    problems: list[Problem] = []
    rows = store.integrity_check()
    if rows != ["ok"]:
        problems.extend(Problem(f"SQLite's integrity check: {row[:200]}") for row in rows[:5])
    for sha, qid, version, text, used in store._read(
        "SELECT q.sha256, q.qid, q.version, q.text,"
        " (SELECT count(*) FROM screenings AS s WHERE s.questionnaire = q.sha256 AND s.status != 'deleted')"
        " FROM questionnaires AS q"
    ):
        try:
            sound = sha256_text(text) == sha
        except (TypeError, UnicodeError, AttributeError):
            sound = False
        if not sound:
            problems.append(
                Problem(
                    f"the stored copy of questionnaire {qid} version {version} is damaged "
                    f"(its SHA-256 no longer matches); {used} screening(s) use it"
                )
            )
    problems.extend(_row_checksums(store))
    for (sid,) in store._read("SELECT id FROM screenings WHERE status != 'deleted' ORDER BY id"):
        try:
            stored = store.load(sid)
            events = store.events(sid)
        except UserError as exc:
            problems.append(Problem(f"screening {sid}: cannot be read ({type(exc).__name__})"))
            continue
        try:
            agrees = replay(events) == stored.screening
        except (ValueError, KeyError, TypeError):
            agrees = False
        if not agrees:
            problems.append(Problem(f"screening {sid}: its audit trail does not rebuild the saved answers"))
        try:  # after the screening: level, decisions, review date, re-screening link
            followed = replay_followup(events) == store.followup(sid)
        except (UserError, ValueError, KeyError, TypeError, AttributeError):
            followed = False
        if not followed:
            problems.append(
                Problem(
                    f"screening {sid}: its audit trail does not rebuild its decisions, level or review date"
                )
            )
    return problems


def _row_checksums(store: Store) -> list[Problem]:
    """Every row whose columns no longer match their checksum (:mod:`.rowcheck`), by screening."""
    from cse_screen.store.rowcheck import damaged_rows

    with store._lock:
        bad = damaged_rows(store._conn)
    found: dict[str, set[str]] = {}
    for table, key in bad:
        where = f"questionnaire {str(key[0])[:12]}" if table == "questionnaires" else f"screening {key[0]}"
        found.setdefault(where, set()).add(table)
    return [
        Problem(f"{where}: saved {', '.join(sorted(tables))} record(s) fail their checksum (damaged)")
        for where, tables in found.items()
    ]
