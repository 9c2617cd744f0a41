"""Autosave that waits for the frame a key leads to (the wizard's writer thread is held).

A key that changes answers or pages hands its changes to the writer thread at once, in
order (:class:`cse_screen.session.saving.SaveLink`), and the save line says "Saving…"; the
writer is held only until the app has handed the next frame to the terminal (the wizard's
app is a :class:`ReleasedByFrames`). Woken in the middle of that frame, the writer thread
takes the interpreter lock from the drawing: measured, the next question came about 3 ms
later after a digit, and the first question about 4 ms later after ctrl+n.

Nothing waits for long: should no frame come, the writes go ahead after :data:`HOLD_LIMIT`,
and quitting or a crash flushes them (``SaveLink.flush`` releases a held writer).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cse_screen.session.saving import SaveLink

HOLD_LIMIT = 0.5
"""Seconds after which held writes go ahead even if no frame came."""


class ReleasedByFrames:
    """For the app: every frame handed to the terminal lets held writes go ahead."""

    saving: SaveLink

    def post_display_hook(self) -> None:
        """Let held writes go ahead (Textual calls this right after writing each frame).

        A refresh callback would not do: it can run before the frame is drawn.
        """
        self.saving.release_writes()


def save_after_frame(link: SaveLink) -> None:
    """Hold ``link``'s writer until the next frame is drawn (or :data:`HOLD_LIMIT` passes).

    Call from the app's event loop, before the changes a key makes.
    """
    link.hold_writes()
    asyncio.get_running_loop().call_later(HOLD_LIMIT, link.release_writes)
