"""The immediate-danger alert: it takes over the screen the moment a rule marks it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cse_screen.session import DangerAction
from cse_screen.session.contacts import LocalContacts


class DangerModal(ModalScreen[DangerAction]):
    """Call 999 now; local contacts; what to do next; acknowledge to continue.

    Returns ``"calling_now"`` or ``"already_done"``. There is no way to dismiss it without
    acknowledging: that is the point. Keys in the first :attr:`ARM_DELAY` seconds are
    ignored: a digit typed ahead for the next question must not acknowledge an alert that
    nobody has read.
    """

    ARM_DELAY: ClassVar[float] = 0.8
    """Seconds after the alert appears before it accepts an acknowledgement."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "ack('calling_now')", "Calling now"),
        Binding("2", "ack('already_done')", "Already done"),
    ]

    def __init__(self, next_steps: list[str], contacts: LocalContacts) -> None:
        super().__init__()
        self.next_steps = next_steps
        self.contacts = contacts
        self.armed = False

    def compose(self) -> ComposeResult:
        # The headline, the first action and the buttons stay put; only what lies between
        # them scrolls. In one scrolling box, focusing the first button scrolled the headline
        # out of an 80x24 screen once the local contacts were filled in.
        with Vertical(id="danger-box", classes="dialog"):
            yield Static("‼ IMMEDIATE DANGER — CALL THE POLICE ON 999 NOW", id="danger-title")
            first, *rest = self.next_steps or ["Call the police on 999 now."]
            yield Static(f"What to do now:\n1. {first}", id="danger-first")
            with VerticalScroll(id="danger-more"):
                steps = "\n".join(f"{i}. {step}" for i, step in enumerate(rest, start=2))
                more_steps = Static(f"Then:\n{steps}", id="danger-steps")
                more_steps.display = bool(rest)
                yield more_steps
                yield Static("\n".join(self.contacts.lines()), id="danger-contacts")
                yield Static("Confirm below, then you can carry on recording.", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("1  I am calling 999 now", id="calling_now", variant="error")
                yield Button("2  Already done", id="already_done", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#calling_now", Button).focus()
        self.set_timer(self.ARM_DELAY, self._arm)

    def _arm(self) -> None:
        self.armed = True

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id is not None:
            self.action_ack(event.button.id)

    def action_ack(self, action: str) -> None:
        """Acknowledge the alert (ignored, with a bell, until it has been on screen a moment)."""
        if not self.armed:
            self.app.bell()
            return
        if action == "calling_now":
            self.dismiss("calling_now")
        elif action == "already_done":
            self.dismiss("already_done")
