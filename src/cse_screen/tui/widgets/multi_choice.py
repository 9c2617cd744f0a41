"""Multiple-choice options that digits tick (a module of its own: imported only when needed)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import SelectionList

from cse_screen.tui.widgets.choice_list import DIGITS


class MultiChoiceList(SelectionList[str]):
    """Multiple-choice options; a digit ticks or unticks that option."""

    BINDINGS: ClassVar[list[BindingType]] = DIGITS

    def action_pick(self, number: int) -> None:
        """Toggle option ``number`` (1-based)."""
        if 1 <= number <= self.option_count:
            self.highlighted = number - 1
            self.toggle(self.get_option_at_index(number - 1).value)
