"""Text for reports: inert user text (see :mod:`cse_screen.inert`).

:func:`neutralise` and :func:`has_hidden_characters` live in :mod:`cse_screen.inert` so
commands that only list records can use them without importing the report package; they
are re-exported here for the report's modules.
"""

from __future__ import annotations

from cse_screen.inert import has_hidden_characters, neutralise

__all__ = ["has_hidden_characters", "neutralise"]
