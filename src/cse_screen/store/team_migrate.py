"""Moving up: copy a practitioner's local store into the team database (``team migrate --from-local``).

Each screening is copied whole — the row, its answers, its whole audit trail (with the
times its desk recorded, as ``desk_at``), its exports and decisions, and the questionnaire
text it was started with — in one transaction, and then verified: a SHA-256 over every
value of the record, unsealed, read back from the team database, must equal the local
one. :func:`record_digest` does the same through the store's own read methods (for spot
checks; it costs a few round trips per record). Running it again copies nothing twice: a
screening already in the team database is only verified. Deleted screenings (tombstones)
are not copied.

Values are read from the local store with its keys (it may be encrypted) and sealed again
by the one codec for the team database (:mod:`cse_screen.store.codec`); the child
reference's lookup key is computed again the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cse_screen.store.clock import ts
from cse_screen.store.codec import active_keys, child_key, seal, seal_json, unseal, unseal_json, use_keys
from cse_screen.store.errors import StoreError

if TYPE_CHECKING:
    from cse_screen.store.database import Store
    from cse_screen.store.keys import DataKeys


@dataclass
class MigrationReport:
    """What ``team migrate --from-local`` did, screening by screening (ids only, never content)."""

    copied: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    """Already in the team database and identical (a run before this one copied them)."""
    refused: list[tuple[str, str]] = field(default_factory=list)
    """Not copied, with the reason (e.g. decisions, which only a DSL may record there)."""
    differ: list[str] = field(default_factory=list)
    """In the team database but not identical to the local copy (changed there since)."""
    deleted: int = 0
    """Deleted screenings in the local store (tombstones: nothing to copy)."""
    events: int = 0
    """Audit events copied by this run."""

    @property
    def ok(self) -> bool:
        """True when every screening of the local store is now in the team database, verified."""
        return not self.refused and not self.differ


@contextmanager
def _keys(keys: DataKeys | None) -> Iterator[None]:
    before = active_keys()
    use_keys(keys)
    try:
        yield
    finally:
        use_keys(before)


def record_digest(store: Store, sid: str) -> str:
    """SHA-256 of everything the store's read methods say about one screening.

    The same on both backends for the same record, so it proves a copy complete: the
    state, the questionnaire text, every event (number, time, author, kind, values,
    reason), exports, decisions and the follow-up state.
    """
    stored = store.load(sid)
    follow = store.followup(sid)
    data: dict[str, Any] = {
        "id": sid,
        "status": stored.status,
        "level": stored.level,
        "position": stored.position,
        "seq": stored.seq,
        "created_at": stored.created_at.isoformat(),
        "updated_at": stored.updated_at.isoformat(),
        "completed_at": None if stored.completed_at is None else stored.completed_at.isoformat(),
        "questionnaire": stored.loaded.sha256,
        "screening": stored.screening.model_dump(mode="json"),
        "events": [
            [e.seq, e.at.isoformat(), e.who, e.kind, e.question_id, e.old, e.new, e.reason, e.amendment]
            for e in store.events(sid)
        ],
        "exports": [
            [x.at.isoformat(), x.who, x.format, x.path, x.shared_with, x.sharing_basis]
            for x in store.exports(sid)
        ],
        "decisions": [[d.seq, d.recorded_at.isoformat(), d.recorded_by, d.body()] for d in follow.decisions],
        "review_due": None if follow.review_due is None else follow.review_due.isoformat(),
        "follows": follow.follows,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


_SCREENING_COLUMNS = (
    "id, questionnaire, status, meta, judgement, acks, position, level, screening_date, created_at,"
    " updated_at, completed_at, seq, review_due, follows"
)
_NAMES = [c.strip() for c in _SCREENING_COLUMNS.split(",")]


def _when(value: str | None) -> str | None:
    """A stored time in one form on both backends (UTC, microseconds)."""
    return None if value is None else ts(dt.datetime.fromisoformat(value))


def _records(store: Store, ids: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """Every screening (not deleted) with its answers, trail, exports and decisions, values unsealed.

    A few queries for the whole store, whichever backend (the store's own dialect names the
    event columns), so a thousand records are read and verified in well under a second of
    server round trips. The current codec keys must be this store's.
    """
    records: dict[str, dict[str, Any]] = {}
    for row in store._read(f"SELECT {_SCREENING_COLUMNS} FROM screenings WHERE status != 'deleted'"):
        values = dict(zip(_NAMES, row, strict=True))
        if ids is not None and values["id"] not in ids:
            continue
        for column in ("meta", "judgement", "acks"):
            values[column] = unseal_json(values[column])
        for column in ("created_at", "updated_at", "completed_at"):
            values[column] = _when(values[column])
        records[values["id"]] = {"row": values, "answers": [], "events": [], "exports": [], "decisions": []}
    for sid, question_id, body in store._read("SELECT screening_id, question_id, body FROM answers"):
        if sid in records:
            records[sid]["answers"].append([question_id, unseal_json(body)])
    events = store._read(f"SELECT screening_id, {store._dialect.event_columns} FROM events")
    for sid, seq, at, who, kind, question_id, old, new, reason, amendment in events:
        if sid in records:
            records[sid]["events"].append(
                [seq, _when(at), who, kind, question_id, unseal_json(old), unseal_json(new),
                 None if reason is None else unseal(reason), int(amendment)]
            )  # fmt: skip
    for sid, seq, at, who, fmt, body in store._read(
        "SELECT screening_id, seq, at, who, format, body FROM exports"
    ):
        if sid in records:
            records[sid]["exports"].append([seq, at, who, fmt, unseal_json(body)])
    for sid, seq, at, who, body in store._read("SELECT screening_id, seq, at, who, body FROM decisions"):
        if sid in records:
            records[sid]["decisions"].append([seq, at, who, unseal_json(body)])
    for record in records.values():
        for key in ("answers", "events", "exports", "decisions"):
            record[key].sort(key=lambda item: item[0])
    return records


def _digest(record: dict[str, Any]) -> str:
    """SHA-256 of one record as read by :func:`_records` (the same on both backends)."""
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _values(rows: list[tuple[Any, ...]]) -> tuple[str, tuple[Any, ...]]:
    """``VALUES (?, …), (?, …)`` for several rows in one statement, and their parameters."""
    one = "(" + ", ".join("?" * len(rows[0])) + ")"
    return ", ".join([one] * len(rows)), tuple(v for row in rows for v in row)


def _write_team(team: Store, record: dict[str, Any], questionnaire: tuple[Any, ...] | None) -> int:
    """Insert one screening read by :func:`_records` in one transaction (team keys active)."""
    row = record["row"]
    sid = row["id"]
    meta = row["meta"] or {}
    with team._tx() as conn:
        if questionnaire is not None:
            conn.execute(
                "INSERT INTO questionnaires (sha256, qid, version, text, added_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (sha256) DO NOTHING",
                questionnaire,
            )
        sealed = {**row, **{c: seal_json(row[c]) for c in ("meta", "judgement", "acks")}}
        marks = ", ".join("?" * (len(_NAMES) + 1))
        conn.execute(
            f"INSERT INTO screenings ({_SCREENING_COLUMNS}, child_key) VALUES ({marks})",
            (*(sealed[c] for c in _NAMES), child_key(str(meta.get("child_ref", "")))),
        )
        if record["answers"]:
            sql, params = _values([(sid, q, seal_json(body)) for q, body in record["answers"]])
            conn.execute(f"INSERT INTO answers (screening_id, question_id, body) VALUES {sql}", params)
        if record["events"]:
            sql, params = _values(
                [
                    (sid, seq, at, who, kind, question_id, seal_json(old), seal_json(new),
                     None if reason is None else seal(reason), amendment)
                    for seq, at, who, kind, question_id, old, new, reason, amendment in record["events"]
                ]
            )  # fmt: skip
            conn.execute(
                "INSERT INTO events (screening_id, seq, desk_at, author, kind, question_id, old_value,"
                f" new_value, reason, amendment) VALUES {sql}",
                params,
            )
        for seq, at, who, fmt, body in record["exports"]:
            conn.execute(
                "INSERT INTO exports (screening_id, seq, at, who, format, body) VALUES (?, ?, ?, ?, ?, ?)",
                (sid, seq, at, who, fmt, seal_json(body)),
            )
        for seq, at, who, body in record["decisions"]:
            conn.execute(
                "INSERT INTO decisions (screening_id, seq, at, who, body) VALUES (?, ?, ?, ?, ?)",
                (sid, seq, at, who, seal_json(body)),
            )
    return len(record["events"])


def migrate_from_local(
    local: Store,
    team: Store,
    local_keys: DataKeys | None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> MigrationReport:
    """Copy every screening of ``local`` into ``team`` that is not there yet, and verify each.

    Args:
        local: the practitioner's local store, opened (and unlocked).
        local_keys: its keys (``codec.active_keys()`` just after opening it; None if plain).
        team: the team database, opened as the practitioner (or DSL) who owns these records.
        progress: called with (done, total) after each screening.

    Raises:
        StoreError: the team database cannot be used (nothing half-copied: each screening
            is one transaction).
    """
    if local.backend != "sqlite" or team.backend != "postgresql":
        raise StoreError("migrate copies a local store into the team database — check --data-dir and the URL")
    report = MigrationReport()
    with _keys(local_keys):
        # Damage in the desk's file must stop here, not travel into the team database.
        try:
            for table in ("screenings", "answers", "events", "exports", "decisions"):
                local._check_rows(table)
        except ValueError:
            from cse_screen.store.sqlite_errors import _corrupt

            raise _corrupt(
                local.path, "a saved record no longer matches its checksum; nothing was copied"
            ) from None
        mine = _records(local)
        report.deleted = int(local._read("SELECT count(*) FROM screenings WHERE status = 'deleted'")[0][0])
        texts = {
            str(q[0]): tuple(q)
            for q in local._read("SELECT sha256, qid, version, text, added_at FROM questionnaires")
        }
    with _keys(None):
        there = _records(team)
        dsl = bool(team._read("SELECT pg_has_role(current_user, 'cse_dsl', 'MEMBER')")[0][0])
        sent: set[str] = set()
        written: list[str] = []
        order = sorted(mine, key=lambda sid: (mine[sid]["row"]["created_at"], sid))
        for done, sid in enumerate(order, start=1):
            record = mine[sid]
            if sid in there:
                (report.already if _digest(there[sid]) == _digest(record) else report.differ).append(sid)
            elif record["decisions"] and not dsl:
                report.refused.append(
                    (sid, "it holds a DSL's decision, which only a DSL may record in the team database")
                )
            else:
                sha = record["row"]["questionnaire"]
                try:
                    report.events += _write_team(team, record, None if sha in sent else texts[sha])
                except StoreError as exc:
                    report.refused.append((sid, str(exc)))
                else:
                    sent.add(sha)
                    written.append(sid)
            if progress is not None:
                progress(done, len(order))
        copied = _records(team, set(written))
    for sid in written:
        if sid in copied and _digest(copied[sid]) == _digest(mine[sid]):
            report.copied.append(sid)
        else:
            report.differ.append(sid)
    return report
