"""The alert of a raised flag that interrupts: it takes over the screen the moment a rule raises it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cse_screen.session import DangerAction
from cse_screen.session.contacts import LocalContacts

if TYPE_CHECKING:
    from cse_screen.questionnaire.outcome_models import Alert


class DangerModal(ModalScreen[DangerAction]):
    """The raised flag's alert (its title, text and actions); local contacts; acknowledge to continue.

    Returns ``"calling_now"`` or ``"already_done"``. There is no way to dismiss it without
    acknowledging: that is the point. Keys in the first :attr:`ARM_DELAY` seconds are
    ignored: a digit typed ahead for the next question must not acknowledge an alert that
    nobody has read.
    """

    ARM_DELAY: ClassVar[float] = 0.8
    """Seconds after the alert appears before it accepts an acknowledgement."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "ack('calling_now')", "Acting now"),
        Binding("2", "ack('already_done')", "Already done"),
    ]

    def __init__(self, next_steps: list[str], contacts: LocalContacts, alert: Alert | None = None) -> None:
        super().__init__()
        # The words come from the questionnaire's raised flag (``Result.interrupting_alert()``).
        if alert is None:
            from cse_screen.questionnaire.outcome_models import DEFAULT_IMMEDIATE_RISK_FLAG

            alert = DEFAULT_IMMEDIATE_RISK_FLAG.alert
        assert alert is not None  # the built-in default always has an alert
        self.alert: Alert = alert
        self.next_steps = list(self.alert.actions) or next_steps
        self.contacts = contacts
        self.armed = False

    def compose(self) -> ComposeResult:
        # The headline, the first action and the buttons stay put; only what lies between
        # them scrolls. In one scrolling box, focusing the first button scrolled the headline
        # out of an 80x24 screen once the local contacts were filled in.
        with Vertical(id="danger-box", classes="dialog"):
            yield Static(f"‼ {self.alert.title}", id="danger-title")
            first, *rest = self.next_steps or [""]
            first_action = Static(f"What to do now:\n1. {first}", id="danger-first")
            first_action.display = bool(first)
            yield first_action
            with VerticalScroll(id="danger-more"):
                if self.alert.text:
                    yield Static("\n".join(self.alert.text), id="danger-text")
                steps = "\n".join(f"{i}. {step}" for i, step in enumerate(rest, start=2))
                more_steps = Static(f"Then:\n{steps}", id="danger-steps")
                more_steps.display = bool(rest)
                yield more_steps
                yield Static("\n".join(self.contacts.lines()), id="danger-contacts")
                yield Static("Confirm below, then you can carry on recording.", classes="hint")
            with Horizontal(classes="buttons"):
                ack = self.alert.acknowledge
                yield Button(f"1  {ack.acting_now}", id="calling_now", variant="error")
                yield Button(f"2  {ack.already_done}", id="already_done", variant="primary")

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
