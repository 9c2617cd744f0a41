"""Waiting until the app has handled what was handed to it, and what that set off in turn.

A key handed to a page travels through several queues: the focused widget's, up to the
app's bindings, then the message its action posts back down to the page. One pass through
every queue is therefore not enough; :func:`settled` makes passes until several in a row
change nothing the caller watches (the light resume page uses it before quitting, so the
keys kept on it are applied and saved first).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Hashable
from typing import Any

from textual.app import App

QUIET_PASSES = 5
"""Passes in a row with nothing changing before the work counts as handled."""
PASS_LIMIT = 0.5
"""Seconds one pass waits for a queue that never answers (its widget was removed meanwhile)."""


async def settled(app: App[Any], progress: Callable[[], Hashable]) -> None:
    """Return once :data:`QUIET_PASSES` passes in a row leave ``progress()`` unchanged.

    Args:
        app: The running app (run this on a task of its own: the app's queue must stay free).
        progress: What the work handed over can change, e.g. a count of changes and the
            screen on top.
    """
    quiet = 0
    for _ in range(20 * QUIET_PASSES):  # a bound, should something keep changing
        before = progress()
        await _one_pass(app)
        quiet = quiet + 1 if progress() == before else 0
        if quiet >= QUIET_PASSES:
            return


async def _one_pass(app: App[Any]) -> None:
    """Every message queued on the app and on the screen's widgets so far has been handled."""
    left = 0
    done = asyncio.Event()

    def one() -> None:
        nonlocal left
        left -= 1
        if not left:
            done.set()

    for node in [app, *app.screen.walk_children(with_self=True)]:
        if node.call_later(one):
            left += 1
    if left:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout=PASS_LIMIT)
