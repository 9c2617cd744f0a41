"""A screen built once whose content is swapped in place (cheaper than a screen per page).

The question page moves from question to question by changing text and showing or hiding
widgets; this base keeps that cheap: widgets are looked up once, unchanged text is not
repainted, and text whose size stays the same is repainted without a layout pass.

Opening the page is made cheaper too: it is born with the width class that Textual would add
at its first resize, and its first resume does not style every widget again (each of those
restyles the whole page a moment after it was styled; together about a quarter of the CPU
from ctrl+n to the first question).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from rich.cells import cell_len
from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

W = TypeVar("W", bound=Widget)
R = TypeVar("R")


class SwappingPage(Screen[R], Generic[R]):
    """A screen whose widgets stay and whose content changes (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self._widgets: dict[str, Widget] = {}
        self._texts: dict[str, str] = {}
        self._resumed = False
        with contextlib.suppress(RuntimeError):  # made outside a running app (a test)
            self._born_with_width_class(self.app.size.width)

    def _born_with_width_class(self, width: int) -> None:
        # Textual adds the class of the app's HORIZONTAL_BREAKPOINTS on the first resize (the
        # one at mounting); a class added then restyles every widget of the page.
        own = self.HORIZONTAL_BREAKPOINTS
        breakpoints = (self.app.HORIZONTAL_BREAKPOINTS if own is None else own) or []
        for minimum, name in sorted(breakpoints, reverse=True):
            if width >= minimum:
                self.add_class(name, update=False)
                return

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler. A page that was just mounted was styled a moment
        # ago: Textual's first resume would style every widget of it again. Later resumes
        # (after a dialog closes) restyle as Textual does.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def _text(self, widget_id: str, text: str) -> None:
        """Set a Static's text: no repaint when unchanged, no re-layout when its size stays.

        A layout pass arranges every widget on the screen; most question-to-question
        changes keep each line's size, so repainting the changed lines is enough.
        """
        old = self._texts.get(widget_id)
        if old == text:
            return
        self._texts[widget_id] = text
        widget = self._widget(widget_id, Static)
        width = widget.content_size.width
        if not width or not old or not text:
            widget.update(text)  # not laid out yet, or appearing/disappearing
            return
        # Measured the way Textual measures a widget's content (styles act as the rules map).
        rules = cast("RulesMap", widget.styles)
        before = widget.visual.get_height(rules, width)
        widget.update(text, layout=False)
        auto_width = widget.styles.width is None or widget.styles.width.is_auto
        if widget.visual.get_height(rules, width) != before or (
            auto_width and cell_len(text) != cell_len(old)
        ):
            widget.refresh(layout=True)

    def _widget(self, widget_id: str, kind: type[W]) -> W:
        """A widget of this page by id (looked up once: the page is never rebuilt)."""
        found = self._widgets.get(widget_id)
        if found is None:
            found = self._widgets[widget_id] = self.query_one(f"#{widget_id}", kind)
        return cast(W, found)

    @staticmethod
    def _show(widget: Widget, shown: bool) -> None:
        # Setting display to its current value still refreshes the layout: skip it.
        if widget.display != shown:
            widget.display = shown
