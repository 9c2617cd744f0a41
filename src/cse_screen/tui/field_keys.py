"""Tab and shift+tab between the fields of a form, shown in the footer and acted on at once.

Textual binds Tab on every screen, but hides it from the footer and runs it only after the
key has bubbled up from the focused field. Where Tab is the only key that reaches the next
field (the start details, the judgement, the export window…) the footer must say so, and
keys typed in a burst right after Tab must land in the field Tab reached: with the
ordinary binding, "AB" Tab "Jo" sent together put "ABJo" in the first field, because the
app hands each key to the field focused *when the key arrives*, before the Tab has run.

These bindings are priority bindings: the app runs them as each key arrives, before it
hands the next key to a field, so the focus has moved by the time "J" is handed on.
"""

from __future__ import annotations

from typing import Final

from textual.binding import Binding, BindingType

FIELD_KEYS: Final[tuple[BindingType, ...]] = (
    Binding("tab", "app.focus_next", "Next field", key_display="Tab", priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
)
"""Add to the ``BINDINGS`` of a screen whose fields are reached only with Tab."""
