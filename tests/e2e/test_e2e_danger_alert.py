"""The immediate-danger alert in a real terminal, with every local contact set.

Found in use: with all contacts filled in, the alert opened scrolled down to its buttons at
80×24 and 100×30, so "CALL THE POLICE ON 999 NOW" was off screen. The child is invented.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tmux_terminal import TMUX, Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]

CONTACTS = {
    "front_door_name": "Northshire Children's Front Door and Multi-Agency Safeguarding Hub",
    "front_door_phone": "01632 960000",
    "front_door_out_of_hours": "01632 960001",
    "police_non_emergency": "101",
    "dsl_name": "A. Example, Designated Safeguarding Lead",
    "dsl_phone": "ext 200",
    "deputy_dsl_name": "B. Example, Deputy Designated Safeguarding Lead",
    "deputy_dsl_phone": "ext 201",
    "notes": "Local safeguarding partnership: www.example.org/safeguarding",
}


@pytest.mark.parametrize(("width", "height"), [(80, 24), (100, 30)])
def test_alert_opens_with_999_and_the_first_action_on_screen(
    width: int, height: int, cse_screen_bin: Path, e2e_env: dict[str, str], tmp_path: Path
) -> None:
    if TMUX is None:
        pytest.skip("tmux is not installed")
    sets = [arg for key, value in CONTACTS.items() for arg in ("--set", f"{key}={value}")]
    subprocess.run([str(cse_screen_bin), "contacts", *sets], env=e2e_env, check=True, capture_output=True)

    workdir = tmp_path / "tmux"
    workdir.mkdir()
    with Terminal([str(cse_screen_bin)], e2e_env, workdir, width=width, height=height) as term:
        term.wait_for("Child reference", timeout=20)
        for i, text in enumerate(("DA-09", "Jo Teacher", "Teacher")):
            if i:
                term.send("Tab")
                term.settle()
            term.type(text)
            term.wait_for(text)
        term.send("C-n")
        term.wait_for("How old", timeout=10)
        term.type("9")
        term.send("Enter")
        term.wait_for("danger", timeout=10)
        term.settle()
        term.type("1")  # yes: in danger right now
        screen = term.wait_for("IMMEDIATE DANGER", timeout=10)
        screen = term.settle()
        assert "CALL THE POLICE ON 999 NOW" in screen, screen
        assert "1. Call the police on 999 now" in screen, screen
        assert "I am calling 999 now" in screen and "Already done" in screen, screen
