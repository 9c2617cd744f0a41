"""Plain mode's idle lock: after a while without a line typed, the terminal is cleared.

With an encrypted store the passphrase unlocks (read without echo, checked against the
store's key record); without encryption typing ``unlock`` does, the deliberate restore
key of a line-by-line terminal. Autosave has saved every answer before each prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from cse_screen.plain.terminal import EndOfInput, read_secret
from cse_screen.session.idle import check_passphrase
from cse_screen.session.saving import SaveLink

BLANK = "\x1b[H\x1b[2J\x1b[3J"
"""Cursor home, clear the screen and the scrollback (what was on screen is gone)."""

LOCKED = "Locked after a while without use."


def make_lock(input: TextIO, output: TextIO, link: SaveLink | None) -> Callable[[], None]:
    """The function the terminal calls when the idle time is up."""

    def lock() -> None:
        output.write(BLANK + LOCKED + "\n")
        output.flush()
        store = link.store if link is not None else None
        while True:
            if store is not None and store.encryption == "on":
                try:
                    typed = read_secret(input, output, "Passphrase to unlock: ")
                except EOFError:
                    raise EndOfInput from None
                if check_passphrase(store.path, typed):
                    break
                output.write("That passphrase does not open your screenings.\n")
            else:
                output.write("Type unlock and press Enter: ")
                output.flush()
                line = input.readline()
                if line == "":
                    raise EndOfInput
                if line.strip().lower() == "unlock":
                    break
            output.flush()
        output.write(BLANK)
        output.flush()

    return lock
