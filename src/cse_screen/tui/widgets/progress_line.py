"""A one-line progress bar drawn as text (cheap to repaint on every question)."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class ProgressLine(Widget):
    """How far through the questions: a thick line for done, a thin one for still to come.

    Done and to-come differ in shape as well as colour, so the bar reads without colour
    (NO_COLOR, high contrast). Textual's ``ProgressBar`` renders through Rich on every
    update, which cost more than the rest of a question change put together.
    """

    DEFAULT_CSS = """
    ProgressLine {
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._done = 0
        self._total = 0

    def update(self, *, total: int, progress: int) -> None:
        """Show ``progress`` out of ``total`` (repaints only when the drawn bar changes)."""
        if (total, progress) != (self._total, self._done):
            self._total, self._done = total, progress
            self.refresh()

    def render(self) -> Content:
        """The bar at the widget's width."""
        width = self.content_size.width
        filled = 0 if self._total <= 0 else round(width * min(self._done, self._total) / self._total)
        return Content.assemble(("━" * filled, "$primary"), ("─" * (width - filled), "$foreground 40%"))
