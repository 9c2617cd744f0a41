"""Plain mode's terminal: lines out, lines in, optional ANSI styling, nothing else."""

from __future__ import annotations

import os
import re
import select
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from cse_screen.inert import neutralise
from cse_screen.passphrase import PASSPHRASE_FILE_ENV, TerminalSource, for_terminal

if TYPE_CHECKING:
    from cse_screen.store.crypt import PassphraseSource

__all__ = [
    "EARLY_TYPING",
    "EndOfInput",
    "Quit",
    "Style",
    "Terminal",
    "passphrase_source",
    "read_secret",
    "use_colour",
]


class EndOfInput(Exception):
    """The input ran out (EOF): save what there is and stop."""


class Quit(Exception):
    """The practitioner typed ``q``."""


# The only escape sequences plain mode writes itself: Style's SGR codes below.
_OUR_SGR = re.compile(r"(\x1b\[(?:0|1|2|1;31)m)")
_STYLED = re.compile(r"(\x1b\[(?:1|2|1;31)m)([^\x1b]*)(\x1b\[0m)")
"""A whole line in one of Style's colours (what Style writes): code, text, reset."""
_ITEM = re.compile(r" *(?:(?:[-•*]|\d+\.) +)?")
"""A line's indent and list marker: its continuation rows start under the text after them."""


def _inert(text: str) -> str:
    """``text`` with every control sequence made visible, except Style's own colour codes.

    Questions, titles, steps and guidance come from a questionnaire file, and notes from
    a person: an OSC or CSI sequence in any of them must be shown, never acted on (it could
    retitle the terminal, write the clipboard or overwrite a line). This is the one place
    plain mode's output passes through, so nothing can skip it.
    """
    parts = _OUR_SGR.split(text)
    return "".join(part if i % 2 else neutralise(part) for i, part in enumerate(parts))


@dataclass(frozen=True, slots=True)
class Style:
    """ANSI styling, or none at all (pipes, screen readers, ``NO_COLOR``)."""

    enabled: bool

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        """Bold text."""
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        """Dim text (hints)."""
        return self._wrap("2", text)

    def alert(self, text: str) -> str:
        """Bold red text (danger), never the only sign: the words say it too."""
        return self._wrap("1;31", text)


