"""Answer options that digits pick: 1–9 choose, arrows and enter also work."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList

DIGITS: list[BindingType] = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]
"""Digits 1–9 pick options (hidden from the footer: the options show their numbers)."""


class ChoiceList(OptionList):
    """Single-choice options; a digit highlights and selects that option at once.

    Every pick says which question the list was showing when the key was read. A quick
    typist's next digit can be read by this list before the page has moved on to the next
    question; the screen then knows the key was meant for the new question and maps the
    digit onto its options, instead of recording the old list's option there.
    """

    BINDINGS: ClassVar[list[BindingType]] = DIGITS

    question_id: str | None = None
    """The question whose options are shown (set by the screen when it fills the list)."""

    class Picked(Message):
        """An option was picked by digit, enter or click."""

        def __init__(
            self, choice_list: ChoiceList, question_id: str | None, option_id: str | None, number: int | None
        ):
            super().__init__()
            self.choice_list = choice_list
            self.question_id = question_id
            """The question shown when the key was read."""
            self.option_id = option_id
            """The option picked in this list, or None for a digit beyond its options."""
            self.number = number
            """The digit pressed (1-based), or None for enter or a click."""

        @property
        def control(self) -> ChoiceList:
            """The list that posted the pick (for ``@on(..., "#id")`` selectors)."""
            return self.choice_list

    def action_pick(self, number: int) -> None:
        """Pick option ``number`` (1-based), as if it were highlighted and enter pressed.

        The highlight is left to whoever handles the pick: moving it here would paint a
        frame of its own, and the next question would then wait a whole frame period.
        """
        option_id: str | None = None
        if 1 <= number <= self.option_count:
            option = self.get_option_at_index(number - 1)
            option_id = None if option.disabled else option.id
        # Posted even when out of range here: typed ahead, it may fit the next question.
        self.post_message(self.Picked(self, self.question_id, option_id, number))

    def action_select(self) -> None:
        """Pick the highlighted option (enter, or a click, which highlights first)."""
        index = self.highlighted
        if index is None:
            return
        option = self.get_option_at_index(index)
        if not option.disabled and option.id is not None:
            self.post_message(self.Picked(self, self.question_id, option.id, None))
