"""The footer of key hints, able to wrap onto two rows when the terminal is narrow."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer whose keys can fill two rows (every key stays visible at 80 columns).

    ``Footer`` sets its grid to one column per key; this sets half as many, which only
    takes effect where the app's CSS switches the footer to a grid (``Screen.-narrow``).
    """

    def compose(self) -> ComposeResult:
        """The keys, as Textual's footer makes them."""
        for widget in super().compose():
            # Born compact: the keys would otherwise each be restyled right after mounting
            # when Textual's watcher adds this class (a visible part of the start-up time).
            widget.set_class(self.compact, "-compact", update=False)
            yield widget
        columns = self.styles.grid_size_columns
        if columns > 1:
            self.styles.grid_size_columns = (columns + 1) // 2
