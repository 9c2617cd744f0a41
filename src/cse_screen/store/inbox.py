"""The DSL inbox in the store: sharing a screening with the DSL, and "last looked" marks.

A mixin of :class:`cse_screen.store.Store`, like :mod:`.followup`, so that the core store and
this part can change independently. What a backend must provide for the inbox is exactly the
public methods here (the PostgreSQL backend implements the same ones):

- :meth:`InboxStore.share` appends a ``shared`` event to a completed screening's audit trail
  (who, when). The trail is the one record of sharing: nothing else is kept, so delete (which
  removes a screening's events) removes its shares too, and replaying the trail gives them.
- :meth:`InboxStore.shared_screenings` lists every screening shared with the DSL;
  :meth:`InboxStore.shares` the shares of one.
- :meth:`InboxStore.recent_screenings` lists the screenings dated since a day, with who made
  them, for the joined-up concerns (several practitioners, rising levels).
- :meth:`InboxStore.last_looked` / :meth:`InboxStore.mark_looked` keep, per person, when they
  last looked at the inbox, so it can say what is new since then. A mark holds a name and a
  time, never content.

Ordering and the joined-up rules are not here: they are pure, in :mod:`cse_screen.session.inbox`
(read from a store by :mod:`cse_screen.session.inbox_read`).
"""

from __future__ import annotations

import builtins
import datetime as dt
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cse_screen.store.clock import parse_ts, ts
from cse_screen.store.codec import unseal_json
from cse_screen.store.errors import RecordLocked

if TYPE_CHECKING:
    from cse_screen.store.dialect import Dialect
    from cse_screen.store.models import EventKind, Status


SHARED_WITH = "DSL"
"""Who a share goes to. One DSL role per store (or per setting, in team mode)."""


@dataclass(frozen=True, slots=True)
class Share:
    """One time a screening was shared with the DSL (a ``shared`` event)."""

    seq: int
    at: dt.datetime
    who: str


@dataclass(frozen=True, slots=True)
class SharedScreening:
    """A screening shared with the DSL: one row of the inbox, before it is ordered."""

    id: str
    child_ref: str
    practitioner: str
    """The practitioner's name from the screening's details (else who started it)."""
    level: str | None
    """The final level stored now (after any amendment)."""
    status: Status
    questionnaire_id: str
    completed_at: dt.datetime | None
    first_shared_at: dt.datetime
    last_shared_at: dt.datetime
    last_shared_by: str
    times_shared: int


@dataclass(frozen=True, slots=True)
class RecentScreening:
    """A screening dated on or after a given day (for the joined-up concerns)."""

    id: str
    child_ref: str
    practitioner: str
    level: str | None
    status: Status
    date: dt.date
    questionnaire_id: str


def _who_made(meta: Any, created_by: str | None) -> str:
    name = str((meta or {}).get("practitioner", "")).strip()
    return name or (created_by or "").strip()