def use_colour(output: TextIO) -> bool:
    """Colour only on a terminal and only when ``NO_COLOR`` is not set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    return output.isatty()


class Terminal:
    """Where plain mode prints and reads.

    Args:
        input: Where typed lines come from.
        output: Where prompts and results go.
        colour: Force colour on or off; None decides from ``output`` and ``NO_COLOR``.
        echo: Repeat each typed line to ``output``; None: only when ``input`` is not a terminal.
    """

    def __init__(self, input: TextIO, output: TextIO, *, colour: bool | None, echo: bool | None) -> None:
        self._in = input
        self._out = output
        self.style = Style(use_colour(output) if colour is None else colour)
        self.echo = (not input.isatty()) if echo is None else echo
        self.idle: tuple[float, Callable[[], None]] | None = None
        """The idle lock (seconds, lock): at a terminal, ``lock`` runs when no line came in time."""

    def say(self, text: str = "") -> None:
        """Print a line (made inert: see :func:`_inert`), broken at spaces to fit a terminal."""
        self._out.write(self._fit(_inert(text)) + "\n")

    def _fit(self, text: str) -> str:
        """``text`` broken between words to the terminal's width; unchanged when not a terminal.

        A terminal would otherwise break long lines mid-word ("immed" / "iate"), which reads
        badly and splits words for a screen reader reading the rows. Pipes and files get whole
        lines, as scripts expect. A continuation keeps the line's indent, and lines up under
        the text of a list item ("  - ", "  1. "). Style's colour codes take no room on
        screen, so they are not counted: a styled line is broken where a plain one is, and
        each of its rows is styled (and reset) on its own.
        """
        if not self._out.isatty():
            return text
        width = max(shutil.get_terminal_size().columns - 1, 20)
        out: list[str] = []
        for line in text.split("\n"):
            style = _STYLED.fullmatch(line)
            start, body, end = style.groups() if style else ("", line, "")
            if len(body) <= width:
                out.append(line)
                continue
            item = _ITEM.match(body)
            assert item is not None  # the pattern matches any line
            rows = textwrap.wrap(
                body,
                width,
                subsequent_indent=" " * item.end(),
                break_long_words=False,
                break_on_hyphens=False,
                drop_whitespace=True,
            ) or [body]
            out.extend(start + row + end for row in rows)
        return "\n".join(out)

    def ask(self, prompt: str) -> str:
        """Prompt and read one line (without its newline).

        Raises:
            EndOfInput: the input has ended.
        """
        self._out.write(_inert(prompt))
        self._out.flush()
        if self.idle is not None and self._in.isatty():
            seconds, lock = self.idle
            while not select.select([self._in], [], [], seconds)[0]:
                lock()  # blanks and returns once unlocked; then the question is asked again
                self._out.write(_inert(prompt))
                self._out.flush()
        line = self._in.readline()
        if line == "":
            raise EndOfInput
        line = line.rstrip("\r\n")
        if self.echo:
            # Piped input is not shown by a terminal: echo it so the transcript reads in order.
            self._out.write(_inert(line) + "\n")
        return line

    def ask_lines(self, first: str | None = None) -> str:
        """Read several lines up to a line holding only ``.`` (``first`` is a line already read)."""
        lines: list[str] = [] if first is None else [first]
        if first is not None and first.strip() == ".":
            return ""
        while True:
            line = self.ask("  | ")
            if line.strip() == ".":
                return "\n".join(lines)
            lines.append(line)


EARLY_TYPING = (
    "\n"
    "What you typed before this prompt appeared was not used: until the prompt\n"
    "is up, typing shows on screen. Type your passphrase now; it is not shown.\n"
)
"""Said when input was waiting at a passphrase prompt and was thrown away (never the text)."""


def _drop_waiting(fd: int, quiet: list[Any]) -> bool:
    """Throw away whatever is waiting on the terminal ``fd``; True when there was something.

    The terminal echoed it as it was typed, before the prompt turned echo off, so a
    passphrase in it has been on screen. A half-typed line counts too, but a terminal in
    line mode reports only whole lines: for the moment of asking, line mode is turned off
    (``quiet`` without ``ICANON``), so that every byte waiting is counted. Switching back
    would join waiting lines into one, which does not matter: anything waiting is dropped.
    """
    import fcntl
    import struct
    import termios

    raw = list(quiet)
    raw[3] &= ~termios.ICANON
    termios.tcsetattr(fd, termios.TCSANOW, raw)
    try:
        waiting = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
        if waiting:
            termios.tcflush(fd, termios.TCIFLUSH)
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
    return bool(waiting)


def read_secret(input: TextIO, output: TextIO, prompt: str, *, keep_waiting: bool = False) -> str:
    """Show ``prompt`` and read one line from the terminal ``input`` without echoing it.

    Whatever was already waiting when the prompt is shown was typed while the terminal
    still echoed it, so a passphrase typed before its prompt has been on screen: it is
    thrown away, never used, and :data:`EARLY_TYPING` says so (without the text). Lines
    typed once the prompt is up are not echoed and are kept, in order: the passphrase for
    this prompt, then answers typed ahead for the prompts after it. Unlike
    :func:`getpass.getpass`, this opens no second reader on the terminal, so nothing
    typed after the prompt is lost. ``input`` must be a terminal.

    Args:
        input: The terminal typed lines come from.
        output: Where the prompt (and the note) go.
        prompt: The prompt.
        keep_waiting: A confirmation asked straight after another secret ("Type it
            again"): what is waiting was typed while echo was off, so it is kept.

    Raises:
        EOFError: the input has ended.
    """
    import termios  # POSIX only: passphrase_source uses this function only there

    fd = input.fileno()
    before = termios.tcgetattr(fd)
    quiet = list(before)
    quiet[3] &= ~termios.ECHO
    # Echo goes off before the prompt shows, so a passphrase typed at the prompt is never
    # echoed; TCSANOW, not TCSAFLUSH: what is waiting is dropped only when it is there to
    # say so, and a line typed after the prompt is never dropped.
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    try:
        if not keep_waiting and _drop_waiting(fd, quiet):
            output.write(EARLY_TYPING)
        output.write(_inert(prompt))
        output.flush()
        line = input.readline()
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, before)
        output.write("\n")
        output.flush()
    if line == "":
        raise EOFError
    return line.rstrip("\r\n")


def passphrase_source(input: TextIO, output: TextIO) -> PassphraseSource | None:
    """Where plain mode gets the store's passphrase from.

    At a terminal it is read from ``input`` itself (:func:`read_secret`), so that the
    passphrase prompt is one more line in order: what was typed before it shows is
    dropped (it was on screen), answers typed after the passphrase survive it. With piped
    answers the passphrase still comes from the terminal (``/dev/tty``), never the pipe;
    a passphrase file in the environment wins, as for every command.
    """
    if os.name == "posix" and input.isatty() and not os.environ.get(PASSPHRASE_FILE_ENV):
        return TerminalSource(
            stream=output,
            read=lambda prompt: read_secret(input, output, prompt),
            read_again=lambda prompt: read_secret(input, output, prompt, keep_waiting=True),
        )
    return for_terminal()
