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
PLAIN_PROMPT = re.compile(r"^>(?: |$)", re.M)
"""Plain mode's question prompt (what was typed follows on the same line)."""
LONG_TEXT_PROMPT = re.compile(r"^  \|(?: |$)", re.M)
REVIEW_PROMPT = "Press Enter to see the result"
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
    term.wait_for("^n Start", timeout=20)  # the footer: the whole start screen is there
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
    assert "Report saved in the folder" in term.wait_for("Report saved in the folder"), term.screen()
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
    # Every key is typed only once its prompt is on screen (nothing is typed ahead).
    for prompt, text in (
        ("Child reference (initials", CHILD),
        ("Your name [", "Sam Example"),
        ("Your role [", "Form tutor"),
    ):
        term.wait_transcript(_at_prompt(prompt), prompt, timeout=20)
        term.type(text)
        term.send("Enter")
    # Each question ends with the prompt "> " at the start of a line. Waiting for one more
    # prompt than were answered means the next question has been printed in full: under
    # load, a screen that still shows the previous question is never mistaken for it.
    for answered in range(80):
        transcript = term.wait_transcript(
            lambda t, n=answered: len(PLAIN_PROMPT.findall(t)) > n or REVIEW_PROMPT in t,
            f"question prompt number {answered + 1}",
        )
        if REVIEW_PROMPT in transcript:
            break
        prompts = list(PLAIN_PROMPT.finditer(transcript))
        start = prompts[answered - 1].end() if answered else 0
        block = transcript[start : prompts[answered].start()]
        assert PROGRESS.search(block) is not None, block
        options = {label: digit for digit, label in re.findall(r"^ +(\d+)\. (No|Not known)$", block, re.M)}
        if "How old" in block:
            term.type("14")
        elif options:
            term.type(options.get("No", options.get("Not known", "")))
        elif "(required)" in block:
            term.type("Invented analysis: nothing seen so far.")
            term.send("Enter")
            term.wait_transcript(lambda t: LONG_TEXT_PROMPT.search(t) is not None, "the next-line prompt")
            term.type(".")
        else:
            term.type("s")
        term.send("Enter")
    else:
        pytest.fail("never reached the review")
    term.send("Enter")  # see the result
    judgement = "Do you want to change the level"
    transcript = term.wait_transcript(_at_prompt(judgement), judgement)
    expected = _stored_level_label(Path(e2e_env["CSE_SCREEN_DATA_DIR"]))
    assert expected in transcript
    term.wait_transcript(_at_prompt(judgement), judgement)
    term.type("n")
    term.send("Enter")
    # Nothing is locked until the practitioner says so, as in the wizard.
    lock = "y to complete and lock it"
    term.wait_transcript(_at_prompt(lock), lock)
    term.type("y")
    term.send("Enter")
    # Skipped optional questions can leave the result incomplete: completing it asks why.
    why, fmt = "Why complete it now?", "Format number"
    transcript = term.wait_transcript(lambda t: _at_prompt(why)(t) or _at_prompt(fmt)(t), "why or format")
    if _at_prompt(why)(transcript):
        term.type("Invented: the DSL asked for it today")
        term.send("Enter")
    for prompt, text in (
        ("Format number", "1"),
        ("Save as [", str(tmp_path / "plain-report.md")),
        ("Shared with", ""),
        ("Basis number", "1"),
        ("Format number (Enter: no more reports)", ""),  # one report is enough here
        ("Share this screening with your DSL now?", "y"),
        ("Amend it or record the DSL's decision now?", ""),  # Enter: done (tests/test_after_flow.py)
    ):
        term.wait_transcript(_at_prompt(prompt), prompt)
        if text:
            term.type(text)
        term.send("Enter")
    assert term.wait_exit(timeout=20) == 0
    text = (tmp_path / "plain-report.md").read_text(encoding="utf-8")
    assert expected in text
    assert "Basis for sharing: To safeguard the child: no consent needed (DPA 2018)" in text
    assert "Screening finished." in term.transcript(joined=True)
    assert "it is in their inbox" in term.transcript(joined=True)


def _at_prompt(prompt: str) -> Callable[[str], bool]:
    """True once the last line printed starts with ``prompt``: the program waits for a reply."""

    def waiting(transcript: str) -> bool:
        lines = transcript.rstrip().splitlines()
        return bool(lines) and lines[-1].startswith(prompt)

    return waiting
