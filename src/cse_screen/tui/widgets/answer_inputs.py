"""The question page's inputs beyond the choice list: multiple choice, text, long text, note.

They are built here and mounted after the page's first frame (or at once when the first
question needs them): most questions are single choice, and these widgets cost a good part
of the page's start-up.
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Select, Static

from cse_screen.screening import SOURCE_LABELS
from cse_screen.tui.widgets.ordered_input import OrderedInput


def answer_inputs() -> list[Widget]:
    """The inputs of the question types other than single choice, hidden until one is shown."""
    # Imported here: these widget classes are not needed for the first frame.
    from cse_screen.tui.widgets.multi_choice import MultiChoiceList
    from cse_screen.tui.widgets.ordered_text_area import OrderedTextArea

    widgets: list[Widget] = [
        MultiChoiceList(id="multi"),
        OrderedInput(id="typed"),
        OrderedTextArea(id="long-text", soft_wrap=True, tab_behavior="focus"),
        Static("", id="answer-language-hint", classes="hint"),
    ]
    for widget in widgets:
        widget.display = False
    return widgets


def note_box() -> Vertical:
    """The note and its source for an answer, hidden until opened."""
    # Imported here: the note box is mounted after the first frame (see compose).
    from cse_screen.tui.widgets.ordered_text_area import OrderedTextArea

    box = Vertical(
        Label("Note (what you saw or were told)"),
        OrderedTextArea(id="note", soft_wrap=True, tab_behavior="focus"),
        Static("", id="language-hint", classes="hint"),
        Label("Where this came from"),
        Select[str]([(label, key) for key, label in SOURCE_LABELS.items()], prompt="Not said", id="source"),
        id="note-box",
    )
    box.display = False
    return box
