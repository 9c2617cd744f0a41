"""The idle lock in a real terminal: the installed wizard, a short idle time, a passphrase.

The test waits for the lock to appear on screen (state, not a sleep); the idle time is set
to a few seconds through the environment, as a user would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from tmux_terminal import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]

PASSPHRASE = "lantern pebble orchard"


def test_the_wizard_locks_when_left_and_only_the_passphrase_returns_to_the_screening(
    terminal: Callable[[Sequence[str]], Terminal],
    cse_screen_bin: Path,
    e2e_env: dict[str, str],
    tmp_path: Path,
) -> None:
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    e2e_env.pop("CSE_SCREEN_ENCRYPTION")  # a new store: encrypted with the passphrase in the file
    e2e_env["CSE_SCREEN_PASSPHRASE_FILE"] = str(secret)
    e2e_env["CSE_SCREEN_IDLE_MINUTES"] = "0.05"  # 3 seconds
    term = terminal([str(cse_screen_bin), "run", "--child-ref", "ZZ-IDLE", "--practitioner", "Kim"])
    term.wait_for("Question 1 of", timeout=30)
    screen = term.wait_for("Locked after a while without use", timeout=30)
    assert "ZZ-IDLE" not in screen and "Question 1 of" not in screen
    term.send("C-r")  # the restore key is not enough when there is a passphrase
    term.type("not the passphrase")
    term.send("Enter")
    term.wait_for("does not open your screenings", timeout=30)
    term.type(PASSPHRASE)
    term.send("Enter")
    term.wait_for("Question 1 of", timeout=30)
    term.send("C-q")
    assert term.wait_exit(timeout=30) in (0, 1)
