"""The footer of key hints, able to wrap onto two rows when the terminal is narrow."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

_Shown = tuple[tuple[str, str, str, bool, str, str], ...]


class KeyFooter(Footer):
    """Textual's footer whose keys can fill two rows (every key stays visible at 80 columns).

    ``Footer`` sets its grid to one column per key; this sets half as many, which only
    takes effect where the app's CSS switches the footer to a grid (``Screen.-narrow``).

    ``Footer`` also rebuilds every key whenever the screen's bindings may have changed, which
    happens on every change of focus; this one rebuilds them only when the keys it would
    show differ (a measured part of opening the question page).
    """

    _shown: _Shown | None = None

    def _keys_to_show(self, screen: Screen[object]) -> _Shown:
        return tuple(
            (
                binding.key,
                binding.description,
                binding.action,
                enabled,
                tooltip or "",
                binding.group.description if binding.group is not None else "",
            )
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        """The keys, as Textual's footer makes them."""
        if self._bindings_ready:
            self._shown = self._keys_to_show(self.screen)
        for widget in super().compose():
            # Born compact: the keys would otherwise each be restyled right after mounting
            # when Textual's watcher adds this class (a visible part of the start-up time).
            widget.set_class(self.compact, "-compact", update=False)
            yield widget
        columns = self.styles.grid_size_columns
        if columns > 1:
            self.styles.grid_size_columns = (columns + 1) // 2

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild the keys if the ones to show have changed (Textual's footer always does)."""
        if (
            self._bindings_ready
            and self._shown is not None
            and self.is_attached
            and screen is self.screen
            and self._keys_to_show(screen) == self._shown
        ):
            return
        super().bindings_changed(screen)
