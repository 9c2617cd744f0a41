"""A blank screen for when someone walks up to the desk."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static


class BlankModal(ModalScreen[None]):
    """Covers everything at once; only ctrl+r (a deliberate key) brings the wizard back."""

    DEFAULT_CSS = """
    BlankModal Toast {
        display: none;
    }
    """
    """Notifications stay hidden while blank (one may name a child or a recipient); Textual
    keeps them, so those not yet timed out show again on the page after ctrl+r."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "restore", "Return", show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield Static("ctrl+r", id="blank-hint")

    def on_key(self, event: events.Key) -> None:
        # Swallow every other key so nothing behind the blank screen changes.
        event.stop()
        event.prevent_default()

    def action_restore(self) -> None:
        """Show the wizard again."""
        self.dismiss(None)
