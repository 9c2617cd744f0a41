"""A calm notice when a draft is reopened after its questionnaire was updated."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from cse_screen.tui.screens.notice import RuleNoticeModal


class VersionNoticeModal(RuleNoticeModal):
    """What changed in the installed questionnaire; the draft carries on unchanged.

    Closes like the rule notices (enter or escape).

    Args:
        lines: The sentences from :meth:`cse_screen.session.installed.InstalledVersion.lines`.
    """

    def __init__(self, lines: list[str]) -> None:
        super().__init__("", [])
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="version-box", classes="dialog"):
            yield Static("ⓘ This questionnaire has been updated", classes="dialog-title")
            # Plain Text: question wording from a user's file is never read as markup.
            yield Static(Text("\n".join(self.lines)), id="version-changes")
            yield Button("Continue this draft (enter)", id="ok", variant="primary")
