"""Messages the app sends to whichever screen is on top."""

from __future__ import annotations

from textual.message import Message


class SaveStateChanged(Message):
    """The save state may have changed (changes landed, or a retry ran): show it again.

    Screens with a save indicator handle it; others let it pass.
    """
