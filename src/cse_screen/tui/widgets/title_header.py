"""The app's header, safe to retitle while a screen is being taken down.

Textual's :class:`~textual.widgets.Header` updates its title from a watcher that runs a
moment after the app's title changes. When the title changes as a screen is replaced (the
wizard names the child in the header as the first question opens), that moment can fall
after the old screen's header lost its title widget but before the header itself closed:
the watcher's lookup then fails with ``NoMatches`` and the wizard stops (seen once in CI,
Textual 8.2.8). Textual's watcher already ignores a header without a screen
(``NoScreen``); this header says the same for a header without its title widget.
"""

from __future__ import annotations

from typing import Any

from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

__all__ = ["TitleHeader"]


class TitleHeader(Header):
    """:class:`~textual.widgets.Header` whose title lookup, once its title widget is gone, is a no-op."""

    def query_one(self, selector: Any, expect_type: Any = None) -> Any:
        """As Textual's, except that a missing title widget ends the title watcher quietly."""
        try:
            return super().query_one(selector, expect_type)
        except NoMatches:
            if selector is HeaderTitle:
                raise NoScreen("the header is being taken down") from None
            raise
