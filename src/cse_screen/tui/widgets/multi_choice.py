"""Multiple-choice options that digits tick (a module of its own: imported only when needed)."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual.binding import BindingType
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList

from cse_screen.tui.widgets.choice_list import DIGITS

TICKED = "X"
"""The mark in a chosen option's box."""
UNTICKED = " "
"""An option not chosen has an empty box: Textual draws an X in every box and tells them
apart by its colour alone, which NO_COLOR=1 (or a colour-blind eye) loses."""


class MultiChoiceList(SelectionList[str]):
    """Multiple-choice options; a digit ticks or unticks that option."""

    BINDINGS: ClassVar[list[BindingType]] = DIGITS

    def action_pick(self, number: int) -> None:
        """Toggle option ``number`` (1-based)."""
        if 1 <= number <= self.option_count:
            self.highlighted = number - 1
            self.toggle(self.get_option_at_index(number - 1).value)

    def render_line(self, y: int) -> Strip:
        """Textual's line, with the box's mark saying whether the option is chosen."""
        line = super().render_line(y)
        segments = list(line)
        index = self.scroll_offset.y + y
        # Textual's line is [box left, mark, box right, space, prompt…] with the marks of its
        # ToggleButton (Checkbox's are the same); anything else (past the options) is left as is.
        if (
            len(segments) < 3
            or segments[1].text != Checkbox.BUTTON_INNER
            or segments[0].text != Checkbox.BUTTON_LEFT
            or not 0 <= index < self.option_count
        ):
            return line
        chosen = self.get_option_at_index(index).value in self.selected
        mark = segments[1]
        segments[1] = Segment(TICKED if chosen else UNTICKED, mark.style, mark.control)
        return Strip(segments, line.cell_length)
