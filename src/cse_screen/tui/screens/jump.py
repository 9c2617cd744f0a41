"""Jump to any question, grouped by section."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cse_screen.session import WizardSession


class JumpModal(ModalScreen[str | None]):
    """The visible questions by section; enter goes to one, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, session: WizardSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        options: list[Option] = []
        number = 0
        for sp in s.sections():
            options.append(
                Option(f"── {sp.section.title} ({sp.answered}/{len(sp.visible)} answered)", disabled=True)
            )
            for qid in sp.visible:
                number += 1
                mark = "✓" if s.screening.value(qid) is not None else "·"
                options.append(Option(f" {mark} {number}. {s.question(qid).text}", id=qid))
        with Vertical(classes="dialog"):
            yield Static("Go to a question (✓ answered, · not yet)", classes="dialog-title", id="jump-title")
            yield OptionList(*options, id="jump-list")

    def on_mount(self) -> None:
        jump = self.query_one("#jump-list", OptionList)
        current = self.session.current_id
        for index in range(jump.option_count):
            if jump.get_option_at_index(index).id == current:
                jump.highlighted = index
        jump.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Stay on the current question."""
        self.dismiss(None)
