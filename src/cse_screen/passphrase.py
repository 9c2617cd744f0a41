"""Asking for the store's passphrase at a terminal (commands and plain mode).

The passphrase is read from the terminal itself (``/dev/tty`` via :mod:`getpass`, never
echoed), so it never appears in argv, shell history or a pipe. Automation names a private
file in ``$CSE_SCREEN_PASSPHRASE_FILE`` instead (:mod:`cse_screen.store.crypt`), which wins
when set. The full-screen wizard asks on its own screen (``tui/screens/unlock.py``) and
hands the result over as a :class:`GivenSource`.

Only the standard library is imported here: ``--help`` and ``list`` stay fast.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from cse_screen.errors import UserError

if TYPE_CHECKING:
    from cse_screen.store.crypt import PassphraseSource

MIN_CHARS = 8
"""Shortest passphrase accepted (the store checks this too: :data:`crypt.MIN_PASSPHRASE_CHARS`)."""

NO_ENCRYPTION = "no encryption"
"""What a person types (twice) to leave a new store unencrypted."""

# Lines of at most 76 characters: printed as they are at a terminal (80 columns).
FIRST_USE = f"""\
Screenings are about children, so cse-screen keeps them encrypted on this
computer. Choose a passphrase (at least {MIN_CHARS} characters; a few
unrelated words are easy to type and hard to guess). You will be asked for
it each time you open your screenings.

If you forget it, the screenings cannot be opened by anyone — not by you,
not by IT — unless a recovery key is set up: once your DSL's key is in your
contacts (see `cse-screen contacts`), `cse-screen passphrase --add-recovery`
lets the DSL recover them.

Only on a computer whose whole disk is already encrypted may you type
"{NO_ENCRYPTION}" instead; that choice is recorded and shown by
`cse-screen list`.
"""


class PassphraseCancelled(UserError):
    """The person stopped at the passphrase prompt; nothing was opened or written."""


def _ask(prompt: str, stream: TextIO | None, read: Callable[[str], str] | None = None) -> str:
    try:
        return getpass.getpass(prompt, stream=stream) if read is None else read(prompt)
    except (EOFError, KeyboardInterrupt):
        raise PassphraseCancelled("no passphrase given — nothing was opened or changed") from None


@dataclass
class TerminalSource:
    """Asks at the terminal: once to open, twice (to confirm) to choose.

    A command that opens the store twice (``report`` reads, then notes the export) asks
    once: the last passphrase typed is tried first, and asked again only if it fails.
    """

    stream: TextIO | None = None
    """Where prompts go (None: the terminal, as :func:`getpass.getpass` chooses)."""
    read: Callable[[str], str] | None = None
    """Reads one line without echo after showing the prompt (None: :func:`getpass.getpass`,
    which discards what was typed ahead; plain mode reads in order: ``plain.terminal``)."""
    read_again: Callable[[str], str] | None = None
    """Reads the confirmation asked straight after ``read`` (None: ``read``)."""
    interactive: bool = field(default=True, init=False)
    _last: str | None = field(default=None, init=False, repr=False)
    _cached: bool = field(default=False, init=False, repr=False)

    def _say(self, text: str) -> None:
        out = self.stream or sys.stderr
        out.write(text)
        out.flush()

    def _again(self) -> Callable[[str], str] | None:
        return self.read_again or self.read

    def existing(self, path: Path, retry: bool) -> str:
        """The passphrase to open ``path`` (says so when the last one was wrong)."""
        if not retry and self._last is not None:
            self._cached = True
            return self._last
        if retry and not self._cached:
            self._say("That passphrase does not open your screenings. Try again (it is case-sensitive).\n")
        self._cached = False
        self._last = _ask("Passphrase for your screenings: ", self.stream, self.read)
        return self._last

    def new(self, path: Path) -> str | None:
        """A passphrase chosen (typed twice), or None for the recorded opt-out."""
        self._say(FIRST_USE)
        return self.choose(opt_out=True)

    def choose(self, *, opt_out: bool = False) -> str | None:
        """Ask for a new passphrase twice until both match (``opt_out``: accept the opt-out words)."""
        while True:
            first = _ask("New passphrase: ", self.stream, self.read)
            if opt_out and first.strip().lower() == NO_ENCRYPTION:
                again = _ask(f'Type "{NO_ENCRYPTION}" again to confirm: ', self.stream, self._again())
                if again.strip().lower() == NO_ENCRYPTION:
                    return None
                self._say("Those did not match; let us start again.\n")
                continue
            if len(first) < MIN_CHARS:
                self._say(f"Please use at least {MIN_CHARS} characters.\n")
                continue
            if _ask("Type it again: ", self.stream, self._again()) == first:
                self._last = first
                return first
            self._say("Those did not match; let us start again.\n")


@dataclass(frozen=True)
class GivenSource:
    """A passphrase already asked for (the wizard's unlock screen); ``None`` chooses the opt-out."""

    passphrase: str | None
    interactive: bool = False

    def existing(self, path: Path, retry: bool) -> str:
        """The passphrase given."""
        if self.passphrase is None:
            raise PassphraseCancelled("no passphrase given — nothing was opened or changed")
        return self.passphrase

    def new(self, path: Path) -> str | None:
        """The passphrase given, or None for the opt-out."""
        return self.passphrase


def _has_terminal() -> bool:
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return sys.stdin.isatty()
    os.close(fd)
    return True


PASSPHRASE_FILE_ENV = "CSE_SCREEN_PASSPHRASE_FILE"
"""Same name as :data:`cse_screen.store.probe.PASSPHRASE_FILE_ENV` (not imported: this module stays light)."""


def for_terminal() -> PassphraseSource | None:
    """The source for a command run by a person: the terminal, unless a passphrase file is
    named in the environment (None: the store then reads that file), or there is no
    terminal (None: the store says how to give one)."""
    global _terminal
    if os.environ.get(PASSPHRASE_FILE_ENV):
        return None
    if _terminal is None and _has_terminal():
        _terminal = TerminalSource()
    return _terminal


_terminal: TerminalSource | None = None
