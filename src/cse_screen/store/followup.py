"""After the screening: amendments of the level, the DSL's decisions, review dates, links.

A mixin of :class:`cse_screen.store.Store` kept in its own module so that the core
store (open, faults, leases) and this part can change independently. Every write is one
``BEGIN IMMEDIATE`` transaction holding the new state **and** its append-only event, like
every other write; every sensitive value (reasons, decision text, names, referral
references) goes through :mod:`cse_screen.store.codec`.

State kept here, and the events that rebuild it (:func:`replay_followup`):

- ``screenings.level`` after an amendment — ``level`` events (old → new, reason);
- ``decisions`` — ``decision`` events (the whole decision, sealed);
- ``screenings.review_due`` — the ``completed`` event's ``review_due``, each decision's
  ``next_review``, and ``review`` events (a date changed by hand, with a reason; or cleared
  when a re-screening of it was completed, ``{"review_due": null, "reviewed_by": id}``);
- ``screenings.follows`` — a ``review`` event ``{"follows": id}`` on a re-screening.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cse_screen.store.codec import seal_json, unseal_json
from cse_screen.store.errors import NotFound, RecordLocked
from cse_screen.store.models import Decision, DueReview

if TYPE_CHECKING:
    from cse_screen.store.models import Event, EventKind, Status


_DECODE_ERRORS = (ValueError, KeyError, TypeError, IndexError, AttributeError, UnicodeError)


@dataclass(frozen=True, slots=True)
class FollowUpState:
    """What happened to a screening after it was completed (rebuilt by :func:`replay_followup`)."""

    level: str | None
    review_due: dt.date | None
    follows: str | None
    decisions: tuple[Decision, ...]
    amendments: int
    """How many changes were made after completion (each with a reason)."""


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def replay_followup(events: Iterable[Event]) -> FollowUpState:
    """Rebuild level, review date, link, decisions and amendment count from the audit trail."""
    level: str | None = None
    review: dt.date | None = None
    follows: str | None = None
    decisions: list[Decision] = []
    amendments = 0
    for event in sorted(events, key=lambda e: e.seq):
        if event.amendment and event.kind in ("answer", "judgement", "meta"):
            amendments += 1
        if event.kind == "completed":
            level = event.new.get("level")
            review = _date(event.new.get("review_due"))
        elif event.kind == "level":
            level = event.new
        elif event.kind == "decision":
            decision = Decision.from_body(event.seq, event.at, event.who, event.new)
            decisions.append(decision)
            if decision.next_review is not None:
                review = decision.next_review
        elif event.kind == "review":
            if "follows" in event.new:
                follows = event.new["follows"]
            if "review_due" in event.new:
                review = _date(event.new["review_due"])
    return FollowUpState(level, review, follows, tuple(decisions), amendments)


class FollowUp:
    """Store methods for what happens after a screening is completed (mixed into ``Store``)."""

    if TYPE_CHECKING:
        path: Path

        def _tx(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _read(self, sql: str, params: tuple[Any, ...] = ()) -> builtins.list[Any]: ...
        def _row(self, conn: sqlite3.Connection, sid: str) -> tuple[Status, int]: ...
        def _check_lease(self, conn: sqlite3.Connection, sid: str) -> bool: ...
        def _check_rows(self, table: str, column: str | None = None, values: Iterable[Any] = ()) -> None: ...
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
        rows = self._read("SELECT status, level, review_due, follows FROM screenings WHERE id = ?", (sid,))
        if not rows or rows[0][0] == "deleted":
            raise NotFound(f"screening {sid}: not found — see `cse-screen list` for the ids")
        _status, level, review, follows = rows[0]
        with self._decoding():
            self._check_rows("screenings", "id", [sid])
        amendments = self._read(
            "SELECT count(*) FROM events WHERE screening_id = ? AND amendment = 1"
            " AND kind IN ('answer', 'judgement', 'meta')",
            (sid,),
        )[0][0]
        with self._decoding():
            return FollowUpState(level, _date(review), follows, tuple(self.decisions(sid)), amendments)

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
