"""The wizard's themes: Textual's dark theme, and a high-contrast one (switched with F10)."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="cse-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffffff",
    warning="#ffff00",
    error="#ff5555",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    dark=True,
)
"""Bright text on black, for low vision or glare (switch with F10)."""

DEFAULT_THEME = "textual-dark"
