"""The wizard's passphrase screen: open an encrypted store, or choose a passphrase for a new one.

The wizard owns the terminal, so it cannot ask the way plain mode does; this screen asks,
and :func:`cse_screen.session.unlock.unlock` opens the store (argon2id takes a moment, so
on a worker thread). The same screen unlocks after the idle lock.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cse_screen.passphrase import FIRST_USE, MIN_CHARS, NO_ENCRYPTION
from cse_screen.session.saving import SaveLink
from cse_screen.session.unlock import Need, unlock
from cse_screen.tui.field_keys import FIELD_KEYS
from cse_screen.tui.widgets.ordered_input import OrderedInput


class UnlockScreen(ModalScreen[bool]):
    """Asks for the passphrase (``locked``) or for a new one, twice (``new``).

    Dismissed with True once the store is open (or cannot be used for another reason,
    which the save line then shows, as before). ctrl+q still quits.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear", show=False),
        # Tab, shift+tab and the enter that leaves the first box act as each key arrives
        # (priority bindings, see cse_screen.tui.field_keys), so "pass", Tab, "pass", enter
        # typed in one burst puts each word in its own box. The enter in the second box
        # stays with the box, which submits only after the keys typed before it.
        *FIELD_KEYS,
        Binding("enter", "second_box", show=False, priority=True),
    ]

    def __init__(self, link: SaveLink, need: Need) -> None:
        super().__init__()
        self.link = link
        self.need = need

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall" if self.need == "new" else "dialog", id="unlock"):
            if self.need == "new":
                yield Static("Choose a passphrase", classes="dialog-title")
                # The explanation fits whole at 80×24; on a smaller terminal it scrolls and
                # the two boxes below it stay on screen.
                with VerticalScroll(id="unlock-explain"):
                    yield Static(_reflowed(FIRST_USE))
                yield OrderedInput(password=True, placeholder="New passphrase", id="first")
                yield OrderedInput(password=True, placeholder="Type it again", id="again")
            else:
                yield Static("Your screenings are locked", classes="dialog-title")
                yield Static("Type your passphrase and press Enter. (ctrl+q quits.)")
                yield OrderedInput(password=True, placeholder="Passphrase", id="first")
            yield Static("", id="unlock-message")

    def on_mount(self) -> None:
        self.query_one("#first", Input).focus()

    def _say(self, text: str) -> None:
        self.query_one("#unlock-message", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter moves on only from the first of the two new boxes; elsewhere the box submits."""
        if action == "second_box":
            focused = self.focused
            return self.need == "new" and focused is not None and focused.id == "first"
        return True

    def action_second_box(self) -> None:
        """Go to the second box at once, before the keys typed after enter are handed on."""
        # set_focus, not Widget.focus(): that one moves the focus only after the keys
        # already waiting, which would hand them to the first box.
        self.set_focus(self.query_one("#again", Input))

    def action_clear(self) -> None:
        """Start typing again."""
        for box in self.query(Input):
            box.value = ""
        self.query_one("#first", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        first = self.query_one("#first", Input).value
        if self.need != "new":
            self._try(first)
            return
        again = self.query_one("#again", Input).value
        if first != again:
            self._say("Those did not match; type the passphrase in both boxes again.")
            self.action_clear()
            return
        if first.strip().lower() == NO_ENCRYPTION:
            self._try(None)
        elif len(first) < MIN_CHARS:
            self._say(f"Please use at least {MIN_CHARS} characters.")
            self.action_clear()
        else:
            self._try(first)

    def _try(self, passphrase: str | None) -> None:
        self._say("Opening…")
        for box in self.query(Input):
            box.disabled = True
        self._open(passphrase)

    @work(thread=True, exclusive=True)
    def _open(self, passphrase: str | None) -> None:
        problem = unlock(self.link, passphrase)
        self.app.call_from_thread(self._opened, problem)

    def _opened(self, problem: str | None) -> None:
        if problem is None:
            self.dismiss(True)
            return
        for box in self.query(Input):
            box.disabled = False
        self._say("That passphrase does not open your screenings. Try again (it is case-sensitive).")
        self.action_clear()


def _reflowed(text: str) -> str:
    """``text`` with its source line breaks joined, so the dialog wraps it to its own width."""
    return "\n\n".join(" ".join(part.split()) for part in text.strip().split("\n\n"))
