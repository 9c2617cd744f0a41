"""Limits a real user never meets, declared once for every layer that enforces them.

Imported by the light store (so no pydantic here) and by the questionnaire's one
validation path (:mod:`cse_screen.questionnaire.values`).
"""

from __future__ import annotations

from typing import Final

MAX_TEXT_CHARS: Final = 20_000
"""The longest note, reason or free-text answer a practitioner may write (about ten pages).

No real note comes near it; a pasted file would, and one 10 MB note once made
``cse-screen show`` take 87 s. The session refuses it as text is entered, with the same
message whatever the front end; the store refuses it too, so nothing reaches the disk
around it."""
