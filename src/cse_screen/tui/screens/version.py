"""A calm notice when a draft is reopened after its questionnaire was updated."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class VersionNoticeModal(ModalScreen[None]):
    """What changed in the installed questionnaire; the draft carries on unchanged.

    Args:
        lines: The sentences from :meth:`cse_screen.flow.InstalledVersion.lines`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Continue"),
    ]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="version-box", classes="dialog"):
            yield Static("ⓘ This questionnaire has been updated", classes="dialog-title")
            # Plain Text: question wording from a user's file is never read as markup.
            yield Static(Text("\n".join(self.lines)), id="version-changes")
            yield Button("Continue this draft (enter)", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        """Close the notice and carry on with the draft."""
        self.dismiss(None)
