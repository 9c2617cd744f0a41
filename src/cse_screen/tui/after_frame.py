"""Work a key causes that can wait until the frame it leads to is drawn.

Two things compete with drawing the next question and are not needed before it is on
screen: the autosave commit and Python's cyclic garbage collector.

- **Autosave.** A key that changes answers or pages hands its changes to the writer thread
  at once, in order (:class:`cse_screen.session.saving.SaveLink`), and the save line says
  "Saving…"; only the writer is held, until the app has handed the frame to the terminal
  (the wizard's app is a :class:`ReleasedByFrames`). Woken in the middle of that frame, the
  writer thread took the interpreter lock from the drawing: measured, the next question
  came about 3 ms later after a digit, and the first question about 4 ms later after ctrl+n.
- **Garbage collection.** Building a page allocates enough to start several collections
  (13 between ctrl+n and the first question); paused, they run just after the frame
  instead. ``gc.disable``/``gc.enable`` are the documented switch, and a collector that
  someone else turned off stays off.

Nothing waits for long: should no frame come, both go ahead after :data:`HOLD_LIMIT`, and
quitting or a crash flushes the writes (``SaveLink.flush`` releases a held writer).
"""

from __future__ import annotations

import asyncio
import gc
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from cse_screen.session.saving import SaveLink

HOLD_LIMIT = 0.5
"""Seconds after which held work goes ahead even if no frame came."""


def _on_the_loop(delay: float, release: Callable[[], None]) -> None:
    asyncio.get_running_loop().call_later(delay, release)


schedule_fallback: Callable[[float, Callable[[], None]], None] = _on_the_loop
"""How the fallback release is set to run after :data:`HOLD_LIMIT` (the event loop's timer).

Tests replace it to see the fallback scheduled and to fire it themselves, without waiting."""

_gc_paused = False
"""Whether the collector was turned off here (and so is to be turned on again here)."""


def after_frame(link: SaveLink) -> None:
    """Hold ``link``'s writer and the collector until the next frame is drawn.

    Call from the app's event loop, before the changes a key makes.
    """
    global _gc_paused
    link.hold_writes()
    if gc.isenabled():
        gc.disable()
        _gc_paused = True
    schedule_fallback(HOLD_LIMIT, partial(frame_drawn, link))


def frame_drawn(link: SaveLink) -> None:
    """Let what :func:`after_frame` held go ahead (a no-op when nothing is held)."""
    global _gc_paused
    link.release_writes()
    if _gc_paused:
        _gc_paused = False
        gc.enable()


class ReleasedByFrames:
    """For the app: every frame handed to the terminal lets held work go ahead."""

    saving: SaveLink

    def post_display_hook(self) -> None:
        """Let held work go ahead (Textual calls this right after writing each frame).

        A refresh callback would not do: it can run before the frame is drawn.
        """
        frame_drawn(self.saving)
