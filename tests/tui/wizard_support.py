"""Shared helpers for the wizard tests (a module with a unique name, imported by tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from support import MINI, load

MINI_PATH = MINI
FIXED_NOW = dt.datetime(2025, 3, 14, 10, 30, tzinfo=dt.UTC)
FIXED_DATE = FIXED_NOW.date()


def load_mini() -> LoadedQuestionnaire:
    """The small test questionnaire, loaded through the real loader (real checks, real hash)."""
    return load(MINI)


async def wait_until(
    pilot: Pilot[object], condition: Callable[[], bool], what: str, *, limit: int = 3000
) -> None:
    """Let the app run until ``condition()`` holds: the state, not a count of pauses, decides.

    A fixed number of pauses is enough on a quiet machine and too few on a loaded one,
    where timers and refreshes land later. ``limit`` only stops a broken test from hanging.

    Args:
        pilot: The running app's pilot.
        condition: What the test needs before it goes on.
        what: Said when the state never comes.
        limit: How many short pauses to allow (about 30 s in all).
    """
    for _ in range(limit):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"the wizard never reached this state: {what}")


async def alert_armed(pilot: Pilot[object], app: App[object]) -> None:
    """Wait until the 999 alert is on screen and taking keys (it ignores them at first).

    A fixed ``pause(ARM_DELAY + 0.2)`` is too short when the alert itself arrives late on a
    loaded machine: the arm timer starts when the alert is mounted, not when the key went in.
    """
    from cse_screen.tui.screens.danger import DangerModal

    def armed() -> bool:
        screen = app.screen
        return isinstance(screen, DangerModal) and screen.armed

    await wait_until(pilot, armed, "the 999 alert is shown and armed")
