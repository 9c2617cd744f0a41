"""The idle lock: the wizard blanks after a while with no key pressed.

With an encrypted store only the passphrase brings it back (checked on a worker thread:
argon2id takes a moment); without encryption the deliberate restore key ctrl+r does, as
for the blank screen. Autosave has committed everything before, so nothing waits on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cse_screen.session.idle import check_passphrase


class IdleLockScreen(ModalScreen[None]):
    """Covers everything; asks for the passphrase (``store_path`` set) or ctrl+r."""

    DEFAULT_CSS = """
    IdleLockScreen Toast {
        display: none;
    }
    """
    """As on the blank screen: notifications stay hidden while locked, and show again after."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "restore", "Return", show=False, priority=True),
    ]

    def __init__(self, store_path: Path | None) -> None:
        super().__init__()
        self.store_path = store_path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="idle-lock"):
            if self.store_path is None:
                yield Static("Locked after a while without use. ctrl+r", id="lock-hint")
            else:
                yield Static("Locked after a while without use.", classes="dialog-title")
                yield Input(password=True, placeholder="Passphrase", id="lock-passphrase")
                yield Static("", id="lock-message")

    def on_key(self, event: events.Key) -> None:
        # Nothing behind the lock may change; the passphrase box takes its own keys.
        if self.store_path is None:
            event.stop()
            event.prevent_default()

    def action_restore(self) -> None:
        """ctrl+r: back to the wizard, only when the store has no passphrase."""
        if self.store_path is None:
            self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.input.disabled = True
        self.query_one("#lock-message", Static).update("Checking…")
        self._check(event.value)

    @work(thread=True, exclusive=True)
    def _check(self, passphrase: str) -> None:
        assert self.store_path is not None
        ok = check_passphrase(self.store_path, passphrase)
        self.app.call_from_thread(self._checked, ok)

    def _checked(self, ok: bool) -> None:
        if ok:
            self.dismiss(None)
            return
        box = self.query_one("#lock-passphrase", Input)
        box.disabled = False
        box.value = ""
        box.focus()
        self.query_one("#lock-message", Static).update("That passphrase does not open your screenings.")
