"""A whole screening typed into the real, installed ``cse-screen`` in a real terminal.

Keys are sent as a person would: read the screen, answer what is asked ("No" where it is
offered, else "Not known"; skip optional free text), reach the result, export a report.
The level on screen must match the engine's evaluation of what the store recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from tmux_terminal import Terminal

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.scoring import evaluate

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]

PROGRESS = re.compile(r"Question (\d+) of (\d+)")
CHILD = "ZZ-01"  # an invented child


def _next_question(last: str, or_text: str) -> re.Pattern[str]:
    """The end text, or a "Question n of" whose n is not ``last`` (the page has moved on)."""
    avoid = rf"(?!{last}\b)" if last else ""
    return re.compile(rf"{re.escape(or_text)}|Question {avoid}\d+ of")


def _level_labels() -> list[str]:
    return [lv.label for lv in load_questionnaire(bundled_path("cse-screening")).questionnaire.levels]


def _stored_level_label(data_dir: Path) -> str:
    from cse_screen.store import Store

    with Store.open(data_dir) as store:
        [summary] = store.list()
        stored = store.load(summary.id)
    result = evaluate(stored.loaded.questionnaire, stored.screening, sha256=stored.loaded.sha256)
    assert stored.screening.meta.child_ref == CHILD
    assert stored.screening.value("age") == 14
    return result.level_label


def test_wizard_screening_by_keystrokes_to_markdown_report(
    terminal: Callable[[Sequence[str]], Terminal],
    cse_screen_bin: Path,
    tmp_path: Path,
    e2e_env: dict[str, str],
) -> None:
    term = terminal([str(cse_screen_bin)])
    term.wait_for("Start screening", timeout=20)
    for i, text in enumerate((CHILD, "Sam Example", "Form tutor")):
        if i:
            term.send("Tab")
            term.settle()
        term.type(text)
        term.wait_for(text)
    term.send("C-n")

    last = ""
    for _ in range(80):
        screen = term.wait_for(_next_question(last, "Review your answers"), 10)
        if "Review your answers" in screen:
            break
        screen = term.settle()
        match = PROGRESS.search(screen)
        assert match is not None, screen
        last = match.group(1)
        options = {label: digit for digit, label in re.findall(r"(\d)  (No|Not known)\b", screen)}
        if "How old" in screen:
            term.type("14")
            term.send("Enter")
        elif options:
            term.type(options.get("No", options.get("Not known", "")))
        elif "(required)" in screen:
            term.type("Invented analysis: nothing seen so far.")
            term.settle()
            term.send("C-n")
        else:
            term.send("F4")  # optional free text or multi-choice: skip
    else:
        pytest.fail("never reached the review")

    term.settle()
    term.send("C-n")
    labels = _level_labels()
    screen = term.wait_for(re.compile("|".join(re.escape(label) for label in labels)), timeout=10)
    shown = [label for label in labels if label in screen]
    expected = _stored_level_label(Path(e2e_env["CSE_SCREEN_DATA_DIR"]))
    assert expected in shown, screen

    term.send("F3")
    term.wait_for("Write report", timeout=10)
    term.settle()
    term.send("Tab")  # from the format (Markdown is chosen) to the file path, as suggested
    term.settle()
    term.send("Enter")
    reports = _wait_for_file(term.workdir, "*.md", term)
    text = reports.read_text(encoding="utf-8")
    assert expected in text
    assert "ZZ" in text
    assert "999" in text
    assert oct(reports.stat().st_mode & 0o777) == "0o600"


def _wait_for_file(folder: Path, pattern: str, term: Terminal) -> Path:
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = sorted(folder.rglob(pattern))
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no {pattern} report written. Screen:\n{term.screen()}")


def test_plain_mode_screening_in_a_terminal(
    terminal: Callable[[Sequence[str]], Terminal],
    cse_screen_bin: Path,
    tmp_path: Path,
    e2e_env: dict[str, str],
) -> None:
    term = terminal([str(cse_screen_bin), "run", "--plain"])
    term.wait_for("Child's initials", timeout=20)
    for text in (CHILD, "Sam Example", "Form tutor"):
        term.type(text)
        term.send("Enter")
    term.wait_for("Question 1 of")
    # The transcript scrolls, so look only below the last prompt the program printed.
    last = ""
    for _ in range(80):
        screen = term.wait_for(_next_question(last, "Press Enter to see the result"))
        tail = screen[screen.rfind("Question ") :] if "Press Enter to see" not in screen else ""
        if not tail:
            break
        term.settle(quiet=0.05)
        screen = term.screen()
        tail = screen[screen.rfind("Question ") :]
        match = PROGRESS.search(tail)
        assert match is not None
        last = match.group(1)
        options = {label: digit for digit, label in re.findall(r"(\d+)\. (No|Not known)\n", tail)}
        if "How old" in tail:
            term.type("14")
        elif options:
            term.type(options.get("No", options.get("Not known", "")))
        elif "(required)" in tail:
            term.type("Invented analysis: nothing seen so far.")
            term.send("Enter")
            term.type(".")
        else:
            term.type("s")
        term.send("Enter")
    else:
        pytest.fail("never reached the review")
    term.send("Enter")  # see the result
    term.wait_for("professional judgement")
    expected = _stored_level_label(Path(e2e_env["CSE_SCREEN_DATA_DIR"]))
    assert expected in term.transcript()
    term.type("n")
    term.send("Enter")
    term.wait_for("Format number")
    term.type("1")
    term.send("Enter")
    term.wait_for("Save as")
    term.type(str(tmp_path / "plain-report.md"))
    term.send("Enter")
    term.wait_for("Shared with")
    term.send("Enter")
    assert term.wait_exit(timeout=20) == 0
    text = (tmp_path / "plain-report.md").read_text(encoding="utf-8")
    assert expected in text
    assert "Screening finished." in term.transcript()
