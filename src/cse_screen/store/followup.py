"""After the screening: amendments of the level, the DSL's decisions, review dates, links.

A mixin of :class:`cse_screen.store.Store` kept in its own module so that the core
store (open, faults, leases) and this part can change independently. Every write is one
``BEGIN IMMEDIATE`` transaction holding the new state **and** its append-only event, like
every other write; every sensitive value (reasons, decision text, names, referral
references) goes through :mod:`cse_screen.store.codec`.

The state it keeps and the events that rebuild it are described (and replayed) in
:mod:`cse_screen.store.followup_state`.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cse_screen.store.codec import child_key, row_sum, seal, seal_json, unseal_json
from cse_screen.store.errors import NotFound, RecordLocked, StoreError
from cse_screen.store.followup_state import ChronologyRow, FollowUpState, date_or_none, replay_followup
from cse_screen.store.models import Decision, DueReview
from cse_screen.store.parts import StoreParts

if TYPE_CHECKING:
    pass


__all__ = ["WORKED_OUT_REASON", "ChronologyRow", "FollowUp", "FollowUpState", "replay_followup"]

_DECODE_ERRORS = (ValueError, KeyError, TypeError, IndexError, AttributeError, UnicodeError)

WORKED_OUT_REASON = (
    "Worked out from the saved answers the first time a chronology needed it "
    "(completed before cse-screen stored the computed level)"
)


class FollowUp(StoreParts):
    """Store methods for what happens after a screening is completed (mixed into ``Store``)."""

    # ------------------------------------------------------------------ helpers

    def _completed(self, conn: sqlite3.Connection, sid: str, what: str) -> int:
        """Check the screening is completed and ours to write; return the next event number."""
        status, seq = self._row(conn, sid)
        self._check_lease(conn, sid)
        if status != "completed":
            raise RecordLocked(
                f"screening {sid} is still a draft — finish it first (`cse-screen resume {sid}`), then {what}"
            )
        return seq + 1

    def _decoding(self) -> AbstractContextManager[None]:
        return _Decoding(self.path)

    def _review_done(self, conn: sqlite3.Connection, sid: str, who: str) -> None:
        """A completed re-screening is the review of the screening it follows: clear that one's date.

        Part of the completing transaction; a ``review`` event on the earlier screening says
        which screening reviewed it (bookkeeping like an export: the earlier one's lease is
        not needed, and nothing of its content changes).
        """
        row = conn.execute("SELECT follows FROM screenings WHERE id = ?", (sid,)).fetchone()
        earlier = None if row is None else row[0]
        if earlier is None:
            return
        found = conn.execute(
            "SELECT status, seq, review_due FROM screenings WHERE id = ?", (earlier,)
        ).fetchone()
        if found is None or found[0] != "completed" or found[2] is None:
            return  # deleted, or no review date to clear
        conn.execute("UPDATE screenings SET review_due = NULL WHERE id = ?", (earlier,))
        self._event(conn, earlier, found[1] + 1, who, "review", new={"review_due": None, "reviewed_by": sid})

    # ------------------------------------------------------------------ writes

    def set_level(self, sid: str, level: str, who: str, reason: str) -> None:
        """Store the final level again after an amendment re-evaluated it (no-op if unchanged).

        Raises:
            RecordLocked: the screening is a draft, or no reason is given.
        """
        if not reason.strip():
            raise RecordLocked(f"screening {sid}: a changed level needs a reason")
        with self._tx() as conn:
            seq = self._completed(conn, sid, "amend it")
            old = conn.execute("SELECT level FROM screenings WHERE id = ?", (sid,)).fetchone()[0]
            if old == level:
                return
            conn.execute("UPDATE screenings SET level = ? WHERE id = ?", (level, sid))
            self._event(conn, sid, seq, who, "level", old=old, new=level, reason=reason, amendment=True)

    def set_result(
        self, sid: str, level: str, computed_level: str, flags: Sequence[str], who: str, reason: str
    ) -> None:
        """Store a result re-evaluated after an amendment, in one transaction.

        A changed final level is a ``level`` event (old → new, the reason); a changed computed
        level or set of fired rules is a ``result`` event. Nothing changed: nothing written.

        Raises:
            RecordLocked: the screening is a draft, or no reason is given.
        """
        if not reason.strip():
            raise RecordLocked(f"screening {sid}: a changed level needs a reason")
        new = {"computed_level": computed_level, "flags": list(flags)}
        with self._tx() as conn, self._decoding():
            seq = self._completed(conn, sid, "amend it")
            old_level, old_computed, old_flags = conn.execute(
                "SELECT level, computed_level, flags FROM screenings WHERE id = ?", (sid,)
            ).fetchone()
            if old_level != level:
                conn.execute("UPDATE screenings SET level = ? WHERE id = ?", (level, sid))
                self._event(
                    conn, sid, seq, who, "level", old=old_level, new=level, reason=reason, amendment=True
                )
                seq += 1
            old = (
                None
                if old_flags is None
                else {"computed_level": old_computed, "flags": unseal_json(old_flags)}
            )
            if old != new:
                conn.execute(
                    "UPDATE screenings SET computed_level = ?, flags = ? WHERE id = ?",
                    (computed_level, seal_json(list(flags)), sid),
                )
                self._event(conn, sid, seq, who, "result", old=old, new=new, reason=reason, amendment=True)

    def record_worked_out(
        self,
        row: ChronologyRow,
        computed_level: str | None,
        flags: Sequence[str],
        levels: Sequence[tuple[str, str]],
    ) -> None:
        """Keep what was worked out for a screening stored before v6, so it is done only once.

        The computed level and fired rules become a ``result`` event by ``cse-screen`` (so the
        trail still rebuilds the state); the questionnaire's levels fill its ``levels``. Only
        when the screening has not changed since ``row`` was read (another program may be
        amending it), and never its "last changed" time: nobody changed the record. Best
        effort: a read-only or busy store simply works them out again next time.
        """
        from cse_screen.store.database import _ts, utcnow

        try:
            with self._tx() as conn:
                conn.execute(
                    "UPDATE questionnaires SET levels = ? WHERE sha256 = ? AND levels IS NULL",
                    (json.dumps([list(x) for x in levels]), row.questionnaire),
                )
                if row.flags is not None or row.status != "completed" or self._dialect.name != "sqlite":
                    # In team mode the trail is written only by the record's owner (row security):
                    # a DSL's chronology evaluates such a record again each time instead.
                    return
                body = {"computed_level": computed_level, "flags": list(flags)}
                changed = conn.execute(
                    "UPDATE screenings SET computed_level = ?, flags = ?, seq = seq + 1"
                    " WHERE id = ? AND seq = ? AND flags IS NULL AND status = 'completed'",
                    (computed_level, seal_json(list(flags)), row.id, row.seq),
                ).rowcount
                if changed:
                    # Not through _event: that would move the record's "last changed" time. Summed
                    # here, as every event is (it is never updated, so never summed at commit).
                    at = _ts(utcnow())
                    new, why = seal_json(body), seal(WORKED_OUT_REASON)
                    event = (row.id, row.seq + 1, at, "cse-screen", "result", None, None, new, why, 0)
                    conn.execute(
                        "INSERT INTO events (screening_id, seq, at, who, kind, question_id, old, new, reason,"
                        " amendment, rowsum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*event, row_sum("events", event)),
                    )
        except StoreError:
            pass  # read-only, busy or full: worked out again next time, nothing lost

    def record_decision(self, sid: str, decision: Decision, who: str) -> Decision:
        """Add a decision (its ``seq``/``recorded_*`` are filled in here) and return it as stored.

        A decision with a ``next_review`` date becomes the screening's review date.

        Raises:
            RecordLocked: the screening is a draft. NotFound, StoreLocked, StoreUnavailable.
        """
        from cse_screen.store.database import check_text_length, utcnow

        for what, text in (
            ("the reasons", decision.reasons),
            ("the referral reference", decision.referral_ref),
            ("the reason the parents or carers were not told", decision.not_told_reason),
            ("the outcome", decision.other),
        ):
            check_text_length(what, text)
        now = utcnow()
        with self._tx() as conn:
            seq = self._completed(conn, sid, "record the decision")
            stored = dataclasses.replace(decision, seq=seq, recorded_at=now, recorded_by=who)
            body = stored.body()
            at = self._event(conn, sid, seq, who, "decision", new=body, at=now)
            # The time the event was recorded at: ours locally, the server's in team mode.
            stored = dataclasses.replace(stored, recorded_at=dt.datetime.fromisoformat(at))
            conn.execute(
                "INSERT INTO decisions (screening_id, seq, at, who, body) VALUES (?, ?, ?, ?, ?)",
                (sid, seq, at, who, seal_json(body)),
            )
            if stored.next_review is not None:
                conn.execute(
                    "UPDATE screenings SET review_due = ? WHERE id = ?", (stored.next_review.isoformat(), sid)
                )
        return stored

    def set_review(self, sid: str, due: dt.date | None, who: str, reason: str) -> None:
        """Set (or clear) the next review date by hand, with a reason."""
        from cse_screen.store.database import check_text_length

        check_text_length("the reason", reason)
        with self._tx() as conn:
            seq = self._completed(conn, sid, "set its review date")
            new = None if due is None else due.isoformat()
            conn.execute("UPDATE screenings SET review_due = ? WHERE id = ?", (new, sid))
            self._event(conn, sid, seq, who, "review", new={"review_due": new}, reason=reason)

    def link_follow_up(self, sid: str, earlier: str, who: str) -> None:
        """Mark draft ``sid`` as the re-screening of ``earlier`` (same child, from a due review).

        Once ``sid`` is completed, ``earlier`` no longer shows as due.
        """
        with self._tx() as conn:
            status, seq = self._row(conn, sid)
            self._row(conn, earlier)
            self._check_lease(conn, sid)
            if status != "draft":
                raise RecordLocked(f"screening {sid} is already completed")
            conn.execute("UPDATE screenings SET follows = ? WHERE id = ?", (earlier, sid))
            self._event(conn, sid, seq + 1, who, "review", new={"follows": earlier})

    # ------------------------------------------------------------------ reads

    def decisions(self, sid: str) -> builtins.list[Decision]:
        """The DSL's decisions on a screening, oldest first."""
        with self._decoding():
            rows = self._read(
                "SELECT seq, at, who, body FROM decisions WHERE screening_id = ? ORDER BY seq", (sid,)
            )
            self._check_rows("decisions", "screening_id", [sid])
            return [
                Decision.from_body(seq, dt.datetime.fromisoformat(at), who, unseal_json(body))
                for seq, at, who, body in rows
            ]

    def followup(self, sid: str) -> FollowUpState:
        """Level, review date, link, decisions and amendment count as stored now."""
        rows = self._read(
            "SELECT status, level, review_due, follows, computed_level, flags FROM screenings WHERE id = ?",
            (sid,),
        )
        if not rows or rows[0][0] == "deleted":
            raise NotFound(f"screening {sid}: not found — see `cse-screen list` for the ids")
        _status, level, review, follows, computed, flags = rows[0]
        with self._decoding():
            self._check_rows("screenings", "id", [sid])
        amendments = self._read(
            "SELECT count(*) FROM events WHERE screening_id = ? AND amendment = 1"
            " AND kind IN ('answer', 'judgement', 'meta')",
            (sid,),
        )[0][0]
        with self._decoding():
            return FollowUpState(
                level,
                date_or_none(review),
                follows,
                tuple(self.decisions(sid)),
                amendments,
                computed,
                None if flags is None else tuple(unseal_json(flags)),
            )

    def due(self, until: dt.date) -> builtins.list[DueReview]:
        """Completed screenings with a review date on or before ``until``, most urgent first.

        A screening whose re-screening (``follows``) has been completed is not due any more:
        completing the re-screening cleared its date (a ``review`` event on it).
        """
        rows = self._read(
            "SELECT s.id, s.meta, s.level, s.completed_at, s.review_due, q.qid"
            " FROM screenings AS s JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
            " WHERE s.review_due IS NOT NULL AND s.review_due <= ? AND s.status = 'completed'"
            " ORDER BY s.review_due, s.completed_at",
            (until.isoformat(),),
        )
        with self._decoding():
            self._check_rows("screenings", "id", (row[0] for row in rows))
            return [
                DueReview(
                    id=sid,
                    child_ref=str((unseal_json(meta) or {}).get("child_ref", "")),
                    level=level,
                    completed_at=None if completed is None else dt.datetime.fromisoformat(completed),
                    review_due=dt.date.fromisoformat(review),
                    questionnaire_id=qid,
                )
                for sid, meta, level, completed, review, qid in rows
            ]

    def chronology_rows(self, child_ref: str) -> builtins.list[ChronologyRow]:
        """Every screening of one child (exact, case-insensitive reference), oldest first.

        One query, no questionnaire parsed and no screening opened: what ``cse-screen child``
        needs to stay quick on a large store.
        """
        key = child_key(child_ref)
        if key is None:
            return []
        rows = self._read(
            "SELECT s.id, s.screening_date, s.status, s.level, s.computed_level, s.flags,"
            " q.levels, q.sha256, s.seq"
            " FROM screenings AS s JOIN questionnaires AS q ON q.sha256 = s.questionnaire"
            " WHERE s.child_key = ? AND s.status != 'deleted' ORDER BY s.screening_date, s.created_at",
            (key,),
        )
        with self._decoding():
            # Checked like every row a command shows: a flipped bit is damage, not another level.
            self._check_rows("screenings", "id", (r[0] for r in rows))
            self._check_rows("questionnaires")
            return [
                ChronologyRow(
                    id=sid,
                    date=dt.date.fromisoformat(day),
                    status=status,
                    level=level,
                    computed_level=computed,
                    flags=None if flags is None else tuple(unseal_json(flags)),
                    levels=None if levels is None else tuple((str(a), str(b)) for a, b in json.loads(levels)),
                    questionnaire=sha,
                    seq=seq,
                )
                for sid, day, status, level, computed, flags, levels, sha, seq in rows
            ]

    def follow_ups(self, sid: str) -> builtins.list[str]:
        """Ids of the re-screenings started from this screening."""
        return [
            str(r[0])
            for r in self._read(
                "SELECT id FROM screenings WHERE follows = ? AND status != 'deleted' ORDER BY created_at",
                (sid,),
            )
        ]

    def child_refs(self) -> builtins.list[str]:
        """Every distinct child reference in the store (for suggesting similar ones; unseals each)."""
        seen: dict[str, str] = {}
        with self._decoding():
            for (meta,) in self._read("SELECT meta FROM screenings WHERE status != 'deleted'"):
                ref = str((unseal_json(meta) or {}).get("child_ref", "")).strip()
                if ref:
                    seen.setdefault(ref.casefold(), ref)
        return sorted(seen.values())


class _Decoding(AbstractContextManager[None]):
    """A row that cannot be decoded is damage, reported with the store's one message."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None and issubclass(exc_type, _DECODE_ERRORS):
            from cse_screen.store.database import _corrupt

            raise _corrupt(self.path, "a saved record cannot be read") from None
