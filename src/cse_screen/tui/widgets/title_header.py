"""The app's header: whole words at any width, and safe to retitle while a screen is taken down.

**Fitting.** Textual's :class:`~textual.widgets.Header` shows "title — sub-title" and cuts
what does not fit with an ellipsis: at 80 columns the wizard's line, "cse-screen — Child
AB-07 · Screening for child sexual exploitation", read "…sexual exploit…". This header
shows the longest of these forms that fits (:func:`header_line`), so the words shown are
always whole: the full line; the sub-title alone (the program's name is what the reader
needs least); the sub-title up to its last " · " (whose screening it is, without the tool's
name). Only a sub-title too long for any of them is still cut.

**Retitling.** Textual's header updates its title from a watcher that runs a moment after
the app's title changes. When the title changes as a screen is replaced (the wizard names
the child in the header as the first question opens), that moment can fall after the old
screen's header lost its title widget but before the header itself closed: the watcher's
lookup then fails with ``NoMatches`` and the wizard stops (seen once in CI, Textual
8.2.8). Textual's watcher already ignores a header without a screen (``NoScreen``); this
header says the same for a header without its title widget.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

from cse_screen.session.light_page import HEADER_SEPARATOR

__all__ = ["TitleHeader", "header_line"]

BESIDE_TITLE = 18
"""Columns of the header that are not the title's: the icon (8) and the clock's space (10)."""


def header_line(title: str, sub_title: str, width: int, full: Callable[[str, str], Content]) -> Content:
    """The longest form of the header's line that fits ``width`` cells (see the module's text).

    Args:
        title: The app's (or screen's) title.
        sub_title: The sub-title.
        width: The cells the title has.
        full: How the whole line is formatted (the app's ``format_title``).
    """
    whole = full(title, sub_title)
    if not sub_title or whole.cell_length <= width:
        return whole
    if cell_len(sub_title) <= width:
        return Content(sub_title)
    whose, separator, _tool = sub_title.rpartition(HEADER_SEPARATOR)
    if separator and whose and cell_len(whose) <= width:
        return Content(whose)
    return Content(sub_title)  # nothing shorter says what it is: cut at the end, as Textual does


class TitleHeader(Header):
    """:class:`~textual.widgets.Header` that fits its line in whole words, and whose title
    lookup, once its title widget is gone, is a no-op."""

    def format_title(self) -> Content:
        """The longest form of "title — sub-title" that fits this header's width."""
        width = (self.size.width or self.app.size.width) - BESIDE_TITLE
        return header_line(self.screen_title, self.screen_sub_title, width, self.app.format_title)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the line again."""
        # Wider or narrower: another form of the line may fit now.
        with contextlib.suppress(NoScreen, NoMatches):
            self.query_one(HeaderTitle).update(self.format_title())

    def query_one(self, selector: Any, expect_type: Any = None) -> Any:
        """As Textual's, except that a missing title widget ends the title watcher quietly."""
        try:
            return super().query_one(selector, expect_type)
        except NoMatches:
            if selector is HeaderTitle:
                raise NoScreen("the header is being taken down") from None
            raise
