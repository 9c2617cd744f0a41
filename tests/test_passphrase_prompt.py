"""Commands ask for the passphrase at the terminal (never argv), in a real pty."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cse_screen.bundled import bundled_path
from cse_screen.passphrase import GivenSource
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.store import Store
from cse_screen.store.codec import use_keys

PASSPHRASE = "pebble harbour violin"


@pytest.fixture(autouse=True)
def _encryption_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CSE_SCREEN_ENCRYPTION", raising=False)
    yield
    use_keys(None)


def _encrypted_store(data: Path) -> None:
    loaded: LoadedQuestionnaire = load_questionnaire(bundled_path("cse-screening"))
    with Store.open(data, passphrase=GivenSource(PASSPHRASE)) as store:
        store.create(loaded, ScreeningMeta(child_ref="PT-4"), "Kim")
    use_keys(None)


def _controlling_tty() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class _Pty:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            preexec_fn=_controlling_tty,
            close_fds=True,
        )
        os.close(slave)
        self.output = b""
        self.log = b""

    def wait_for(self, needle: bytes, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            left = deadline - time.monotonic()
            assert left > 0, self.output.decode(errors="replace")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.master, 4096)
                except OSError:
                    break
        assert needle in self.output, self.output.decode(errors="replace")
        # Later waits look only after this match: getpass discards what is typed before
        # its prompt (TCSAFLUSH), so each answer must wait for its own prompt.
        self.log += self.output[: self.output.index(needle) + len(needle)]
        self.output = self.output[self.output.index(needle) + len(needle) :]

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def finish(self) -> int:
        code = self.proc.wait(timeout=60)
        while True:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.output += chunk
        os.close(self.master)
        self.log += self.output
        return code


def _env(data: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CSE_SCREEN_ENCRYPTION", "CSE_SCREEN_PASSPHRASE_FILE")
    }
    return {**env, "CSE_SCREEN_DATA_DIR": str(data), "COLUMNS": "120"}


def test_list_asks_for_the_passphrase_without_echo_and_shows_the_screenings(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _encrypted_store(data)
    term = _Pty([sys.executable, "-m", "cse_screen", "list", "--status", "all"], _env(data))
    term.wait_for(b"Passphrase for your screenings: ")
    term.send(PASSPHRASE + "\n")
    assert term.finish() == 0
    out = term.log.decode(errors="replace")
    assert "PT-4" in out and "stored encrypted" in out
    assert PASSPHRASE not in out  # not echoed


def test_three_wrong_passphrases_exit_2_with_a_clear_message(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _encrypted_store(data)
    before = (data / "screenings.sqlite3").read_bytes()
    term = _Pty([sys.executable, "-m", "cse_screen", "list"], _env(data))
    for _ in range(3):
        term.wait_for(b"Passphrase for your screenings: ")
        term.send("not it at all\n")
    assert term.finish() == 2
    out = term.output.decode(errors="replace")
    assert "does not open this store" in out and "Traceback" not in out
    assert (data / "screenings.sqlite3").read_bytes() == before


def test_plain_mode_on_first_use_explains_and_asks_for_a_new_passphrase_twice(
    tmp_path: Path, repo_root: Path
) -> None:
    data = tmp_path / "data"
    mini = repo_root / "tests" / "tui" / "mini-screening.yaml"
    argv = [sys.executable, "-m", "cse_screen", "run", "--plain", str(mini), "--child-ref", "PL-1"]
    term = _Pty([*argv, "--practitioner", "Kim"], _env(data))
    term.wait_for(b"If you forget it, the screenings cannot be opened by anyone")
    term.wait_for(b"New passphrase: ")
    term.send("short\n")
    term.wait_for(b"at least 8 characters")
    term.wait_for(b"New passphrase: ")
    term.send(PASSPHRASE + "\n")
    term.wait_for(b"Type it again: ")
    term.send(PASSPHRASE + "\n")
    term.wait_for(b"Question 1 of")
    term.send("\x04")  # end of input: the draft is kept
    assert term.finish() == 1
    assert PASSPHRASE not in term.log.decode(errors="replace")
    with Store.open(data, passphrase=GivenSource(PASSPHRASE)) as store:
        assert store.encryption == "on"
        assert [s.child_ref for s in store.list()] == ["PL-1"]


def test_plain_mode_locks_at_its_prompt_after_the_idle_time_and_needs_the_passphrase(
    tmp_path: Path, repo_root: Path
) -> None:
    data = tmp_path / "data"
    _encrypted_store(data)
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    env = {**_env(data), "CSE_SCREEN_PASSPHRASE_FILE": str(secret), "CSE_SCREEN_IDLE_MINUTES": "0.01"}
    mini = repo_root / "tests" / "tui" / "mini-screening.yaml"
    argv = [sys.executable, "-m", "cse_screen", "run", "--plain", str(mini), "--child-ref", "IDLE-9"]
    term = _Pty([*argv, "--practitioner", "Kim"], env)
    term.wait_for(b"Question 1 of")
    term.wait_for(b"\x1b[2J\x1b[3JLocked after a while without use.")  # cleared, scrollback too
    term.wait_for(b"Passphrase to unlock: ")
    term.send("not the passphrase\n")
    term.wait_for(b"does not open your screenings")
    term.wait_for(b"Passphrase to unlock: ")
    term.send(PASSPHRASE + "\n")
    term.wait_for(b"> ")  # the question's prompt again
    term.send("\x04")
    assert term.finish() == 1
    assert PASSPHRASE not in term.log.decode(errors="replace")
