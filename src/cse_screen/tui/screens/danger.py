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

if TYPE_CHECKING:
    from cse_screen.session.alert import AlertContent


class DangerModal(ModalScreen[DangerAction]):
    """The raised flag's alert (headline, steps, local contacts); acknowledge to continue.

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

    def __init__(self, content: AlertContent) -> None:
        super().__init__()
        # The words come from the session (:func:`cse_screen.session.alert.alert_content`),
        # the one home plain mode draws too.
        self.content = content
        self.armed = False

    def compose(self) -> ComposeResult:
        # The headline, every step, the DSL's contacts and the buttons stay put; only the
        # other contacts scroll. Found in use: with the steps in the scrolling part, at 80x24
        # steps 4-5 and the DSL's phone were below the fold.
        content = self.content
        with Vertical(id="danger-box", classes="dialog"):
            yield Static(f"‼ {content.title}", id="danger-title")
            text = Static("\n".join(content.text), id="danger-text")
            text.display = bool(content.text)
            yield text
            steps = Static("\n".join(["What to do now:", *content.numbered_steps()]), id="danger-steps")
            steps.display = bool(content.steps)
            yield steps
            yield Static("\n".join(content.urgent_contacts), id="danger-contacts")
            with VerticalScroll(id="danger-more"):
                more = Static("\n".join(content.other_contacts), id="danger-more-contacts")
                more.display = bool(content.other_contacts)
                yield more
                yield Static("Confirm below, then you can carry on recording.", classes="hint")
            with Horizontal(classes="buttons"):
                ack = content.acknowledge
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
