"""When the wizard does work that the first frame of a screen does not need."""

from __future__ import annotations

AFTER_FIRST_FRAME = 0.3
"""Seconds after mounting when work left out of the first frame is done.

(A refresh callback would run before the frame is drawn; a timer runs after it.)"""
SOON_AFTER_FIRST_FRAME = 0.05
"""Seconds after mounting for small additions to a screen (the start screen's drafts)."""
STORE_NOTICE_SECONDS = 120.0
"""How long a warning from opening the records store stays up (long enough to read and act on)."""
