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
        yield from super().compose()
        columns = self.styles.grid_size_columns
        if columns > 1:
            self.styles.grid_size_columns = (columns + 1) // 2
