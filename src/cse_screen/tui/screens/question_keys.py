"""The question page's keys, shared by the page and its light first frame.

:class:`~cse_screen.tui.screens.light_question.LightQuestionScreen` shows the same footer
as :class:`~cse_screen.tui.screens.question.QuestionScreen` before the latter can be
imported (it needs the questionnaire models), so the keys have one home here.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

QUESTION_KEYS: list[BindingType] = [
    Binding("ctrl+n", "next", "Next", tooltip="Save this answer and go to the next question"),
    Binding("ctrl+p", "back", "Back", tooltip="Go to the previous question"),
    Binding("f2", "toggle_guidance", "Guide"),
    Binding("f3", "note", "Note"),
    Binding("f4", "skip", "Skip"),
    Binding("f8", "jump", "Jump"),
    Binding("f9", "review", "Review"),
    # Out of the note (or its source) back to the answers: a digit typed next picks an
    # answer instead of landing in the note.
    Binding("escape", "to_answer", "Answers", show=False),
    # Tab is the only way from the note to its source: named in the footer there (and
    # acted on before keys typed after it), see cse_screen.tui.field_keys.
    Binding("tab", "note_field(1)", "Next field", key_display="Tab", priority=True),
    Binding("shift+tab", "note_field(-1)", "Previous field", show=False, priority=True),
]
"""The question page's bindings (the page's own ``check_action`` decides where Tab acts)."""
