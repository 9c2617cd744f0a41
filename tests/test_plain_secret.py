"""Plain mode's passphrase prompt in a real pseudo-terminal (``plain.terminal.read_secret``).

What is waiting when the prompt shows was typed while the terminal still echoed it, so it
is dropped and a note says so, without the text; what is typed once the prompt is up is
read, in order, and the lines after the passphrase stay queued for the next prompts.
"""

from __future__ import annotations

import io
import os
import pty
import select
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals only")

from cse_screen.plain.terminal import EARLY_TYPING, read_secret  # noqa: E402

EARLY = "typed-too-soon 4417"  # what a practitioner typed before the prompt (echoed)
SECRET = "lantern meadow copper"


@dataclass
class _Desk:
    """A pseudo-terminal: ``keys`` types into it, ``input`` is what the program reads."""

    master: int
    input: io.TextIOWrapper
    screen: bytes = b""
    output: io.StringIO = field(default_factory=io.StringIO)

    def keys(self, text: str) -> None:
        os.write(self.master, text.encode())

    def echoed(self, text: str) -> None:
        """Wait until the terminal has echoed ``text``: it is then queued for the program."""
        while text.encode() not in self.screen:
            ready, _, _ = select.select([self.master], [], [], 10)
            assert ready, f"the terminal did not echo {text!r}"
            self.screen += os.read(self.master, 4096)

    def unread(self) -> bytes:
        """What the terminal has shown so far and not yet read (echo happens as keys arrive)."""
        seen = b""
        while select.select([self.master], [], [], 0)[0]:
            seen += os.read(self.master, 4096)
        return seen


@pytest.fixture()
def desk() -> Iterator[_Desk]:
    master, slave = pty.openpty()
    reader = io.TextIOWrapper(io.FileIO(slave, "rb", closefd=True), encoding="utf-8")
    try:
        yield _Desk(master, reader)
    finally:
        reader.close()
        os.close(master)


def _ask_in_background(desk: _Desk, prompt: str, **kwargs: bool) -> tuple[threading.Thread, list[str]]:
    """Run ``read_secret`` in a thread (it waits for a line); its answer lands in the list."""
    got: list[str] = []
    prompted = threading.Event()

    class _Output(io.StringIO):
        def flush(self) -> None:
            if prompt in self.getvalue():
                prompted.set()

    desk.output = _Output()
    thread = threading.Thread(
        target=lambda: got.append(read_secret(desk.input, desk.output, prompt, **kwargs)), daemon=True
    )
    thread.start()
    assert prompted.wait(10), "the prompt was not shown"
    return thread, got


def test_a_line_typed_before_the_prompt_is_dropped_with_a_note_and_never_printed(desk: _Desk) -> None:
    desk.keys(EARLY + "\n")
    desk.echoed(EARLY)  # on screen: the terminal echoed it before any prompt existed
    thread, got = _ask_in_background(desk, "Passphrase: ")
    desk.keys(SECRET + "\n")
    thread.join(10)
    assert got == [SECRET]
    said = desk.output.getvalue()
    assert said.startswith(EARLY_TYPING) and said.endswith("Passphrase: \n")
    assert EARLY not in said
    assert SECRET.encode() not in desk.unread()  # typed at the prompt: not echoed


def test_half_a_line_typed_before_the_prompt_is_dropped_too(desk: _Desk) -> None:
    # A terminal in line mode reports only whole lines as waiting; the start of a
    # passphrase typed before its prompt was echoed all the same.
    desk.keys("lantern ")
    desk.echoed("lantern ")
    thread, got = _ask_in_background(desk, "Passphrase: ")
    desk.keys(SECRET + "\n")
    thread.join(10)
    assert got == [SECRET]
    assert desk.output.getvalue().startswith(EARLY_TYPING)


def test_nothing_waiting_means_no_note(desk: _Desk) -> None:
    thread, got = _ask_in_background(desk, "Passphrase: ")
    desk.keys(SECRET + "\n")
    thread.join(10)
    assert got == [SECRET]
    assert desk.output.getvalue() == "Passphrase: \n"


def test_answers_typed_after_the_passphrase_stay_queued_in_order(desk: _Desk) -> None:
    thread, got = _ask_in_background(desk, "Passphrase: ")
    desk.keys(SECRET + "\n12\n2\n")  # typed once the prompt is up, straight on
    thread.join(10)
    assert got == [SECRET]
    assert [desk.input.readline(), desk.input.readline()] == ["12\n", "2\n"]


def test_a_confirmation_keeps_what_was_typed_at_the_prompt_before_it(desk: _Desk) -> None:
    thread, got = _ask_in_background(desk, "New passphrase: ")
    desk.keys(SECRET + "\n" + SECRET + "\n")  # both typed at the first prompt, not echoed
    thread.join(10)
    thread, again = _ask_in_background(desk, "Type it again: ", keep_waiting=True)
    thread.join(10)
    assert got == again == [SECRET]
    assert EARLY_TYPING not in desk.output.getvalue()
