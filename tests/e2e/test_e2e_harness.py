"""The terminal harness itself: it must see what a program prints and report exits."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from tmux_terminal import Terminal, TerminalTimeout

pytestmark = pytest.mark.e2e


def test_terminal_sees_output_size_and_exit(terminal: Callable[[Sequence[str]], Terminal]) -> None:
    code = (
        "import os, shutil, sys\n"
        "print('size', *shutil.get_terminal_size(), os.environ['TERM'], sys.stdin.isatty())\n"
        "line = input('name? ')\n"
        "print('hello', line)\n"
        "sys.exit(3)\n"
    )
    term = terminal([sys.executable, "-c", code])
    assert "size 100 30 xterm-256color True" in term.wait_for("name?")
    term.type("Invented Child A")
    term.send("Enter")
    assert "hello Invented Child A" in term.wait_for("hello")
    assert term.wait_exit() == 3


def test_wait_for_times_out_with_the_screen(terminal: Callable[[Sequence[str]], Terminal]) -> None:
    term = terminal([sys.executable, "-c", "print('only this'); import time; time.sleep(30)"])
    term.wait_for("only this")
    with pytest.raises(TerminalTimeout, match="only this"):
        term.wait_for("never shown", timeout=0.3)


def test_cli_version_in_a_real_terminal(
    terminal: Callable[[Sequence[str]], Terminal], cse_screen_bin: Path
) -> None:
    term = terminal([str(cse_screen_bin), "--version"])
    assert term.wait_exit() == 0
    assert "cse-screen 0.1.0" in term.transcript()
