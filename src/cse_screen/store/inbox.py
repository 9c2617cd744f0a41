"""The DSL inbox in the store: sharing a screening with the DSL, and "last looked" marks.

A mixin of :class:`cse_screen.store.Store`, like :mod:`.followup`, so that the core store and
this part can change independently. What a backend must provide for the inbox is exactly the
public methods here (the PostgreSQL backend implements the same ones):

- :meth:`InboxStore.share` appends a ``shared`` event to a completed screening's audit trail
  (who, when). The trail is the one record of sharing: nothing else is kept, so delete (which
  removes a screening's events) removes its shares too, and replaying the trail gives them.
- :meth:`InboxStore.shared_screenings` lists every screening shared with the DSL;
  :meth:`InboxStore.shares` the shares of one.
- :meth:`InboxStore.period` lists the screenings dated since a day, with who made them, and
  the screening before the period of each child screened in it, for the joined-up concerns
  (several practitioners, rising levels) and the near references.
- :meth:`InboxStore.last_looked` / :meth:`InboxStore.mark_looked` keep, per person, when they
  last looked at the inbox, so it can say what is new since then. A mark holds a name and a
  time, never content.

Ordering and the joined-up rules are not here: they are pure, in :mod:`cse_screen.session.inbox`
(read from a store by :mod:`cse_screen.session.inbox_read`).
"""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cse_screen.store.clock import parse_ts, ts
from cse_screen.store.codec import unseal_json
from cse_screen.store.errors import RecordLocked
from cse_screen.store.parts import StoreParts

if TYPE_CHECKING:
    from cse_screen.store.models import Status


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
    """A screening of a period, or the one before it of a child (for the joined-up concerns)."""

    id: str
    child_ref: str
    practitioner: str
    level: str | None
    status: Status
    date: dt.date
    questionnaire_id: str


@dataclass(frozen=True, slots=True)
class Period:
    """The screenings of a period, and the last completed one before it of the children in it."""

    screenings: builtins.list[RecentScreening]
    """Dated on or after the first day (drafts too), oldest first."""
    before: builtins.list[RecentScreening]
    """For each child with a completed screening in the period: the child's last completed
    screening dated before the period (none when it has none), oldest first."""


def _who_made(meta: Any, created_by: str | None) -> str:
    name = str((meta or {}).get("practitioner", "")).strip()
    return name or (created_by or "").strip()


class InboxStore(StoreParts):
    """Store methods for the DSL inbox (mixed into ``Store``)."""

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
                f"INSERT INTO looked (who, at) VALUES (?, ?) ON CONFLICT ({self._dialect.looked_key})"
                f" DO UPDATE SET at = {self._dialect.greatest}(looked.at, excluded.at)",
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

    def period(self, since: dt.date) -> Period:
        """The screenings dated on or after ``since``, and what the joined-up rules need before it.

        One statement (one round trip in team mode), each row decoded once: the period's
        screenings (drafts too, oldest first) and, for every child with a completed screening
        in the period, the child's last completed screening dated before it (for the trend).
        Both parts are found through indexes (the screening date; the child key; the id), on
        SQLite and PostgreSQL (``benchmarks/inbox_bench.py --explain`` prints the plans).
        """
        by = self._dialect.author_column
        columns = (
            "s.id, s.meta, s.level, s.status, s.screening_date, s.created_at, q.qid,"
            f" (SELECT e.{by} FROM events AS e WHERE e.screening_id = s.id AND e.seq = 1)"
        )
        # The ones before: for each completed screening of the period, the id of its child's
        # last completed one before it (a child key index search), then each distinct id
        # joined by its primary key. Written as a join on a derived table, not `s.id IN (…)`,
        # because PostgreSQL then reads the whole table into a hash instead of using the key.
        rows = self._read(
            f"SELECT 0, {columns} FROM screenings AS s"
            " JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
            " WHERE s.status != 'deleted' AND s.screening_date >= ?1"
            f" UNION ALL SELECT 1, {columns}"
            " FROM (SELECT DISTINCT (SELECT p.id FROM screenings AS p WHERE p.child_key = r.child_key"
            "   AND p.status = 'completed' AND p.screening_date < ?1"
            "   ORDER BY p.screening_date DESC, p.created_at DESC LIMIT 1) AS last_id"
            "  FROM screenings AS r"
            "  WHERE r.status = 'completed' AND r.screening_date >= ?1 AND r.child_key IS NOT NULL) AS h"
            " JOIN screenings AS s ON s.id = h.last_id JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
            " ORDER BY 6, 7",  # the screening date, then when it was made
            (since.isoformat(),),
        )
        with self._decoding():
            period: builtins.list[RecentScreening] = []
            before: builtins.list[RecentScreening] = []
            for earlier, sid, meta, level, status, date, _made, qid, created_by in rows:
                meta_json = unseal_json(meta) or {}
                (before if earlier else period).append(
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
            return Period(period, before)
