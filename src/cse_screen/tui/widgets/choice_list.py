"""Answer options that digits pick: 1–9 choose, arrows and enter also work."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList

DIGITS: list[BindingType] = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]
"""Digits 1–9 pick options (hidden from the footer: the options show their numbers)."""


class ChoiceList(OptionList):
    """Single-choice options; a digit highlights and selects that option at once."""

    BINDINGS: ClassVar[list[BindingType]] = DIGITS

    def action_pick(self, number: int) -> None:
        """Select option ``number`` (1-based), as if it were highlighted and enter pressed.

        The highlight is left to whoever handles the selection: moving it here would paint
        a frame of its own, and the next question would then wait a whole frame period.
        """
        if 1 <= number <= self.option_count:
            option = self.get_option_at_index(number - 1)
            if not option.disabled:
                self.post_message(self.OptionSelected(self, option, number - 1))
