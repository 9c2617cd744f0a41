"""F1: every key of the wizard in one place."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str]] = [
    ("F1", "This help"),
    ("ctrl+b or F12", "Blank the screen at once; ctrl+r brings it back"),
    ("F10", "Switch the high-contrast theme"),
    ("ctrl+q", "Quit (asks first if anything is not saved)"),
    ("1–9", "Pick an answer (in the answer list)"),
    ("↑ ↓ and enter", "Move through the answers and pick one"),
    ("tab / shift+tab", "Next / previous field (answer, note, source, form boxes)"),
    ("ctrl+n", "Next question (start, result from the review)"),
    ("ctrl+p", "Previous question"),
    ("F2", "Show or hide guidance for the question"),
    ("F3", "Add a note and where it came from"),
    ("F4", "Skip a question that is not required"),
    ("F8", "Jump to any question or section"),
    ("F9", "Review all answers"),
    ("enter (review)", "Edit the highlighted answer"),
    ("F3 (result)", "Export a report"),
    ("F4 (result)", "Complete and lock the record"),
    ("F8 (result)", "Share the completed screening with the DSL"),
    ("F6 (start)", "The DSL's inbox: shared screenings, most urgent first"),
    ("enter, F5 (inbox)", "Open a screening or a concern; the child's chronology"),
    ("F6 (inbox report)", "Record the DSL's decision"),
    ("escape", "Close a window / go back one screen"),
]


class HelpModal(ModalScreen[None]):
    """The table of keys; escape or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        width = max(len(k) for k, _ in KEYS) + 2
        lines = "\n".join(f"{k.ljust(width)}{what}" for k, what in KEYS)
        with VerticalScroll(classes="dialog"):
            yield Static("Keys", classes="dialog-title")
            yield Static(lines, id="help-keys")
            yield Static(
                "The wizard has no screen-reader support; `cse-screen run --plain` asks the same "
                "questions line by line.",
                classes="hint",
            )

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
