"""Text being typed in a box, saved once typing pauses and whenever the box is left.

A note, a long answer, the practitioner's analysis or a judgement reason lives in a text
box until it is handed to the session. Before this, it was handed over only by "next",
"back", "jump" and "review": quitting, blanking the screen, a closed window or a SIGKILL
lost it without a word. :class:`TypedText` keeps, for each box with unsaved typing, how to
save it; the front end calls :meth:`TypedText.typed` on every change,
:meth:`TypedText.save_due` from a timer, and :meth:`TypedText.save_all` before leaving by
any route (quit, blank screen, idle lock).

No threads and no Textual: the front end owns the timer, so saves run on its own thread
in the order the practitioner typed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["TYPING_PAUSE", "SaveTyped", "TypedText"]

TYPING_PAUSE = 1.0
"""Seconds without a key before typed text is saved (the issue allows at most 2)."""

SaveTyped = Callable[[], "str | None"]
"""Hands a box's current text to the session: None when saved, else why it cannot be yet."""


@dataclass(slots=True)
class _Typing:
    last_key: float
    save: SaveTyped
    waiting: str | None


class TypedText:
    """Boxes whose text has changed since it was last handed to the session.

    Args:
        clock: Monotonic seconds (a test's own clock; never the wall clock).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._boxes: dict[str, _Typing] = {}

    def typed(self, box: str, save: SaveTyped) -> None:
        """The text in ``box`` changed.

        Args:
            box: Which box (one entry per box; a later change replaces an earlier one).
            save: Hands the box's current text to the session. When it says why the text
                cannot be saved yet (e.g. the judgement is below the answers' floor), the
                text stays pending, the save line says why, and leaving asks first.
        """
        self._boxes[box] = _Typing(self._clock(), save, None)

    def done(self, box: str) -> None:
        """``box`` was saved (or emptied) by the front end itself: nothing pending."""
        self._boxes.pop(box, None)

    def due_in(self) -> float | None:
        """Seconds until the next pause-save is due (None: nothing is waiting for a pause)."""
        times = [t.last_key for t in self._boxes.values() if t.waiting is None]
        if not times:
            return None
        return max(0.0, min(times) + TYPING_PAUSE - self._clock())

    def save_due(self) -> None:
        """Save every box whose typing has paused for :data:`TYPING_PAUSE` seconds."""
        now = self._clock()
        for box, typing in list(self._boxes.items()):
            if typing.waiting is None and now - typing.last_key >= TYPING_PAUSE:
                self._save(box, typing)

    def save_all(self) -> bool:
        """Save every pending box now (the user is leaving); True when nothing is left."""
        for box, typing in list(self._boxes.items()):
            self._save(box, typing)
        return not self._boxes

    def _save(self, box: str, typing: _Typing) -> None:
        why_not = typing.save()
        if self._boxes.get(box) is not typing:
            return  # typed again (or saved by the front end) meanwhile
        if why_not is None:
            del self._boxes[box]
        else:
            typing.waiting = why_not

    def pending(self, box: str) -> bool:
        """True while the text in ``box`` has not been handed to the session."""
        return box in self._boxes

    def unsaved(self) -> bool:
        """True while some typed text has not been handed to the session."""
        return bool(self._boxes)

    def status(self) -> str | None:
        """A content-free line for the save indicator while text is pending, else None."""
        waiting = [t.waiting for t in self._boxes.values() if t.waiting is not None]
        if waiting:
            return f"Not saved: {waiting[0]}."
        return "Saving when you pause typing…" if self._boxes else None
