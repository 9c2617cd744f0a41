"""Plain mode reads lines typed ahead in order; at the passphrase prompt, only what follows it.

A practitioner who knows the questions types the child reference, their name and the
first answers before any prompt has shown (``run --plain``). Everything typed before a
prompt is echoed by the terminal, so a passphrase typed that early has been on screen: the
passphrase prompt drops whatever is waiting and says so, and then reads the passphrase and
every answer typed straight after it, in order. The real, installed ``cse-screen`` runs in
a real terminal (tmux) with an encrypted store. A gate holds the program back until the
terminal has echoed every line typed early, so all of them are typed before the first
prompt exists — by construction, not by luck of timing.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from tmux_terminal import Terminal

from cse_screen.bundled import bundled_path
from cse_screen.passphrase import GivenSource
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store
from cse_screen.store.codec import use_keys

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]

PASSPHRASE = "lantern meadow copper"
EARLY = "pebble harbour violin"  # a passphrase typed before its prompt: on screen, never used
CHILD = "TA-07"  # an invented child
NOT_USED = "What you typed before this prompt appeared was not used"


def _type_ahead(term: Terminal, gate: Path, lines: Sequence[str]) -> None:
    """Type ``lines`` while the program waits at ``gate``, then let it start."""
    for line in lines:
        term.type(line)
        term.send("Enter")
    # The terminal echoes what is typed while the program waits at the gate: once the last
    # line is on screen, every line is queued in the terminal and no prompt has been shown.
    last = "\n" + lines[-1]
    transcript = term.wait_transcript(lambda t: t.rstrip().endswith(last), "the typed lines echoed")
    assert "passphrase" not in transcript.lower() and "Question" not in transcript
    gate.touch()


def _at_the_prompt(term: Terminal, prompt: str, lines: Sequence[str]) -> str:
    """Wait for the note about early typing and ``prompt``; then type ``lines`` straight on."""
    screen = term.wait_transcript(lambda t: t.rstrip().endswith(prompt.rstrip()), f"the prompt {prompt!r}")
    assert NOT_USED in screen, screen
    for line in lines:
        term.type(line)
        term.send("Enter")
    return screen


def _gated(cse_screen_bin: Path, gate: Path, *args: str) -> list[str]:
    """``sh -c`` that waits for ``gate`` to exist, then runs ``cse-screen ARGS``."""
    program = " ".join(shlex.quote(a) for a in (str(cse_screen_bin), *args))
    return ["sh", "-c", f"while [ ! -e {shlex.quote(str(gate))} ]; do sleep 0.02; done; exec {program}"]


def _stored(data: Path) -> Store:
    return Store.open(data, passphrase=GivenSource(PASSPHRASE))


def test_lines_typed_before_the_first_prompt_are_read_in_order_and_the_passphrase_after_its_prompt(
    terminal: Callable[[Sequence[str]], Terminal],
    cse_screen_bin: Path,
    tmp_path: Path,
    e2e_env: dict[str, str],
) -> None:
    del e2e_env["CSE_SCREEN_ENCRYPTION"]  # the default: a new store asks for a passphrase
    gate = tmp_path / "gate"
    term = terminal(_gated(cse_screen_bin, gate, "run", "--plain"))
    typed_early = [
        CHILD,  # child reference
        "Sam Example",  # your name
        "Form tutor",  # your role
        EARLY,  # new passphrase, typed before its prompt: echoed on screen
        EARLY,  # the same again
        "12",  # the answers after it: dropped with it
    ]
    _type_ahead(term, gate, typed_early)
    # Once the prompt is up: the passphrase; then, at "Type it again", the passphrase and the
    # first answers straight on, without waiting for their prompts.
    _at_the_prompt(term, "New passphrase: ", [PASSPHRASE])
    term.wait_transcript(lambda t: t.rstrip().endswith("Type it again:"), "the second passphrase prompt")
    for line in (
        PASSPHRASE,  # the same again
        "12",  # How old is the child?
        "2",  # in danger right now: No
        "2",  # told anyone: No
        "q",  # save and quit at the fourth question
    ):
        term.type(line)
        term.send("Enter")

    assert term.wait_exit(timeout=60) == 0, term.transcript()
    out = term.transcript(joined=True)
    assert "Question 4 of" in out and "You stopped the screening." in out
    assert out.count(NOT_USED) == 1
    assert PASSPHRASE not in out  # typed at its prompt: never on screen
    try:
        with _stored(Path(e2e_env["CSE_SCREEN_DATA_DIR"])) as store:  # opens with the later one
            (summary,) = store.list()
            record = store.load(summary.id)
    finally:
        use_keys(None)
    meta = record.screening.meta
    assert (meta.child_ref, meta.practitioner, meta.role) == (CHILD, "Sam Example", "Form tutor")
    assert record.screening.value("age") == 12
    assert record.screening.value("immediate_danger") == "no"
    assert record.screening.value("disclosure") == "no"


def test_resume_plain_drops_a_passphrase_typed_early_and_reads_the_one_typed_at_its_prompt(
    terminal: Callable[[Sequence[str]], Terminal],
    cse_screen_bin: Path,
    tmp_path: Path,
    e2e_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    del e2e_env["CSE_SCREEN_ENCRYPTION"]
    monkeypatch.delenv("CSE_SCREEN_ENCRYPTION", raising=False)  # this process makes the store
    data = Path(e2e_env["CSE_SCREEN_DATA_DIR"])
    loaded = load_questionnaire(bundled_path("cse-screening"))
    try:
        with _stored(data) as store:
            sid = store.create(loaded, ScreeningMeta(child_ref=CHILD, practitioner="Sam Example"), "Sam")
            store.claim(sid)
            store.record_answer(sid, "age", Answer(value=12), "Sam", position="immediate_danger")
            store.release(sid)
    finally:
        use_keys(None)
    gate = tmp_path / "gate"
    term = terminal(_gated(cse_screen_bin, gate, "resume", sid, "--plain"))
    _type_ahead(term, gate, [PASSPHRASE, "1"])  # the right one, but typed early: on screen
    _at_the_prompt(term, "Passphrase for your screenings: ", [PASSPHRASE, "2", "2", "q"])

    assert term.wait_exit(timeout=60) == 0, term.transcript()
    out = term.transcript(joined=True)
    assert out.count(PASSPHRASE) == 1  # only its early echo: the one at the prompt is not shown
    assert out.count(NOT_USED) == 1 and "does not open" not in out
    try:
        with _stored(data) as store:
            record = store.load(sid)
    finally:
        use_keys(None)
    assert record.screening.value("immediate_danger") == "no"
    assert record.screening.value("disclosure") == "no"
