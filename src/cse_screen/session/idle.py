"""The idle lock's clock: after a while with no key pressed the front end locks itself.

Textual-free so the wizard and plain mode share it, and the clock is injected so tests
drive time instead of waiting for it. Autosave has already committed every change, so
locking loses nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

IDLE_ENV = "CSE_SCREEN_IDLE_MINUTES"
"""Minutes without a key press before locking (default 5; 0 turns the lock off)."""

DEFAULT_MINUTES = 5.0


def idle_seconds() -> float | None:
    """The idle time from ``$CSE_SCREEN_IDLE_MINUTES`` (None: the lock is off)."""
    raw = os.environ.get(IDLE_ENV, "").strip()
    try:
        minutes = float(raw) if raw else DEFAULT_MINUTES
    except ValueError:
        minutes = DEFAULT_MINUTES
    return minutes * 60 if minutes > 0 else None


class IdleTimer:
    """Tells when no activity has been seen for ``limit`` seconds."""

    def __init__(self, limit: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._last = clock()

    def touch(self) -> None:
        """Something was pressed: start counting again."""
        self._last = self.clock()

    def expired(self) -> bool:
        """True once ``limit`` seconds have passed since the last touch (never when off)."""
        return self.limit is not None and self.clock() - self._last >= self.limit


def check_passphrase(store_path: Path, passphrase: str) -> bool:
    """True when ``passphrase`` opens the database at ``store_path`` (the idle lock's check)."""
    from cse_screen.store.crypt import check_passphrase as check

    return check(store_path, passphrase)
