"""The export window in a real terminal: at 80×24 (and 100×30) nothing of it is cut off, a file
already there is kept unless the practitioner says otherwise, and success says where the
report went. The child is invented.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tmux_terminal import TMUX, Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

MINI = Path(__file__).parents[1] / "tui" / "mini-screening.yaml"
# The mini questionnaire's keys: age, danger no, disclosure no, online no, missing no,
# a source then next, the child's words left empty, "seen on" skipped, then the analysis.
ANSWERS: list[tuple[str, ...]] = [("2",), ("2",), ("4",), ("4",), ("1", "C-n"), ("C-n",), ("F4",)]


def _window_text(screen: str) -> str:
    """The export window's text, its lines joined (a long path may be folded across lines)."""
    inner = [line.split("█")[1] for line in screen.splitlines() if line.count("█") >= 2]
    return "".join(part.strip() for part in inner)


@pytest.mark.parametrize(("width", "height"), [(80, 24), (100, 30)])
def test_export_window_in_a_real_terminal(
    width: int, height: int, cse_screen_bin: Path, e2e_env: dict[str, str], tmp_path: Path
) -> None:
    if TMUX is None:
        pytest.skip("tmux is not installed")
    workdir = tmp_path / "tmux"
    workdir.mkdir()
    argv = [str(cse_screen_bin), "run", str(MINI), "--child-ref", "EX-05", "--practitioner", "Ali Tutor"]
    with Terminal(argv, e2e_env, workdir, width=width, height=height) as term:
        term.wait_for("How old", timeout=20)
        term.settle()
        term.type("14")
        term.send("Enter")
        for n, keys in enumerate(ANSWERS, start=2):
            term.wait_for(f"Question {n} of 9")
            term.settle()
            for key in keys:
                term.send(key)
                term.settle()
        term.wait_for("Question 9 of 9")
        term.settle()
        term.type("Invented analysis: nothing seen so far.")
        term.settle()
        term.send("C-n")
        term.wait_for("Review")
        term.settle()
        term.send("C-n")
        term.wait_for("f3 Export")
        term.settle()
        term.send("F3")
        screen = term.wait_for("Write report (enter)")
        screen = term.settle()
        # The whole window is on screen: its title, every field and both buttons.
        for text in (
            "Export a report for your DSL",
            "Format",
            "File",
            "Shared with",
            "Basis",
            "Cancel (escape)",
        ):
            assert text in screen, screen
        # A long folder scrolls in its box; the file's name, at the end, stays in sight.
        match = re.search(r"File\s+\S*?(screening-EX-05-[0-9-]+\.md)", screen)
        assert match is not None, screen
        offered = workdir / match.group(1)
        offered.write_text("an older report\n", encoding="utf-8")  # the name is taken

        term.send("Enter")  # from the format list: writes (here: asks first)
        screen = term.wait_for("A file with this name is already there")
        screen = term.settle()
        assert "Replace it" in screen and "Use a new name" in screen, screen
        assert "--force" not in screen, screen
        term.send("Enter")  # "Use a new name" has the focus: the safe answer
        screen = term.wait_for("Choose a new name")
        free = offered.with_name(offered.stem + "-2.md")
        assert re.search(rf"File\s+\S*{re.escape(free.name)}", screen), screen
        term.settle()
        term.send("Tab")  # the file → who receives it
        term.settle()
        term.type("Pat Lead (DSL)")
        term.settle()
        term.send("Tab")  # → the basis
        term.settle()
        term.send("Space")  # opens the list
        term.wait_for("With consent")
        term.settle()
        term.send("Down", "Down")
        term.settle()
        term.send("Enter")  # picks "With consent" (the list closes; nothing written yet)
        term.wait_gone("Other (give the reason)")
        assert not free.exists()
        term.settle()
        term.send("Enter")
        screen = term.wait_for("Close (enter)")
        screen = term.settle()
        said = _window_text(screen).replace(" ", "")  # the words and the path, however wrapped
        assert f"Reportsavedinthefolder{workdir},as{free.name}." in said, screen
        assert "special-category data" in screen and "securely." in screen, screen
        assert "Export a report for your DSL" in screen, screen  # still whole, title to buttons
        term.send("Enter")
        term.wait_gone("Close (enter)")
        term.settle()
        term.send("C-q")
    assert offered.read_text(encoding="utf-8") == "an older report\n"
    text = free.read_text(encoding="utf-8")
    assert "Shared with: Pat Lead (DSL)" in text
    assert "Basis for sharing: With consent (the child's, or a parent's or carer's)" in text
