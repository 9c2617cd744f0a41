"""The session's link to the record store: create or open a draft, autosave, report state.

Both front ends use it (the wizard in the background, plain mode directly). The store is
imported where it is opened, on the writer thread when there is one, so the first screen
never waits for it; when the store cannot be opened the screening still runs, clearly
marked "not saved".

With ``background=True`` (the full-screen wizard) every change is committed by one writer
thread (:mod:`cse_screen.session.writer`), in the order the changes were made, so a key
press never waits for the disk. The state line then says "Saving…" until the commit has
landed: nothing is ever reported as saved before it is. Plain mode leaves ``background``
off and saves before each prompt.

Why this module is long: :class:`SaveLink` is one cohesive class: every method goes through
the same writer thread, lease and "saved" state, so splitting it would spread one set of
rules over two places.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from cse_screen.errors import UserError
from cse_screen.paths import data_dir as resolve_data_dir
from cse_screen.session.typed import TypedText
from cse_screen.session.writer import Change, OrderedWriter

if TYPE_CHECKING:
    # Annotations only: the wizard's start screen imports this module before pydantic.
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.scoring.result import Result
    from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, Screening, ScreeningMeta
    from cse_screen.store import Autosaver, Store
    from cse_screen.store.crypt import PassphraseSource
    from cse_screen.store.models import DueReview, HistoryEntry, ScreeningSummary

FLUSH_TIMEOUT = 30.0
"""Seconds to wait for queued saves before quitting (a busy disk can take a while)."""


class _Tracking:
    """A :class:`cse_screen.session.Saver` that notes each change before passing it on."""

    def __init__(self, link: SaveLink) -> None:
        self._link = link

    def save_answer(self, question_id: str, answer: Answer | None) -> None:
        """Queue one answer for the autosaver."""
        self._link.changes += 1
        self._link.submit("answer", lambda saver: saver.save_answer(question_id, answer))

    def save_judgement(self, judgement: Judgement | None) -> None:
        """Queue the judgement."""
        self._link.changes += 1
        self._link.submit("judgement", lambda saver: saver.save_judgement(judgement))

    def save_meta(self, meta: ScreeningMeta) -> None:
        """Queue the details."""
        self._link.changes += 1
        self._link.submit("meta", lambda saver: saver.save_meta(meta))

    def save_position(self, question_id: str | None) -> None:
        """Queue where to resume."""
        # Where to resume is a convenience, not work that could be lost: not counted.
        self._link.submit("position", lambda saver: saver.save_position(question_id))

    def acknowledge(self, ack: DangerAcknowledgement) -> None:
        """Queue a danger acknowledgement."""
        self._link.changes += 1
        self._link.submit("ack", lambda saver: saver.acknowledge(ack))


class SaveLink:
    """Owns the store, the record id and the autosaver for one wizard run.

    Args:
        data_dir: Where records live (None: the default data folder).
        enabled: False runs without a store (nothing is saved; quitting asks first).
        background: Commit on a writer thread so the UI never waits for the disk; the
            store is then also opened and the draft created on that thread. The writer
            starts paused (changes queue up in order) until :meth:`start_writing`, so
            opening the store does not compete with drawing the first screen.
        landed: With ``background``, called from the writer thread whenever every queued
            change has been handled (must be thread-safe).
        passphrase: Where the store's passphrase comes from (see :mod:`cse_screen.passphrase`).
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None,
        *,
        enabled: bool = True,
        background: bool = False,
        landed: Callable[[], None] | None = None,
        passphrase: PassphraseSource | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.enabled = enabled
        self.passphrase = passphrase
        """Asks for the store's passphrase (None: ``$CSE_SCREEN_PASSPHRASE_FILE``); the wizard
        sets it from its unlock screen before the writer opens the store."""
        self.store: Store | None = None
        self.autosaver: Autosaver | None = None
        self.record_id: str | None = None
        self.error: str | None = None
        self.changes = 0
        self.saver = _Tracking(self)
        self.follows: str | None = None
        """Set before :meth:`create` for a re-screening from a due review: the earlier screening's id."""
        self._loaded: LoadedQuestionnaire | None = None
        self.typing = TypedText()
        """Text typed in a box and not yet handed to the session (it counts as unsaved)."""
        self.snapshot: Callable[[], tuple[LoadedQuestionnaire, Screening]] | None = None
        """What is on screen now (set by the front end): kept as a new draft if the lease is lost."""
        self.on_moved: Callable[[str | None, str], None] | None = None
        """Called (old id, new id) after a lost lease moved this run to a new draft; may be
        called from a background thread, so the front end hands it to its own."""
        self._writer = OrderedWriter(landed, paused=True) if background and enabled else None
        # The writer thread may be opening the store while the UI asks for drafts.
        self._open_lock = threading.Lock()

    # ------------------------------------------------------------------ writing

    def submit(self, kind: Change, change: Callable[[Autosaver], object]) -> None:
        """Hand one change to the autosaver (on the writer thread when in the background)."""

        def op() -> None:
            if self.autosaver is not None:
                change(self.autosaver)

        if self._writer is None:
            op()
        else:
            self._writer.submit(kind, op)

    def start_writing(self) -> None:
        """Let the writer thread run what is queued (call once the first screen is up)."""
        if self._writer is not None:
            self._writer.resume()

    def hold_writes(self) -> None:
        """Let changes queue (in order, shown as "Saving…") until :meth:`release_writes`.

        For the moment a front end draws what a key led to; :meth:`flush` releases too.
        """
        if self._writer is not None:
            self._writer.hold()

    def release_writes(self) -> None:
        """Commit what queued while held (a no-op when nothing is held)."""
        if self._writer is not None:
            self._writer.release()

    def flush(self, timeout: float | None = FLUSH_TIMEOUT) -> bool:
        """Wait for queued changes to be handled; False when ``timeout`` ran out first."""
        return True if self._writer is None else self._writer.flush(timeout)

    def in_flight(self) -> int:
        """Changes handed to the writer thread and not yet handled."""
        return 0 if self._writer is None else self._writer.in_flight

    def _open(self) -> Store | None:
        with self._open_lock:
            if self.store is None and self.enabled and self.error is None:
                # Imported here, on the writer thread in the wizard: SQLite and the store's
                # models are not needed to draw the first screen.
                from cse_screen.store import Store

                try:
                    self.store = Store.open(self.data_dir, passphrase=self.passphrase)
                except UserError as exc:
                    self.error = str(exc)
            return self.store

    def _attach(self, store: Store, record_id: str, who: str) -> None:
        from cse_screen.store import Autosaver  # already loaded by _open; see there

        self.autosaver = Autosaver(store, record_id, who, on_lease_lost=self._lease_lost)
        self.record_id = record_id

    def _lease_lost(self) -> None:
        """Another program took this screening over: keep everything here as a new draft.

        Called once, from the store's lease thread. Nothing the other program saved is
        overwritten and nothing typed here is lost: the whole screening on screen becomes a
        new draft and this run carries on with it (the front end says so at once). If the
        disk refuses, the changes stay in memory and the state line says why.
        """

        def op() -> None:
            autosaver, snapshot = self.autosaver, self.snapshot
            if autosaver is None or snapshot is None:
                return
            old = self.record_id
            try:
                new = autosaver.save_as_new(*snapshot())
            except UserError:
                return  # still lost: status_text shows the lease message, quit warns
            self.record_id = new
            if self.on_moved is not None:
                with contextlib.suppress(Exception):  # the front end may be closing
                    self.on_moved(old, new)

        if self._writer is None:
            op()
        else:
            self._writer.submit("create", op)

    def create(self, loaded: LoadedQuestionnaire, meta: ScreeningMeta) -> None:
        """Create a draft record for a new screening (no-op without a store).

        In the background the store is opened on the writer thread, before any change
        made after this call, so the first question shows without waiting for the disk.
        """

        def op() -> None:
            store = self._open()
            if store is None:
                return
            who = meta.practitioner or "unknown"
            self._loaded = loaded
            try:
                self._attach(store, store.create(loaded, meta, who), who)
                if self.follows is not None and self.record_id is not None:
                    store.link_follow_up(self.record_id, self.follows, who)
            except UserError as exc:
                self.error = str(exc)
                self.autosaver = None

        if not self.enabled:
            return
        if self._writer is None:
            op()
        else:
            self._writer.submit("create", op)

    def open_draft(self, record_id: str) -> tuple[LoadedQuestionnaire, Screening, str | None] | None:
        """Open a draft to continue: its questionnaire, screening and resume position.

        ``record_id`` may be a unique start of the id, as for ``show`` and ``delete``.
        """
        store = self._open()
        if store is None:
            return None
        try:
            record_id = store.resolve(record_id)
            stored = store.load(record_id)
        except UserError as exc:
            self.error = str(exc)
            return None
        if stored.status != "draft":
            self.error = (
                f"record {record_id}: it is completed and locked — open it with `cse-screen show`, "
                f"or change it with `cse-screen amend {record_id}`"
            )
            return None
        from cse_screen.errors import InvalidAnswer
        from cse_screen.scoring.compiled import compiled_form
        from cse_screen.scoring.visibility import effective_answers

        q = stored.loaded.questionnaire
        try:  # a stored answer that no longer fits: say so before the wizard opens on it
            effective_answers(q, compiled_form(q), stored.screening)
        except InvalidAnswer as exc:
            from cse_screen.session.unreadable import unreadable_answer

            self.error = str(unreadable_answer(record_id, exc))
            return None
        self._loaded = stored.loaded
        try:
            self._attach(store, record_id, stored.screening.meta.practitioner or "unknown")
        except UserError as exc:  # e.g. the draft is open in another window
            self.error = str(exc)
            return None
        return stored.loaded, stored.screening, stored.position

    def due_reviews(self, today: dt.date, within_days: int = 14) -> list[DueReview]:
        """Reviews due by ``within_days`` from ``today``, most urgent first; empty without a store."""
        store = self._open()
        if store is None:
            return []
        try:
            return store.due(today + dt.timedelta(days=within_days))
        except UserError:
            return []

    def drafts(self) -> list[ScreeningSummary]:
        """Drafts to resume (newest first as the store lists them); empty without a store."""
        store = self._open()
        if store is None:
            return []
        try:
            return list(store.list(status="draft"))
        except UserError:
            return []

    def history(self, child_ref: str) -> list[HistoryEntry]:
        """Earlier screenings of the same child (for the trend on the result screen)."""
        store = self._open()
        if store is None or not child_ref:
            return []
        try:
            return [h for h in store.history(child_ref) if h.id != self.record_id]
        except UserError:
            return []

    def complete(self, result: Result, *, reason: str | None = None) -> str | None:
        """Complete and lock the record; returns an error message or None.

        Args:
            result: The result as shown (final and computed level, fired rules: kept for the chronology).
            reason: Why a result marked incomplete is completed anyway (kept in the audit).
        """
        self.flush()
        if self.store is None or self.record_id is None:
            return self.status_text()
        if not self.retry():
            return self.status_text()
        try:
            from cse_screen.session.after import review_after_completing

            due = review_after_completing(self._loaded, result.level)
            self.store.complete(
                self.record_id,
                self._who(),
                result.level,
                reason,
                review_due=due,
                computed_level=result.computed_level,
                flags=result.fired_ids(),
            )
        except UserError as exc:
            return str(exc)
        self.close()
        return None

    def record_export(self, fmt: str, path: str, shared_with: str, basis: str = "") -> None:
        """Note in the record that a report was exported, to whom and on what basis (best effort)."""
        self.flush()
        if self.store is not None and self.record_id is not None:
            with contextlib.suppress(UserError):
                self.store.record_export(self.record_id, fmt, path, shared_with, self._who(), basis=basis)

    def _who(self) -> str:
        return (self.autosaver.who if self.autosaver is not None else "") or "unknown"

    def pending(self) -> int:
        """Changes kept in memory because the disk refused them."""
        return 0 if self.autosaver is None else self.autosaver.pending

    def retry(self) -> bool:
        """Try to write pending changes again; True when nothing is pending."""
        self.flush()
        if self.autosaver is None:
            return self.changes == 0
        if self.pending():
            return bool(self.autosaver.retry())
        return True

    def all_saved(self) -> bool:
        """True when quitting now would lose nothing (changes still being written count as unsaved)."""
        if self.typing.unsaved() or self.in_flight():
            return False
        if self.autosaver is None:
            return self.changes == 0
        return self.pending() == 0 and not self.autosaver.lease_lost

    def status_text(self) -> str:
        """A short, content-free line for the save indicator ("Saved." only once committed)."""
        typing = self.typing.status()
        if typing is not None and self.enabled and (self.autosaver is not None or self.error is None):
            return typing
        busy = self.in_flight() > 0
        if self.autosaver is None:
            if busy and self.error is None:
                return "Saving…"
            why = self.error or "no records store"
            return f"Not saved: {why}."
        if self.autosaver.lease_lost or self.pending():
            last = self.autosaver.last_error
            return last or "Not saved: the disk refused the change — retrying."
        return "Saving…" if busy else "Saved."

    def tick(self) -> None:
        """Called on a timer: retry pending changes and keep the record's lease alive."""

        def op() -> None:
            if self.autosaver is None:
                return
            if self.autosaver.pending:
                self.autosaver.retry()
            else:
                self.autosaver.heartbeat()

        if self._writer is None:
            op()
        elif not self._writer.in_flight:  # a busy writer is already touching the record
            self._writer.submit("tick", op)

    def close(self) -> None:
        """Save what is pending and release the record (on quit)."""
        self.flush()
        if self.autosaver is not None:
            self.autosaver.close()

    def store_notices(self) -> list[str]:
        """What the store warned about when it was opened, as sentences; each once per program.

        Today that is a last change SQLite had to drop after a crash. Never content; the
        front end shows them where they stay readable (plain mode prints them, the wizard
        keeps a notice up).
        """
        if "cse_screen.store.notices" not in sys.modules:
            return []  # no store has been opened in this program yet
        from cse_screen.store.notices import unsaid

        return [f"{notice[:1].upper()}{notice[1:]}." for _, notice in unsaid()]

    def where_text(self) -> str:
        """Where the draft is, for the crash message (never any content)."""
        if self.record_id is None:
            return "Nothing was saved."
        store = self.store
        if store is not None and store.backend == "postgresql":
            where: object = f"the team database ({store.path})"  # its target, never a password
        else:
            where = resolve_data_dir(self.data_dir, create=False)
        return (
            f"Your draft {self.record_id} is kept in {where}; "
            f"reopen it with `cse-screen resume {self.record_id}`."
        )
