"""Fixtures for the real-terminal tests: the installed command and a clean environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from tmux_terminal import TMUX, Terminal

pytestmark = pytest.mark.e2e


@pytest.fixture()
def cse_screen_bin() -> Path:
    """The installed ``cse-screen`` script next to this interpreter (the real entry point)."""
    path = Path(sys.executable).parent / "cse-screen"
    if not path.exists():
        pytest.skip(f"cse-screen is not installed next to {sys.executable}: run `pip install -e .`")
    return path


@pytest.fixture()
def e2e_env(tmp_path: Path) -> dict[str, str]:
    """A minimal, private environment: temp data/config folders, fixed TERM, no colour overrides."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "CSE_SCREEN_DATA_DIR": str(tmp_path / "data"),
        "CSE_SCREEN_CONFIG_DIR": str(tmp_path / "config"),
        "EDITOR": "true",
        "VISUAL": "true",
        "PYTHONDONTWRITEBYTECODE": "1",
        # New stores record the encryption opt-out (see tests/conftest.py); a test that
        # wants the passphrase screen removes this.
        "CSE_SCREEN_ENCRYPTION": "off",
    }
    if "TMUX_TMPDIR" in os.environ:
        env["TMUX_TMPDIR"] = os.environ["TMUX_TMPDIR"]
    return env


@pytest.fixture()
def terminal(tmp_path: Path, e2e_env: dict[str, str]) -> Iterator[Callable[[Sequence[str]], Terminal]]:
    """Start programs in private tmux servers at 100x30; every server is killed afterwards."""
    if TMUX is None:
        pytest.skip("tmux is not installed (CI installs it: apt-get install tmux)")
    started: list[Terminal] = []

    def start(argv: Sequence[str]) -> Terminal:
        workdir = tmp_path / f"tmux{len(started)}"
        workdir.mkdir()
        term = Terminal(argv, e2e_env, workdir).start()
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()
