"""A multi-line text area whose editing keys act in the order typed.

In its own module: the text area class is imported only when it is first mounted (it
costs start-up time). See :mod:`cse_screen.tui.widgets.ordered_input` for why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.widgets import TextArea

if TYPE_CHECKING:
    from textual.widgets.text_area import Edit, EditResult

from cse_screen.tui.widgets.ordered_input import run_own_binding


class OrderedTextArea(TextArea):
    """A :class:`~textual.widgets.TextArea` whose editing keys act in the order typed."""

    edited: Callable[[OrderedTextArea], None] | None = None
    """Called at once after every edit, before the next frame is drawn.

    The ``Changed`` message arrives a moment later, so a frame could show the new text
    beside a save line still saying "✓ Saved."; the page marks the text unsaved here.
    """

    async def _on_key(self, event: events.Key) -> None:
        await run_own_binding(self, event)

    def edit(self, edit: Edit) -> EditResult:
        """Apply one edit, then tell the page (see :attr:`edited`)."""
        result = super().edit(edit)
        self._tell_edited()
        return result

    # Undo and redo change the text without passing through edit(): they tell the page too,
    # or ctrl+z after "✓ Saved." would show other text beside that line for a frame.

    def undo(self) -> None:
        """Undo the last batch of edits, then tell the page (see :attr:`edited`)."""
        super().undo()
        self._tell_edited()

    def redo(self) -> None:
        """Redo the last undone batch of edits, then tell the page (see :attr:`edited`)."""
        super().redo()
        self._tell_edited()

    def _tell_edited(self) -> None:
        if self.edited is not None:
            self.edited(self)

    def select_for_correction(self) -> None:
        """Focus and select all the text, so the next key typed replaces it."""
        self.focus()
        self.select_all()
