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

The wizard's command pauses the collector already before Textual and the wizard's modules
are imported (``pause_collector(start_up=True)``): importing them started about 80
collections, ≈ 10-15 ms of the first frame (measured, issue 16). What start-up made (modules,
classes, the app, its first screen) lives as long as the program, so when the first frame
lets the collector go it is frozen first (``gc.freeze``, documented for this): otherwise the
first collection after the frame walked all of it, ≈ 15 ms. The command lets the collector
go itself should the app not run (:func:`resume_collector`).
"""

from __future__ import annotations

import gc
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from cse_screen.session.saving import SaveLink

HOLD_LIMIT = 0.5
"""Seconds after which held work goes ahead even if no frame came."""


def _on_the_loop(delay: float, release: Callable[[], None]) -> None:
    import asyncio  # loaded with Textual by then; the command imports this module before it

    asyncio.get_running_loop().call_later(delay, release)


schedule_fallback: Callable[[float, Callable[[], None]], None] = _on_the_loop
"""How the fallback release is set to run after :data:`HOLD_LIMIT` (the event loop's timer).

Tests replace it to see the fallback scheduled and to fire it themselves, without waiting."""

_gc_paused = False
"""Whether the collector was turned off here (and so is to be turned on again here)."""
_freeze_on_resume = False
"""Whether what exists when the collector goes on again is kept out of later collections."""


def pause_collector(*, start_up: bool = False) -> None:
    """Turn the cyclic garbage collector off until :func:`resume_collector` (or the next frame).

    A collector that someone else turned off is left alone (and stays off).

    Args:
        start_up: The program is starting: what it has made by the time the collector goes
            on again is frozen (``gc.freeze``), so later collections need not walk it.
    """
    global _gc_paused, _freeze_on_resume
    if gc.isenabled():
        gc.disable()
        _gc_paused = True
        _freeze_on_resume = start_up


def resume_collector() -> None:
    """Turn the collector on again if :func:`pause_collector` turned it off (else a no-op)."""
    global _gc_paused, _freeze_on_resume
    if _gc_paused:
        _gc_paused = False
        if _freeze_on_resume:
            _freeze_on_resume = False
            gc.freeze()
        gc.enable()


def after_frame(link: SaveLink) -> None:
    """Hold ``link``'s writer and the collector until the next frame is drawn.

    Call from the app's event loop, before the changes a key makes.
    """
    link.hold_writes()
    pause_collector()
    schedule_fallback(HOLD_LIMIT, partial(frame_drawn, link))


def frame_drawn(link: SaveLink) -> None:
    """Let what :func:`after_frame` held go ahead (a no-op when nothing is held)."""
    link.release_writes()
    resume_collector()


class ReleasedByFrames:
    """For the app: every frame handed to the terminal lets held work go ahead."""

    saving: SaveLink

    def post_display_hook(self) -> None:
        """Let held work go ahead (Textual calls this right after writing each frame).

        A refresh callback would not do: it can run before the frame is drawn.
        """
        frame_drawn(self.saving)
