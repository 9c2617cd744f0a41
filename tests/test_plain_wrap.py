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


def test_colour_codes_take_no_room_and_each_row_keeps_its_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    # Found in use: at 80 columns the red danger lines broke a word early ("safe to do" /
    # "so."), because the colour codes were counted as if they were letters.
    monkeypatch.setenv("COLUMNS", "41")
    out = _Tty()
    term = Terminal(io.StringIO(), out, colour=True, echo=False)
    fits = "Then tell your DSL at once, in person." + "!"  # 39 letters: fits in 40
    term.say(term.style.alert(fits))
    assert out.getvalue() == f"\x1b[1;31m{fits}\x1b[0m\n"
    out.seek(0)
    out.truncate()
    term.say(term.style.bold(LINE))
    rows = out.getvalue().splitlines()
    assert len(rows) > 2
    for row in rows:
        assert row.startswith("\x1b[1m") and row.endswith("\x1b[0m")  # styled, and reset, per row
        assert len(row) - len("\x1b[1m\x1b[0m") <= 40
    assert " ".join(row[4:-4] for row in rows) == LINE


@pytest.mark.parametrize("marker", ["  - ", "   - ", "  7. "])
def test_a_list_item_continues_under_its_text(monkeypatch: pytest.MonkeyPatch, marker: str) -> None:
    monkeypatch.setenv("COLUMNS", "41")
    out = _Tty()
    Terminal(io.StringIO(), out, colour=False, echo=False).say(marker + LINE)
    first, *rest = out.getvalue().splitlines()
    assert first.startswith(marker) and rest
    assert all(row.startswith(" " * len(marker)) and row[len(marker)] != " " for row in rest)
    assert " ".join(row.strip() for row in [first[len(marker) :], *rest]) == LINE


def test_the_first_use_text_fits_80_columns_as_it_is_printed() -> None:
    from cse_screen.passphrase import FIRST_USE

    # Plain mode and the commands print it unchanged (the wizard reflows it to its dialog).
    assert max(len(line) for line in FIRST_USE.splitlines()) < 80
