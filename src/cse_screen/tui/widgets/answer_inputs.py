"""The question page's inputs beyond the choice list: multiple choice, text, long text, note.

They are built here and mounted after the page's first frame (or at once when the first
question needs them): most questions are single choice, and these widgets cost a good part
of the page's start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Select, Static

from cse_screen.screening import SOURCE_LABELS
from cse_screen.tui.widgets.ordered_input import OrderedInput

INPUTS = ("multi", "typed", "long-text", "answer-language-hint")
"""Ids of the inputs beyond the choice list, in page order (the hint follows the text inputs)."""
NOTE_BOX = "note-box"
EVERY_INPUT = frozenset((*INPUTS, NOTE_BOX))


def answer_inputs(ids: Collection[str] = INPUTS) -> list[Widget]:
    """The inputs of the question types other than single choice, hidden until one is shown.

    Args:
        ids: Which of :data:`INPUTS` to build (a page mounts only what its question needs).
    """
    # Imported here: these widget classes are not needed for the first frame.
    from cse_screen.tui.widgets.multi_choice import MultiChoiceList
    from cse_screen.tui.widgets.ordered_text_area import OrderedTextArea

    build: dict[str, Callable[[], Widget]] = {
        "multi": lambda: MultiChoiceList(id="multi"),
        "typed": lambda: OrderedInput(id="typed"),
        "long-text": lambda: OrderedTextArea(id="long-text", soft_wrap=True, tab_behavior="focus"),
        "answer-language-hint": lambda: Static("", id="answer-language-hint", classes="hint"),
    }
    widgets = [build[i]() for i in INPUTS if i in ids]
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
