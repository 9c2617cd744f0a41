"""Plain mode breaks long lines between words at a terminal, and never when piped."""

from __future__ import annotations

import io

import pytest

from cse_screen.plain.terminal import Terminal

LINE = "A screening supports your judgement, not a verdict. If a child is in immediate danger, call 999."


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_at_a_terminal_long_lines_break_between_words_and_keep_their_indent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "41")
    for indent in ("", "   "):
        out = _Tty()
        Terminal(io.StringIO(), out, colour=False, echo=False).say(indent + LINE)
        lines = out.getvalue().splitlines()
        assert len(lines) > 2 and all(len(line) <= 40 for line in lines)
        assert " ".join(line.strip() for line in lines) == LINE  # no word split, nothing lost
        assert all(line.startswith(indent) for line in lines)


def test_piped_output_keeps_whole_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "41")
    out = io.StringIO()
    Terminal(io.StringIO(), out, colour=False, echo=False).say(LINE)
    assert out.getvalue() == LINE + "\n"
