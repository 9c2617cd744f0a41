"""One writer thread that commits the session's changes in the order they were made.

The full-screen wizard hands every change to :class:`OrderedWriter` so a key press never
waits for the disk (:class:`cse_screen.session.saving.SaveLink` with ``background=True``).
Consecutive position updates are coalesced; nothing else is ever skipped or reordered.

A front end can also *hold* the writer for a moment (:meth:`OrderedWriter.hold`): changes
queue up in order and are run on :meth:`OrderedWriter.release`. The wizard holds it while it
draws the page a key press led to: a writer thread woken in the middle of that frame takes
the interpreter lock from it (measured: the next question appeared about 3 ms later, with
the same work done).
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from typing import Literal

Change = Literal["answer", "judgement", "meta", "position", "ack", "create", "tick"]
"""What a queued operation does (positions in a row are coalesced by the writer)."""


class OrderedWriter:
    """One daemon thread that runs save operations in the order they were submitted.

    Args:
        landed: Called (on the writer thread) each time the queue becomes empty, so the UI
            can update its state line; it must be thread-safe (e.g. ``post_message``).
    """

    def __init__(self, landed: Callable[[], None] | None, *, paused: bool = False) -> None:
        self._landed_callback = landed
        self._ops: deque[tuple[Change, Callable[[], None]]] = deque()
        self._cond = threading.Condition()
        self._submitted = 0
        self._done = 0
        self._paused = paused
        self._held = False
        self._thread = threading.Thread(target=self._run, name="cse-screen-autosave", daemon=True)
        self._thread.start()

    def resume(self) -> None:
        """Start running queued operations (a paused writer only queues them)."""
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def hold(self) -> None:
        """Let newly queued operations wait until :meth:`release` (or :meth:`flush`).

        An operation already running finishes. Nothing is dropped or reordered: held
        operations count as in flight, so the save line keeps saying "Saving…".
        """
        with self._cond:
            self._held = True

    def release(self) -> None:
        """Run what was queued while held (a no-op when not held)."""
        with self._cond:
            if self._held:
                self._held = False
                self._cond.notify_all()

    @property
    def in_flight(self) -> int:
        """Operations submitted but not yet finished."""
        with self._cond:
            return self._submitted - self._done

    def submit(self, kind: Change, op: Callable[[], None]) -> None:
        """Queue one operation (run after every operation queued before it)."""
        with self._cond:
            self._ops.append((kind, op))
            self._submitted += 1
            if not self._held:  # a held writer is woken by release: waking it now costs the UI
                self._cond.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued operation has run (resuming a paused or held writer first).

        Returns:
            False when ``timeout`` ran out first.
        """
        with self._cond:
            self._paused = self._held = False
            self._cond.notify_all()
            return self._cond.wait_for(lambda: self._done == self._submitted, timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: bool(self._ops) and not (self._paused or self._held))
                kind, op = self._ops.popleft()
                # A position immediately followed by another is pointless: skip that commit.
                # Only then: with answers queued in between, skipping it would leave the saved
                # position several questions behind the saved answers if we are killed before
                # the later position lands (found by the SIGKILL test).
                superseded = kind == "position" and bool(self._ops) and self._ops[0][0] == "position"
            try:
                if not superseded:
                    op()
            except Exception:  # noqa: BLE001 - the autosaver keeps the change; the UI shows "not saved"
                pass
            with self._cond:
                self._done += 1
                idle = self._done == self._submitted
                self._cond.notify_all()
            if idle and self._landed_callback is not None:
                with contextlib.suppress(Exception):  # the app may be closing
                    self._landed_callback()
