"""The wizard's link to the record store: create or open a draft, autosave, report state.

Kept free of Textual so it can be tested on its own. The store is imported lazily: the
wizard still runs (clearly marked "not saved") when the store cannot be opened.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from cse_screen.errors import UserError
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, Screening, ScreeningMeta


class _Tracking:
    """A :class:`cse_screen.flow.Saver` that notes each change before passing it on."""

    def __init__(self, link: SaveLink, inner: Any) -> None:
        self._link = link
        self._inner = inner

    def _call(self, name: str, *args: Any) -> None:
        self._link.changes += 1
        if self._inner is not None:
            getattr(self._inner, name)(*args)

    def save_answer(self, question_id: str, answer: Answer | None) -> None:
        self._call("save_answer", question_id, answer)

    def save_judgement(self, judgement: Judgement | None) -> None:
        self._call("save_judgement", judgement)

    def save_meta(self, meta: ScreeningMeta) -> None:
        self._call("save_meta", meta)

    def save_position(self, question_id: str | None) -> None:
        # Where to resume is a convenience, not work that could be lost.
        if self._inner is not None:
            self._inner.save_position(question_id)

    def acknowledge(self, ack: DangerAcknowledgement) -> None:
        self._call("acknowledge", ack)


class SaveLink:
    """Owns the store, the record id and the autosaver for one wizard run.

    Args:
        data_dir: Where records live (None: the default data folder).
        enabled: False runs without a store (nothing is saved; quitting asks first).
    """

    def __init__(self, data_dir: str | os.PathLike[str] | None, *, enabled: bool = True) -> None:
        self.data_dir = data_dir
        self.enabled = enabled
        self.store: Any = None
        self.autosaver: Any = None
        self.record_id: str | None = None
        self.error: str | None = None
        self.changes = 0
        self.saver = _Tracking(self, None)

    def _open(self) -> Any:
        if self.store is None and self.enabled and self.error is None:
            try:
                from cse_screen.store import Store

                self.store = Store.open(self.data_dir)
            except ImportError:
                self.error = "the records store is not available in this version"
            except UserError as exc:
                self.error = str(exc)
        return self.store

    def _attach(self, record_id: str, who: str) -> None:
        from cse_screen.store import Autosaver

        self.record_id = record_id
        self.autosaver = Autosaver(self.store, record_id, who)
        self.saver = _Tracking(self, self.autosaver)

    def create(self, loaded: LoadedQuestionnaire, meta: ScreeningMeta) -> None:
        """Create a draft record for a new screening (no-op without a store)."""
        store = self._open()
        if store is None:
            return
        who = meta.practitioner or "unknown"
        try:
            self._attach(store.create(loaded, meta, who), who)
        except UserError as exc:
            self.error = str(exc)
            self.autosaver = None

    def open_draft(self, record_id: str) -> tuple[LoadedQuestionnaire, Screening, str | None] | None:
        """Open a draft to continue: its questionnaire, screening and resume position."""
        store = self._open()
        if store is None:
            return None
        try:
            stored = store.load(record_id)
        except UserError as exc:
            self.error = str(exc)
            return None
        if getattr(stored, "status", "draft") != "draft":
            self.error = f"record {record_id}: it is completed and locked — open it with `cse-screen show`"
            return None
        try:
            self._attach(record_id, stored.screening.meta.practitioner or "unknown")
        except UserError as exc:  # e.g. the draft is open in another window
            self.error = str(exc)
            return None
        return stored.loaded, stored.screening, stored.position

    def drafts(self) -> list[Any]:
        """Drafts to resume (newest first as the store lists them); empty without a store."""
        store = self._open()
        if store is None:
            return []
        try:
            return list(store.list(status="draft"))
        except UserError:
            return []

    def history(self, child_ref: str) -> list[Any]:
        """Earlier screenings of the same child (for the trend on the result screen)."""
        store = self._open()
        if store is None or not child_ref:
            return []
        try:
            return [h for h in store.history(child_ref) if getattr(h, "id", None) != self.record_id]
        except UserError:
            return []

    def complete(self, level: str) -> str | None:
        """Complete and lock the record; returns an error message or None."""
        if self.store is None or self.record_id is None:
            return self.status_text()
        if not self.retry():
            return self.status_text()
        try:
            self.store.complete(self.record_id, self._who(), level)
        except UserError as exc:
            return str(exc)
        self.close()
        return None

    def record_export(self, fmt: str, path: str, shared_with: str) -> None:
        """Note in the record that a report was exported (best effort)."""
        if self.store is not None and self.record_id is not None:
            with contextlib.suppress(UserError):
                self.store.record_export(self.record_id, fmt, path, shared_with, self._who())

    def _who(self) -> str:
        return str(getattr(self.autosaver, "who", "")) or "unknown"

    def pending(self) -> int:
        """Changes kept in memory because the disk refused them."""
        return int(getattr(self.autosaver, "pending", 0) or 0)

    def retry(self) -> bool:
        """Try to write pending changes again; True when nothing is pending."""
        if self.autosaver is None:
            return self.changes == 0
        if self.pending():
            return bool(self.autosaver.retry())
        return True

    def all_saved(self) -> bool:
        """True when quitting now would lose nothing."""
        if self.autosaver is None:
            return self.changes == 0
        return self.pending() == 0

    def status_text(self) -> str:
        """A short, content-free line for the save indicator."""
        if self.autosaver is None:
            why = self.error or "no records store"
            return f"Not saved: {why}."
        if self.pending():
            last = getattr(self.autosaver, "last_error", None)
            return str(last) if last else "Not saved: the disk refused the change — retrying."
        return "Saved."

    def tick(self) -> None:
        """Called on a timer: retry pending changes and keep the record's lease alive."""
        if self.autosaver is None:
            return
        if self.pending():
            self.autosaver.retry()
        else:
            self.autosaver.heartbeat()

    def close(self) -> None:
        """Save what is pending and release the record (on quit)."""
        if self.autosaver is not None:
            self.autosaver.close()

    def where_text(self) -> str:
        """Where the draft is, for the crash message (never any content)."""
        if self.record_id is None:
            return "Nothing was saved."
        from cse_screen.paths import data_dir

        where = data_dir(self.data_dir, create=False)
        return (
            f"Your draft {self.record_id} is kept in {where}; "
            f"reopen it with `cse-screen resume {self.record_id}`."
        )
