"""Text typed into the real ``cse-screen`` survives ctrl+q and a SIGKILL after a pause.

Found in use: type an answer or a note, wait, press ctrl+q (or lose the window): the text
was gone. The child is invented.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from tmux_terminal import TMUX, Terminal

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]

WORDS = "She said: I am not allowed to say"
NOTE = "Told me at lunch"


def _draft_at(data_dir: Path, question_id: str) -> str:
    """A draft for an invented child, resuming at ``question_id``."""
    from cse_screen.store import Store

    loaded = load_questionnaire(bundled_path("cse-screening"))
    meta = ScreeningMeta(child_ref="TT-05", practitioner="A. Tester", role="Tester")
    with Store.open(data_dir) as store:
        sid = store.create(loaded, meta, "A. Tester")
        store.set_position(sid, question_id)
    return sid


def _stored(data_dir: Path, sid: str) -> object:
    from cse_screen.store import Store

    with Store.open(data_dir) as store:
        return store.load(sid).screening


def _program_pid(term: Terminal) -> int:
    """The wizard's process id: the child of the pane's shell."""
    shell = term._tmux("display-message", "-p", "-t", "main", "#{pane_pid}").strip()
    children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def _open(cse_screen_bin: Path, e2e_env: dict[str, str], tmp_path: Path, sid: str) -> Terminal:
    workdir = tmp_path / "tmux"
    workdir.mkdir()
    term = Terminal([str(cse_screen_bin), "resume", sid], e2e_env, workdir).start()
    term.wait_for("own words", timeout=20)
    term.settle()
    return term


def test_ctrl_q_just_after_typing_keeps_the_long_answer(
    cse_screen_bin: Path, e2e_env: dict[str, str], tmp_path: Path
) -> None:
    if TMUX is None:
        pytest.skip("tmux is not installed")
    data = Path(e2e_env["CSE_SCREEN_DATA_DIR"])
    sid = _draft_at(data, "child_words")
    term = _open(cse_screen_bin, e2e_env, tmp_path, sid)
    try:
        term.type(WORDS)
        term.wait_for(WORDS)
        term.send("C-q")
        assert term.wait_exit() == 0, term.screen()
    finally:
        term.close()
    assert _stored(data, sid).value("child_words") == WORDS  # type: ignore[attr-defined]


def test_sigkill_three_seconds_after_typing_keeps_the_answer_and_the_note(
    cse_screen_bin: Path, e2e_env: dict[str, str], tmp_path: Path
) -> None:
    if TMUX is None:
        pytest.skip("tmux is not installed")
    data = Path(e2e_env["CSE_SCREEN_DATA_DIR"])
    sid = _draft_at(data, "child_words")
    term = _open(cse_screen_bin, e2e_env, tmp_path, sid)
    try:
        term.type(WORDS)
        term.wait_for(WORDS)
        term.send("F3")
        term.wait_for("Note", timeout=10)
        term.settle()
        term.type(NOTE)
        term.wait_for(NOTE)
        # The scenario, not a wait for state: the practitioner stops typing, and 3 s later
        # the power fails.
        time.sleep(3)
        os.kill(_program_pid(term), signal.SIGKILL)
        term.wait_exit()
    finally:
        term.close()
    screening = _stored(data, sid)
    answer = screening.answers["child_words"]  # type: ignore[attr-defined]
    assert (answer.value, answer.note) == (WORDS, NOTE)
