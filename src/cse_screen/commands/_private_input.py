"""Reading a child's reference or a name without putting it on the command line.

A value typed as an argument (``--child AB12``) is kept in the shell's history file and is
visible to every user of the machine in ``ps`` and ``/proc/PID/cmdline`` while the command
runs. Giving ``-`` instead asks for it at a prompt (on a terminal) or reads it from
standard input (in a script: ``printf 'AB12\\n' | cse-screen list --child -``), so it never
leaves this program.
"""

from __future__ import annotations

import sys

from cse_screen.errors import UserError

ASK = "-"
"""The argument value meaning "ask me (or read standard input) instead"."""


def one(value: str | None, what: str) -> str | None:
    """``value`` itself, or, when it is ``-``, one line asked for or read from standard input.

    Raises:
        UserError: standard input ended before a value was given.
    """
    if value != ASK:
        return value
    if sys.stdin.isatty():
        try:
            line = input(f"{what}: ")
        except EOFError:
            line = ""
    else:
        line = sys.stdin.readline()
    line = line.strip()
    if not line:
        raise UserError(f"{what}: nothing given — type it at the prompt, or pipe one line into the command")
    return line


def many(values: list[str], what: str) -> list[str]:
    """``values`` with each ``-`` replaced by names asked for (one per line, empty line ends)
    or read from standard input (one per line, until it ends)."""
    if ASK not in values:
        return values
    given = [v for v in values if v != ASK]
    if sys.stdin.isatty():
        while True:
            try:
                line = input(f"{what} (empty line to finish): ").strip()
            except EOFError:
                break
            if not line:
                break
            given.append(line)
    else:
        given.extend(line.strip() for line in sys.stdin if line.strip())
    return given