class InboxStore:
    """Store methods for the DSL inbox (mixed into ``Store``)."""

    if TYPE_CHECKING:
        path: Path
        _dialect: Dialect

        def _tx(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _read(self, sql: str, params: tuple[Any, ...] = ()) -> builtins.list[Any]: ...
        def _row(self, conn: sqlite3.Connection, sid: str) -> tuple[Status, int]: ...
        def _decoding(self) -> AbstractContextManager[None]: ...
        def _event(
            self,
            conn: sqlite3.Connection,
            sid: str,
            seq: int,
            who: str,
            kind: EventKind,
            *,
            question_id: str | None = None,
            old: Any = None,
            new: Any = None,
            reason: str | None = None,
            amendment: bool = False,
            at: dt.datetime | None = None,
        ) -> str: ...

    # ------------------------------------------------------------------ writes

    def share(self, sid: str, who: str) -> Share:
        """Share a completed screening with the DSL: an append-only ``shared`` event (who, when).

        Sharing changes nothing of the screening, so it needs no lease (like recording an
        export); sharing again (e.g. after an amendment) adds another event.

        Raises:
            RecordLocked: the screening is still a draft. NotFound, StoreUnavailable.
        """
        with self._tx() as conn:
            status, seq = self._row(conn, sid)
            if status != "completed":
                raise RecordLocked(
                    f"screening {sid} is still a draft — finish it first (`cse-screen resume {sid}`), "
                    "then share it with the DSL"
                )
            at = self._event(conn, sid, seq + 1, who, "shared", new={"with": SHARED_WITH})
        return Share(seq + 1, parse_ts(at), who)

    def mark_looked(self, who: str, at: dt.datetime) -> None:
        """Remember that ``who`` looked at the inbox at ``at`` (a mark only ever moves forward)."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO looked (who, at) VALUES (?, ?)"
                f" ON CONFLICT (who) DO UPDATE SET at = {self._dialect.greatest}(looked.at, excluded.at)",
                (who, ts(at)),
            )

    # ------------------------------------------------------------------ reads

    def last_looked(self, who: str) -> dt.datetime | None:
        """When ``who`` last looked at the inbox (None: never)."""
        rows = self._read("SELECT at FROM looked WHERE who = ?", (who,))
        return parse_ts(rows[0][0]) if rows else None

    def shares(self, sid: str) -> builtins.list[Share]:
        """The times a screening was shared with the DSL, oldest first."""
        rows = self._read(
            f"SELECT seq, at, {self._dialect.author_column} FROM events"
            " WHERE screening_id = ? AND kind = 'shared' ORDER BY seq",
            (sid,),
        )
        return [Share(seq, parse_ts(at), who) for seq, at, who in rows]

    def shared_screenings(self) -> builtins.list[SharedScreening]:
        """Every screening shared with the DSL (not deleted), in no particular order."""
        by = self._dialect.author_column  # the name given (in team mode `who` is the login)
        rows = self._read(
            "SELECT s.id, s.meta, s.level, s.status, s.completed_at, q.qid, sh.first, sh.last, sh.n,"
            f" (SELECT e.{by} FROM events AS e WHERE e.screening_id = s.id AND e.kind = 'shared'"
            "  ORDER BY e.seq DESC LIMIT 1),"
            f" (SELECT e.{by} FROM events AS e WHERE e.screening_id = s.id AND e.seq = 1)"
            " FROM (SELECT screening_id, min(at) AS first, max(at) AS last, count(*) AS n"
            "       FROM events WHERE kind = 'shared' GROUP BY screening_id) AS sh"
            " JOIN screenings AS s ON s.id = sh.screening_id"
            " JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
            " WHERE s.status != 'deleted'"
        )
        with self._decoding():
            out = []
            for sid, meta, level, status, completed, qid, first, last, n, by, created_by in rows:
                meta_json = unseal_json(meta) or {}
                out.append(
                    SharedScreening(
                        id=sid,
                        child_ref=str(meta_json.get("child_ref", "")),
                        practitioner=_who_made(meta_json, created_by),
                        level=level,
                        status=status,
                        questionnaire_id=qid,
                        completed_at=None if completed is None else parse_ts(completed),
                        first_shared_at=parse_ts(first),
                        last_shared_at=parse_ts(last),
                        last_shared_by=by,
                        times_shared=n,
                    )
                )
            return out

    def recent_screenings(
        self, since: dt.date, *, with_history: bool = False
    ) -> builtins.list[RecentScreening]:
        """Screenings dated on or after ``since`` (drafts too), oldest first.

        Args:
            since: The first day.
            with_history: Instead, the **completed** screenings of the children with a
                completed screening dated on or after ``since``: those of the period and the
                last one before it — what the joined-up rules need, in one query.
        """
        where = "s.status != 'deleted' AND s.screening_date >= ?"
        params: tuple[str, ...] = (since.isoformat(),)
        if with_history:
            where = (
                "s.status = 'completed' AND s.child_key IN (SELECT r.child_key FROM screenings AS r"
                " WHERE r.status = 'completed' AND r.screening_date >= ?1 AND r.child_key IS NOT NULL)"
                " AND (s.screening_date >= ?1 OR s.id = (SELECT p.id FROM screenings AS p"
                "  WHERE p.child_key = s.child_key AND p.status = 'completed' AND p.screening_date < ?1"
                "  ORDER BY p.screening_date DESC, p.created_at DESC LIMIT 1))"
            )
        by = self._dialect.author_column
        rows = self._read(
            "SELECT s.id, s.meta, s.level, s.status, s.screening_date, q.qid,"
            f" (SELECT e.{by} FROM events AS e WHERE e.screening_id = s.id AND e.seq = 1)"
            " FROM screenings AS s JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
            f" WHERE {where} ORDER BY s.screening_date, s.created_at",
            params,
        )
        with self._decoding():
            out = []
            for sid, meta, level, status, date, qid, created_by in rows:
                meta_json = unseal_json(meta) or {}
                out.append(
                    RecentScreening(
                        id=sid,
                        child_ref=str(meta_json.get("child_ref", "")),
                        practitioner=_who_made(meta_json, created_by),
                        level=level,
                        status=status,
                        date=dt.date.fromisoformat(date),
                        questionnaire_id=qid,
                    )
                )
            return out
