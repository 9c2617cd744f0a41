"""Reading saved screenings: one record, listings, the audit trail, exports, a child's history.

Mixed into :class:`~cse_screen.store.database.Store`. Reads take no lease and write nothing,
so they live apart from the write transactions and their rules; every row a read shows is
checked against its checksum (local file) and a row that cannot be decoded is reported as
damage, never as a traceback.
"""

from __future__ import annotations

import builtins
import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from cse_screen.store import rowcheck
from cse_screen.store.clock import parse_ts as _parse_ts
from cse_screen.store.clock import ts as _ts
from cse_screen.store.clock import utcnow
from cse_screen.store.codec import child_key, unseal, unseal_json
from cse_screen.store.errors import DECODE_ERRORS, NotFound, StoreError
from cse_screen.store.models import (
    Event,
    ExportRecord,
    HistoryEntry,
    ScreeningSummary,
    Status,
    StoredScreening,
)
from cse_screen.store.parts import StoreParts
from cse_screen.store.qtext import _load_text, known_texts
from cse_screen.store.sqlite_errors import _corrupt

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _reads_rows(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A row that cannot be decoded (bad UTF-8, JSON, date) is damage, reported as such."""

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except DECODE_ERRORS:
            store = args[0]
            assert isinstance(store, StoreParts)
            raise _corrupt(store.path, "a saved record cannot be read") from None

    return wrapper


class StoreReads(StoreParts):
    """The store's reads (see the module docstring)."""

    def resolve(self, prefix: str) -> str:
        """The full id of the one screening whose id starts with ``prefix``.

        Raises:
            NotFound: none matches (or it was deleted).
            StoreError: several match.
        """
        prefix = prefix.strip().lower()
        if not prefix:
            raise NotFound("no screening id given — see `cse-screen list` for the ids")
        rows = self._read(
            f"SELECT id FROM screenings WHERE {self._dialect.id_range} AND status != 'deleted' LIMIT 2",
            (prefix, prefix + "\U0010ffff"),
        )
        if not rows:
            raise NotFound(f"screening {prefix}: not found — see `cse-screen list` for the ids")
        if len(rows) > 1:
            raise StoreError(f"screening {prefix}: several ids start with this — type more characters")
        return str(rows[0][0])

    @_reads_rows
    def load(self, sid: str) -> StoredScreening:
        """Everything about one screening, with the questionnaire it was started with."""
        return self.load_all([sid])[sid]

    @_reads_rows
    def load_all(self, sids: Iterable[str]) -> dict[str, StoredScreening]:
        """Several screenings, each as :meth:`load` gives it, in two reads (per 500).

        For the DSL's inbox, which opens every shared screening (in team mode each read is a
        round trip).

        Raises:
            NotFound: one of them is not in the store (or deleted).
        """
        from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, Screening, ScreeningMeta

        wanted = builtins.list(dict.fromkeys(sids))
        found: dict[str, tuple[Any, ...]] = {}
        pairs_of: dict[str, builtins.list[tuple[str, Any]]] = {sid: [] for sid in wanted}
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ", ".join("?" * len(part))
            # The text as bytes: a damaged byte must affect only this questionnaire's screenings
            # (decoded in _load_text), not fail the query with a decoding error. A text this
            # process has loaded already is not sent again (tens of KB per screening: the inbox
            # loads every shared one, over the network in team mode).
            known = known_texts()
            text_column = self._dialect.text_as_bytes("q.text")
            if known:
                text_column = (
                    f"CASE WHEN q.sha256 IN ({', '.join('?' * len(known))}) THEN NULL ELSE {text_column} END"
                )
            rows = self._read(
                "SELECT s.id, s.status, s.meta, s.judgement, s.acks, s.position, s.level, s.created_at,"
                f" s.updated_at, s.completed_at, s.seq, q.sha256, q.qid, q.version, {text_column}"
                " FROM screenings AS s JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
                f" WHERE s.id IN ({marks})",
                (*known, *part),
            )
            found.update((row[0], row[1:]) for row in rows)
            for sid in part:
                if sid not in found or found[sid][0] == "deleted":
                    raise NotFound(f"screening {sid}: not found — see `cse-screen list` for the ids")
            self._check_rows("screenings", "id", part)
            self._check_rows("answers", "screening_id", part)
            self._check_rows("questionnaires")
            if self._dialect.checks_rows:
                # With each screening's count of answers, in one statement (one snapshot): a
                # damaged page that hides an answer from the query is caught (a checksum
                # cannot show it).
                counted = self._read(
                    "SELECT s.id, s.answered, a.question_id, a.body FROM screenings AS s"
                    f" LEFT JOIN answers AS a ON a.screening_id = s.id WHERE s.id IN ({marks})",
                    tuple(part),
                )
                answered: dict[str, int | None] = {}
                for sid, count, question_id, body in counted:
                    answered[sid] = count
                    if question_id is not None:
                        pairs_of[sid].append((question_id, body))
                for sid in part:
                    rowcheck.check_count(answered.get(sid), len(pairs_of[sid]))
            else:
                for sid, question_id, body in self._read(
                    f"SELECT screening_id, question_id, body FROM answers WHERE screening_id IN ({marks})",
                    tuple(part),
                ):
                    pairs_of[sid].append((question_id, body))
        out: dict[str, StoredScreening] = {}
        for sid in wanted:
            (
                status,
                meta,
                judgement,
                acks,
                position,
                level,
                created,
                updated,
                completed,
                seq,
                sha,
                qid,
                ver,
                text,
            ) = found[sid]
            answers = {qid_: Answer.model_validate(unseal_json(body)) for qid_, body in pairs_of[sid]}
            judgement_json = unseal_json(judgement)
            screening = Screening(
                questionnaire_id=qid,
                answers=answers,
                judgement=None if judgement_json is None else Judgement.model_validate(judgement_json),
                meta=ScreeningMeta.model_validate(unseal_json(meta)),
                danger_acknowledgements=tuple(
                    DangerAcknowledgement.model_validate(a) for a in (unseal_json(acks) or [])
                ),
            )
            out[sid] = StoredScreening(
                id=sid,
                screening=screening,
                status=status,
                loaded=_load_text(
                    sha, qid, ver, text if text is not None else functools.partial(self._stored_text, sha)
                ),
                position=position,
                created_at=_parse_ts(created),
                updated_at=_parse_ts(updated),
                completed_at=None if completed is None else _parse_ts(completed),
                level=level,
                seq=seq,
            )
        return out

    def _stored_text(self, sha: str) -> bytes | str:
        """A stored questionnaire text, as bytes where the database can give them (see :meth:`load`)."""
        rows = self._read(
            f"SELECT {self._dialect.text_as_bytes('text')} FROM questionnaires WHERE sha256 = ?", (sha,)
        )
        text: bytes | str = rows[0][0]
        return text

    @_reads_rows
    def list(
        self,
        *,
        status: Status | None = None,
        child_ref: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int | None = None,
    ) -> builtins.list[ScreeningSummary]:
        """Saved screenings, most recently changed first.

        Args:
            status: only drafts or only completed ones (None: both).
            child_ref: only this child (trimmed, case-insensitive).
            since: only screenings dated on or after this day.
            until: only screenings dated on or before this day.
            limit: at most this many.
        """
        where = ["s.status != 'deleted'"]
        params: builtins.list[Any] = []
        if status is not None:
            where.append("s.status = ?")
            params.append(status)
        if child_ref is not None:
            key = child_key(child_ref)
            if key is None:
                where.append("s.child_key IS NULL")
            else:
                where.append("s.child_key = ?")
                params.append(key)
        if since is not None:
            where.append("s.screening_date >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append("s.screening_date <= ?")
            params.append(until.isoformat())
        sql = (
            "SELECT s.id, q.qid, q.version, s.status, s.meta, s.screening_date, s.created_at, s.updated_at,"
            " s.completed_at, s.level,"
            " (SELECT count(*) FROM answers AS a WHERE a.screening_id = s.id)"
            " FROM screenings AS s JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
            f" WHERE {' AND '.join(where)} ORDER BY s.updated_at DESC"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self._read(sql, tuple(params))
        self._check_shown(rows)
        return [_summary(row) for row in rows]

    def _check_shown(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Check only the screenings a listing shows (rows led by their ids), and the questionnaires.

        Listing 100,000 screenings reads the 50 it shows: checking every row would read them
        all (``cse-screen doctor`` does that).
        """
        self._check_rows("screenings", "id", (row[0] for row in rows))
        self._check_rows("questionnaires")

    @_reads_rows
    def due_for_review(self, older_than: dt.timedelta) -> builtins.list[ScreeningSummary]:
        """Completed screenings finished longer ago than ``older_than``, oldest first (never deletes)."""
        cutoff = _ts(utcnow() - older_than)
        rows = self._read(
            "SELECT s.id, q.qid, q.version, s.status, s.meta, s.screening_date, s.created_at, s.updated_at,"
            " s.completed_at, s.level,"
            " (SELECT count(*) FROM answers AS a WHERE a.screening_id = s.id)"
            " FROM screenings AS s JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
            " WHERE s.status = 'completed' AND s.completed_at < ? ORDER BY s.completed_at",
            (cutoff,),
        )
        self._check_shown(rows)
        return [_summary(row) for row in rows]

    @_reads_rows
    def events(self, sid: str) -> builtins.list[Event]:
        """The audit trail of a screening in order (only the tombstone once deleted)."""
        if not self._read("SELECT 1 FROM screenings WHERE id = ?", (sid,)):
            raise NotFound(f"screening {sid}: not found — see `cse-screen list` for the ids")
        return self.trails([sid])[sid]

    @_reads_rows
    def trails(self, sids: Iterable[str]) -> dict[str, builtins.list[Event]]:
        """The audit trails of several screenings, each as :meth:`events` gives it, in few reads.

        For the DSL's inbox, which reads every shared screening's trail (in team mode each read
        is a round trip). A screening that is not there is asked for on its own, so it is
        reported exactly as :meth:`events` reports it.

        Raises:
            NotFound: one of them is not in the store.
        """
        wanted = builtins.list(dict.fromkeys(sids))
        rows_of: dict[str, builtins.list[tuple[Any, ...]]] = {}
        last_of: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            # With each screening's last event number, in the same statement (one snapshot):
            # events are numbered without gaps, so a damaged page that hides some from the
            # query is caught.
            numbered = self._read(
                f"SELECT screening_id, {self._dialect.event_columns},"
                " (SELECT s.seq FROM screenings AS s WHERE s.id = events.screening_id) AS last_seq"
                f" FROM events WHERE screening_id IN ({', '.join('?' * len(part))})"
                " ORDER BY screening_id, seq",
                tuple(part),
            )
            for row in numbered:
                rows_of.setdefault(row[0], []).append(row[1:-1])
                last_of[row[0]] = row[-1]
            if self._dialect.checks_rows:
                self._check_rows("events", "screening_id", [sid for sid in part if sid in rows_of])
        out: dict[str, builtins.list[Event]] = {}
        for sid in wanted:
            if sid not in rows_of:
                out[sid] = self._no_events(sid)
                continue
            rows = rows_of[sid]
            if self._dialect.checks_rows:
                rowcheck.check_numbered(last_of[sid], [(row[0], row[3]) for row in rows])
            out[sid] = [
                Event(
                    seq=seq,
                    at=_parse_ts(at),
                    who=who,
                    kind=kind,
                    question_id=question_id,
                    old=unseal_json(old),
                    new=unseal_json(new),
                    reason=None if reason is None else unseal(reason),
                    amendment=bool(amendment),
                )
                for seq, at, who, kind, question_id, old, new, reason, amendment in rows
            ]
        return out

    def _no_events(self, sid: str) -> builtins.list[Event]:
        """The trail of a screening none of whose events were read: not found, or damaged."""
        if not self._read("SELECT 1 FROM screenings WHERE id = ?", (sid,)):
            raise NotFound(f"screening {sid}: not found — see `cse-screen list` for the ids")
        if self._dialect.checks_rows:
            rowcheck.check_numbered(1, [])  # every screening has its first event: one is hidden
        return []

    @_reads_rows
    def exports(self, sid: str) -> builtins.list[ExportRecord]:
        """Each export of a screening, oldest first."""
        rows = self._read(
            "SELECT at, who, format, body FROM exports WHERE screening_id = ? ORDER BY seq", (sid,)
        )
        self._check_rows("exports", "screening_id", [sid])
        out = []
        for at, who, fmt, body in rows:
            data = unseal_json(body)
            basis = data.get("sharing_basis", "")  # exports recorded before it was asked: none
            out.append(ExportRecord(_parse_ts(at), who, fmt, data["path"], data["shared_with"], basis))
        return out

    @_reads_rows
    def history(self, child_ref: str) -> builtins.list[HistoryEntry]:
        """Every screening of the same child (including the current one), oldest first."""
        key = child_key(child_ref)
        if key is None:
            return []
        rows = self._read(
            "SELECT screening_date, level, status, id FROM screenings WHERE child_key = ?"
            " AND status != 'deleted' ORDER BY screening_date, created_at",
            (key,),
        )
        self._check_rows("screenings", "id", (row[3] for row in rows))
        return [HistoryEntry(dt.date.fromisoformat(d), level, status, sid) for d, level, status, sid in rows]


def _summary(row: tuple[Any, ...]) -> ScreeningSummary:
    sid, qid, version, status, meta, date, created, updated, completed, level, answered = row
    meta_json = unseal_json(meta) or {}
    return ScreeningSummary(
        id=sid,
        questionnaire_id=qid,
        questionnaire_version=version,
        status=status,
        child_ref=str(meta_json.get("child_ref", "")),
        date=dt.date.fromisoformat(date),
        created_at=_parse_ts(created),
        updated_at=_parse_ts(updated),
        completed_at=None if completed is None else _parse_ts(completed),
        level=level,
        answered=answered,
    )
