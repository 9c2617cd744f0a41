"""A one-line "Saved" / "Not saved — retrying" indicator (words and a symbol, not colour only)."""

from __future__ import annotations

from textual.widgets import Static


class SaveIndicator(Static):
    """Shows the autosave state; the app refreshes it after each change and each retry."""

    def show_state(self, text: str) -> None:
        """Display the state line given by :meth:`cse_screen.tui.saving.SaveLink.status_text`."""
        saved = text.startswith("Saved")
        self.set_class(not saved, "not-saved")
        self.update(("✓ " if saved else "✗ ") + text)
