"""Autosave for the wizard: every change is committed at once, and never lost on a disk fault.

When the disk is full, read-only, failing or busy, the change stays in memory (in order),
:attr:`Autosaver.last_error` says so in plain words, and :meth:`Autosaver.retry` (the TUI
calls it on a timer while :attr:`Autosaver.pending` is non-zero, and before quitting)
saves everything once the fault is gone. Nothing here raises on I/O faults.

The single-writer lease is kept alive here, for every front end: a background thread
renews it every :data:`LEASE_RENEW_EVERY` seconds while the screening is open, so a
person who pauses at a prompt (a screen-reader user, someone talking with a child) never
loses it to a stale-lease takeover. If another program takes the screening over anyway,
:attr:`Autosaver.lease_lost` becomes True at once, ``on_lease_lost`` is called (from the
renewal thread: a front end hands it to its own thread), saving stops and every later
change is kept in memory. The front end then offers :meth:`Autosaver.save_as_new` (a new
draft holding everything on screen) or :meth:`Autosaver.take_back` (once the other program
has let go).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Final

from cse_screen.store.database import _UNSET, LEASE_TTL, Store
from cse_screen.store.errors import LeaseLost, StoreError, StoreLocked, StoreUnavailable

if TYPE_CHECKING:  # annotations only: keeps `import cse_screen.store` free of pydantic
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, Screening, ScreeningMeta

LEASE_RENEW_EVERY: Final = LEASE_TTL.total_seconds() / 4
"""Seconds between lease renewals: four chances before the lease would look stale."""

LEASE_LOST_MESSAGE: Final = (
    "Not saved: this screening was opened in another window, so this one stopped saving it. "
    "Your answers are kept here — save them as a new draft, or take the screening back once the "
    "other window is closed."
)


class Autosaver:
    """Saves one screening's changes through a :class:`Store`, keeping them in memory on faults."""

    def __init__(
        self,
        store: Store,
        sid: str,
        who: str,
        *,
        claim: bool = True,
        on_lease_lost: Callable[[], None] | None = None,
        renew_every: float | None = LEASE_RENEW_EVERY,
    ) -> None:
        """Wrap a store for one screening.

        Args:
            store: the open store.
            sid: the screening being edited.
            who: the practitioner, for the audit trail.
            claim: take the single-writer lease now.
            on_lease_lost: called once when another program takes the screening over
                (from the renewal thread or whichever thread noticed).
            renew_every: seconds between lease renewals on a background thread (None: the
                caller calls :meth:`heartbeat` itself).

        Raises:
            StoreLocked: another running program has this screening open.
            NotFound: no such screening.
        """
        self.store = store
        self.sid = sid
        self.who = who
        self._queue: deque[tuple[str, Callable[[], None]]] = deque()
        self.last_error: str | None = None
        """A plain message for the UI while something is not saved, else None."""
        self.refused = 0
        """Changes the store refused for good (e.g. a completed, locked record)."""
        self.lease_lost = False
        """True once another program has taken this screening over: nothing more is saved
        to it until :meth:`take_back` or :meth:`save_as_new`."""
        self.on_lease_lost = on_lease_lost
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._keeper: threading.Thread | None = None
        self._renew_every = renew_every
        if claim:
            try:
                store.claim(sid)
            except StoreUnavailable as exc:
                self._note(exc)
        if renew_every is not None:
            self._keeper = threading.Thread(
                target=self._keep, args=(renew_every,), name="cse-screen-lease", daemon=True
            )
            self._keeper.start()

    def _keep(self, every: float) -> None:
        # Renew until closed or lost; a disk fault just waits for the next turn.
        while not self._stop.wait(every):
            try:
                if not self.heartbeat() and self.lease_lost:
                    return
            except Exception:  # noqa: BLE001 - the store was closed under us (quit): stop quietly
                return

    def _lose(self) -> None:
        first = not self.lease_lost
        self.lease_lost = True
        self.last_error = LEASE_LOST_MESSAGE
        if first and self.on_lease_lost is not None:
            with suppress(Exception):  # a front end's callback must not stop the keeper
                self.on_lease_lost()

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
        with self._lock:
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
        with self._lock:
            return self._retry()

    def _retry(self) -> bool:
        if self.lease_lost:
            return not self._queue
        refused = False
        while self._queue:
            _kind, op = self._queue[0]
            try:
                op()
            except LeaseLost:
                self._lose()
                return False
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
        """Renew the single-writer lease now; False on a fault or when it was lost.

        The renewal thread calls this; a front end need not, but may (e.g. on a timer).
        """
        with self._lock:
            if self.lease_lost or self._stop.is_set():
                # Closed: the record was let go (completed, or the program is quitting). Renewing
                # would claim it again and lock out an amendment or a decision on it.
                return False
            try:
                self.store.heartbeat(self.sid)
            except LeaseLost:
                self._lose()
                return False
            except (StoreUnavailable, StoreLocked) as exc:
                self._note(exc)
                return False
            return True

    def take_back(self) -> bool:
        """After a lost lease: claim the screening again and save what is kept here.

        Returns:
            True when the screening is ours again and everything is saved; False when the
            other program still holds it (nothing changes) or the disk refused.
        """
        with self._lock:
            try:
                self.store.take_back(self.sid)
            except (StoreUnavailable, StoreLocked) as exc:
                if not self.lease_lost:
                    self._note(exc)
                return False
            self.lease_lost = False
            self.last_error = None
            saved = self._retry()
        self._restart_keeper()
        return saved

    def save_as_new(self, loaded: LoadedQuestionnaire, screening: Screening) -> str:
        """Save everything on screen as a new draft and carry on with that one.

        For a lost lease: nothing the other program saved is overwritten, and nothing typed
        here is lost. The new draft's audit trail starts afresh (who, when).

        Returns:
            The new draft's id.

        Raises:
            StoreError: the disk refused (the changes stay kept here; try again).
        """
        with self._lock:
            sid = self.store.create(loaded, screening.meta, self.who)
            for question_id, answer in screening.answers.items():
                self.store.record_answer(sid, question_id, answer, self.who)
            if screening.judgement is not None:
                self.store.set_judgement(sid, screening.judgement, self.who)
            for ack in screening.danger_acknowledgements:
                self.store.acknowledge_danger(sid, ack, self.who)
            self.store.claim(sid)
            self.sid = sid
            self._queue.clear()  # everything queued is in the screening just saved
            self.lease_lost = False
            self.last_error = None
        self._restart_keeper()
        return sid

    def _restart_keeper(self) -> None:
        keeper = self._keeper
        if keeper is not None and not keeper.is_alive() and not self._stop.is_set():
            self._keeper = threading.Thread(
                target=self._keep, args=(self._renew_every,), name="cse-screen-lease", daemon=True
            )
            self._keeper.start()

    def close(self) -> bool:
        """Save what is pending and release the lease. Returns False if something is still unsaved.

        After a lost lease nothing is released (the lease is not ours) and False is returned
        while changes are kept here.
        """
        self._stop.set()
        with self._lock:
            saved = self._retry()
            if saved and not self.lease_lost:
                with suppress(StoreUnavailable, StoreLocked):
                    self.store.release(self.sid)
            return saved
