"""Short guidance when an answer makes a rule fire (e.g. how to respond to a disclosure)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class RuleNoticeModal(ModalScreen[None]):
    """Why this matters and what to do now; enter or escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, reason: str, steps: list[str]) -> None:
        super().__init__()
        self.reason = reason
        self.steps = steps

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static("ⓘ Important", classes="dialog-title")
            yield Static(self.reason)
            yield Static("\n".join(f"• {s}" for s in self.steps), id="notice-steps")
            yield Button("Understood (enter)", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        """Close the notice."""
        self.dismiss(None)
