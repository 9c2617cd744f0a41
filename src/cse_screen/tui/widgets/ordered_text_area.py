"""A multi-line text area whose editing keys act in the order typed.

In its own module: the text area class is imported only when it is first mounted (it
costs start-up time). See :mod:`cse_screen.tui.widgets.ordered_input` for why.
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from cse_screen.tui.widgets.ordered_input import run_own_binding


class OrderedTextArea(TextArea):
    """A :class:`~textual.widgets.TextArea` whose editing keys act in the order typed."""

    async def _on_key(self, event: events.Key) -> None:
        await run_own_binding(self, event)

    def select_for_correction(self) -> None:
        """Focus and select all the text, so the next key typed replaces it."""
        self.focus()
        self.select_all()
