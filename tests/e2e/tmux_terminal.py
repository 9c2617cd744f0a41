"""A real terminal for end-to-end tests: the command runs inside a private tmux server.

Each :class:`Terminal` starts its own tmux server on a private socket (``-L``), with no
user configuration, no status line and a fixed size, so the program sees exactly
``width`` x ``height`` cells and ``TERM=xterm-256color``. Waiting is event-driven: the
pane is polled every few milliseconds until the text appears or the timeout passes.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

TMUX = shutil.which("tmux")

_CONF = """\
set -g status off
set -g remain-on-exit on
set -g default-terminal xterm-256color
set -g escape-time 0
set -g history-limit 5000
"""


class TerminalTimeout(AssertionError):
    """The expected text did not appear in time; the message holds the last screen."""


class Terminal:
    """One program running in a fresh tmux server at a fixed size.

    Args:
        argv: The command and its arguments.
        env: The complete environment for the program.
        workdir: A private folder for the tmux config file.
        width: Columns.
        height: Rows.
    """

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        workdir: Path,
        *,
        width: int = 100,
        height: int = 30,
    ) -> None:
        if TMUX is None:
            raise RuntimeError("tmux is not installed")
        self.argv = list(argv)
        self.env = dict(env)
        self.width = width
        self.height = height
        self.socket = f"cse-e2e-{uuid.uuid4().hex[:12]}"
        self.workdir = workdir
        self.conf = workdir / "tmux.conf"
        # tmux's own #{pane_dead_status} is not always filled in (3.3a), so the wrapper
        # shell records the exit status in a file.
        self.status_file = workdir / "exit-status"
        self.conf.write_text(_CONF, encoding="utf-8")
        self._started = False

    # ------------------------------------------------------------------ tmux plumbing

    def _tmux(self, *args: str, check: bool = True) -> str:
        assert TMUX is not None
        out = subprocess.run(
            [TMUX, "-L", self.socket, "-f", str(self.conf), *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=10,
        )
        if check and out.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed: {out.stderr.strip()}")
        return out.stdout

    def start(self) -> Terminal:
        """Start the program in a detached session."""
        program = " ".join(shlex.quote(a) for a in self.argv)
        status = shlex.quote(str(self.status_file))
        command = f"{program}; echo $? > {status}.tmp && mv {status}.tmp {status}"
        env_args: list[str] = []
        for key, value in self.env.items():
            env_args += ["-e", f"{key}={value}"]
        self._tmux(
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            # Start in the private folder: files the program writes (reports) land there.
            "-c",
            str(self.workdir),
            *env_args,
            command,
        )
        self._started = True
        return self

    def close(self) -> None:
        """Kill this test's tmux server (and with it the program)."""
        if self._started:
            self._tmux("kill-server", check=False)
            self._started = False

    def __enter__(self) -> Terminal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ driving

    def send(self, *keys: str) -> None:
        """Send tmux key names, e.g. ``send("Down", "Enter", "C-q")``."""
        self._tmux("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        """Type text literally, as a person would."""
        self._tmux("send-keys", "-t", "main", "-l", text)

    def screen(self) -> str:
        """The visible screen as plain text, one line per row."""
        return self._tmux("capture-pane", "-p", "-t", "main")

    def transcript(self, *, joined: bool = False) -> str:
        """Everything the pane has shown, including lines scrolled off the top.

        Args:
            joined: Join lines the terminal wrapped and drop trailing spaces, so each line
                is one line the program printed (for matching whole lines).
        """
        if not joined:
            return self._tmux("capture-pane", "-p", "-t", "main", "-S", "-")
        text = self._tmux("capture-pane", "-p", "-J", "-t", "main", "-S", "-")
        return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"

    def wait_transcript(self, done: Callable[[str], bool], what: str, timeout: float = 10.0) -> str:
        """Poll the joined transcript until ``done(transcript)`` is true; return it.

        For line-by-line programs: count the prompts printed so far and wait for one more,
        instead of guessing from a screen that may still show the previous question.

        Raises:
            TerminalTimeout: It did not happen in time (``what`` and the screen are in the message).
        """
        deadline = time.monotonic() + timeout
        while True:
            text = self.transcript(joined=True)
            if done(text):
                return text
            if time.monotonic() > deadline:
                raise TerminalTimeout(f"{what}: not seen after {timeout}s. Screen:\n{self.screen()}")
            time.sleep(0.03)

    def exit_status(self) -> int | None:
        """The program's exit status once it has ended, else None."""
        try:
            return int(self.status_file.read_text(encoding="ascii").strip())
        except (FileNotFoundError, ValueError):
            return None

    def wait_for(self, text: str | re.Pattern[str], timeout: float = 10.0) -> str:
        """Poll the screen until ``text`` (a substring or a regex) shows; return the screen.

        Raises:
            TerminalTimeout: It did not appear in time (the message includes the screen).
        """
        deadline = time.monotonic() + timeout
        screen = ""
        while True:
            screen = self.screen()
            found = text.search(screen) if isinstance(text, re.Pattern) else text in screen
            if found:
                return screen
            if time.monotonic() > deadline:
                raise TerminalTimeout(f"{text!r} not on screen after {timeout}s. Screen:\n{screen}")
            time.sleep(0.03)

    def settle(self, quiet: float = 0.12, timeout: float = 5.0) -> str:
        """Poll until the screen has not changed for ``quiet`` seconds (the program is idle).

        Like a person glancing at the screen before the next key: Textual moves focus
        and redraws asynchronously, so keys sent in one burst could reach the old widget.
        """
        deadline = time.monotonic() + timeout
        screen = self.screen()
        stable_since = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.03)
            now = self.screen()
            if now != screen:
                screen, stable_since = now, time.monotonic()
            elif time.monotonic() - stable_since >= quiet:
                break
        return screen

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        """Poll until ``text`` is no longer on screen; return the screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text not in screen:
                return screen
            if time.monotonic() > deadline:
                raise TerminalTimeout(f"{text!r} still on screen after {timeout}s. Screen:\n{screen}")
            time.sleep(0.03)

    def wait_exit(self, timeout: float = 10.0) -> int:
        """Wait for the program to end and return its exit status."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.exit_status()
            if status is not None:
                return status
            if time.monotonic() > deadline:
                raise TerminalTimeout(f"program still running after {timeout}s. Screen:\n{self.screen()}")
            time.sleep(0.03)
