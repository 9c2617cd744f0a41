"""A one-line "Saved" / "Saving…" / "Not saved — retrying" indicator (words and a symbol, not colour only)."""

from __future__ import annotations

from textual.widgets import Static


class SaveIndicator(Static):
    """Shows the autosave state; the app refreshes it after each change, commit and retry."""

    _shown: str | None = None

    def show_state(self, text: str) -> None:
        """Display the state line given by :meth:`cse_screen.session.saving.SaveLink.status_text`.

        Only "Saved." gets the tick; "Saving…" (a commit on its way) is neither ticked nor
        flagged, so nothing is claimed as saved before the commit has landed.
        """
        saving = text.startswith("Saving")
        saved = text.startswith("Saved")
        self.set_class(not (saved or saving), "not-saved")
        new = ("✓ " if saved else "… " if saving else "✗ ") + text
        # Skipping an unchanged line avoids a repaint on every key press.
        if new != self._shown:
            self._shown = new
            self.update(new, layout=False)  # one docked line: its size never changes
