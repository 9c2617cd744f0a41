"""Text inputs whose editing keys keep their place among the typed characters.

Textual inserts a typed character in the focused widget's own key handler, but runs a
bound key (backspace, delete, arrows, enter…) only after the key has bubbled up to the
app. When keys arrive in a burst — fast typing, a busy machine, a key sent by a script —
a character typed after a backspace can be inserted before the backspace runs: "19",
backspace, backspace, "14" came out as "11" in a real terminal, a wrong age recorded
without any sign (Textual issue #6605, not fixed in the pinned 8.2.8). These widgets run
their own bindings inside their key handler instead, so every key acts in the order typed.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input
from textual.widgets.input import Selection


async def run_own_binding(widget: Widget, event: events.Key) -> None:
    """Run the widget's own (non-priority) binding for a non-printable key at once.

    Priority bindings have already been checked by the app before a key reaches the
    focused widget, and the focused widget is the first place the app looks for a
    binding, so the same action runs as it would after bubbling — only without delay.
    """
    if event.is_printable:
        return  # the widget's own handler inserts it, in order
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if not binding.priority and await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()  # the base classes' key handlers must not act again
            return


class OrderedInput(Input):
    """A one-line :class:`~textual.widgets.Input` whose editing keys act in the order typed."""

    async def _on_key(self, event: events.Key) -> None:
        await run_own_binding(self, event)

    def select_for_correction(self) -> None:
        """Focus and select all the text, so the next key typed replaces it."""
        self.focus()
        self.selection = Selection(0, len(self.value))
