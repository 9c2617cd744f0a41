"""Autosave for the wizard: every change is committed at once, and never lost on a disk fault.

When the disk is full, read-only, failing or busy, the change stays in memory (in order),
:attr:`Autosaver.last_error` says so in plain words, and :meth:`Autosaver.retry` (the TUI
calls it on a timer while :attr:`Autosaver.pending` is non-zero, and before quitting)
saves everything once the fault is gone. Nothing here raises on I/O faults.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from cse_screen.store.database import _UNSET, Store
from cse_screen.store.errors import StoreError, StoreLocked, StoreUnavailable

if TYPE_CHECKING:  # annotations only: keeps `import cse_screen.store` free of pydantic
    from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, ScreeningMeta


class Autosaver:
    """Saves one screening's changes through a :class:`Store`, keeping them in memory on faults."""

    def __init__(self, store: Store, sid: str, who: str, *, claim: bool = True) -> None:
        """Wrap a store for one screening.

        Args:
            store: the open store.
            sid: the screening being edited.
            who: the practitioner, for the audit trail.
            claim: take the single-writer lease now.

        Raises:
            StoreLocked: another running program has this screening open.
            NotFound: no such screening.
        """
        self.store = store
        self.sid = sid
        self.who = who
        self._queue: deque[tuple[str, Callable[[], None]]] = deque()
        self.last_error: str | None = None
        self.refused = 0
        """Changes the store refused for good (e.g. a completed, locked record)."""
        """A plain message for the UI while something is not saved, else None."""
        if claim:
            try:
                store.claim(sid)
            except StoreUnavailable as exc:
                self._note(exc)

    @property
    def pending(self) -> int:
        """How many changes are kept in memory, not yet saved."""
        return len(self._queue)

    def _note(self, exc: StoreUnavailable | StoreLocked) -> None:
        if isinstance(exc, StoreLocked):
            self.last_error = (
                "Not saved: this screening was opened in another window — your answers are kept here."
            )
        else:
            reason = getattr(exc, "reason", "the disk could not be written")
            self.last_error = f"Not saved: {reason} — your answers are kept here and saving will retry."

    def _push(self, kind: str, op: Callable[[], None]) -> bool:
        # A newer resume position replaces a queued one: only the latest matters.
        if kind == "position" and self._queue and self._queue[-1][0] == "position":
            self._queue.pop()
        self._queue.append((kind, op))
        return self.retry()

    def retry(self) -> bool:
        """Save every change kept in memory, in order.

        Returns:
            True when nothing is pending any more.
        """
        refused = False
        while self._queue:
            _kind, op = self._queue[0]
            try:
                op()
            except (StoreUnavailable, StoreLocked) as exc:  # may pass later: keep it, in order
                self._note(exc)
                return False
            except StoreError as exc:
                # Can never pass however often we retry (record completed, deleted or damaged):
                # keeping it at the head would stop every later change from being saved.
                self.refused += 1
                self.last_error = f"Not saved: {exc} — your answers are kept on screen."
                refused = True
            self._queue.popleft()
        if not refused:
            self.last_error = None
        return not refused

    def save_answer(
        self, question_id: str, answer: Answer | None, reason: str | None = None, *, position: Any = _UNSET
    ) -> bool:
        """Save an answer (and, if given, the resume position in the same commit)."""
        return self._push(
            "answer",
            lambda: self.store.record_answer(
                self.sid, question_id, answer, self.who, reason, position=position
            ),
        )

    def save_judgement(self, judgement: Judgement | None, reason: str | None = None) -> bool:
        """Save (or clear) the professional judgement."""
        return self._push(
            "judgement", lambda: self.store.set_judgement(self.sid, judgement, self.who, reason)
        )

    def save_meta(self, meta: ScreeningMeta, reason: str | None = None) -> bool:
        """Save the screening details."""
        return self._push("meta", lambda: self.store.set_meta(self.sid, meta, self.who, reason))

    def save_position(self, question_id: str | None) -> bool:
        """Save where to resume."""
        return self._push("position", lambda: self.store.set_position(self.sid, question_id))

    def acknowledge(self, ack: DangerAcknowledgement) -> bool:
        """Save the immediate-danger acknowledgement."""
        return self._push("ack", lambda: self.store.acknowledge_danger(self.sid, ack, self.who))

    def heartbeat(self) -> bool:
        """Keep the single-writer lease alive (call every ~30 s); False on a fault or takeover."""
        try:
            self.store.heartbeat(self.sid)
        except (StoreUnavailable, StoreLocked) as exc:
            self._note(exc)
            return False
        return True

    def close(self) -> bool:
        """Save what is pending and release the lease. Returns False if something is still unsaved."""
        saved = self.retry()
        if saved:
            with suppress(StoreUnavailable):
                self.store.release(self.sid)
        return saved
