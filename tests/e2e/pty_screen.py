"""The real ``cse-screen`` in a pseudo-terminal, with a tiny screen model fed by its output.

tmux would do, but a direct pty lets a test SIGKILL the program itself at an exact moment
and see every frame. The screen model understands what Textual writes: cursor moves
(``CSI row;col H``), styles (ignored), erases, and text. The program asks whether the
terminal supports synchronized output (DECRQM 2026); :class:`PtyApp` answers yes, so
Textual brackets each frame with ``CSI ? 2026 h`` / ``CSI ? 2026 l`` and a complete frame
can be told from a half-drawn one. Waiting is event-driven: the output is read until a
complete frame matches.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Mapping, Sequence

from rich.cells import get_character_cell_size

_ESCAPE = re.compile(
    r"\x1b(?:"
    r"\[(?P<csi>[0-?]*[ -/]*[@-~])"  # CSI: parameters, intermediates, final byte
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    r"|[()#*+][0-~]"  # charset designations
    r"|(?![\[\]()#*+])[ -~]"  # other two-byte escapes (ESC 7, ESC =, ...)
    r")",
    re.S,
)
_SYNC_QUERY = "\x1b[?2026$p"
_SYNC_REPLY = b"\x1b[?2026;2$y"  # "mode 2026 is known and reset": Textual then uses it
SYNC_END = "?2026l"


class ScreenModel:
    """The visible cells of a ``width`` x ``height`` terminal, updated from program output."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.rows = [[" "] * width for _ in range(height)]
        self.row = 0
        self.col = 0

    def text(self) -> str:
        """The screen as lines (trailing spaces kept: cells are cells)."""
        return "\n".join("".join(cell for cell in row if cell) for row in self.rows)

    def put(self, text: str) -> None:
        """Write plain text at the cursor (no escapes in ``text``)."""
        for ch in text:
            if ch == "\r":
                self.col = 0
            elif ch == "\n":
                self.row = min(self.row + 1, self.height - 1)
            elif ch == "\b":
                self.col = max(self.col - 1, 0)
            elif ch < " " or ch == "\x7f":
                continue
            else:
                size = get_character_cell_size(ch)
                if size == 0 or self.col >= self.width:
                    continue
                self.rows[self.row][self.col] = ch
                if size == 2 and self.col + 1 < self.width:
                    self.rows[self.row][self.col + 1] = ""  # covered by the wide character
                self.col += size

    def control(self, csi: str) -> None:
        """Apply one CSI sequence (without the leading ``ESC [``)."""
        final, params = csi[-1], csi[:-1]
        if params.startswith(("?", ">", "<", "=")) or "$" in params:
            return  # modes, queries and private settings: nothing on screen changes
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []

        def arg(i: int, default: int) -> int:
            return numbers[i] if len(numbers) > i and numbers[i] else default

        if final in "Hf":
            self.row = min(arg(0, 1), self.height) - 1
            self.col = min(arg(1, 1), self.width) - 1
        elif final == "A":
            self.row = max(self.row - arg(0, 1), 0)
        elif final == "B":
            self.row = min(self.row + arg(0, 1), self.height - 1)
        elif final == "C":
            self.col = min(self.col + arg(0, 1), self.width - 1)
        elif final == "D":
            self.col = max(self.col - arg(0, 1), 0)
        elif final == "G":
            self.col = min(arg(0, 1), self.width) - 1
        elif final == "d":
            self.row = min(arg(0, 1), self.height) - 1
        elif final == "J":
            self._erase_display(arg(0, 0))
        elif final == "K":
            self._erase_line(arg(0, 0))
        elif final == "X":
            end = min(self.col + arg(0, 1), self.width)
            self.rows[self.row][self.col : end] = [" "] * (end - self.col)

    def _erase_line(self, mode: int) -> None:
        start, end = {0: (self.col, self.width), 1: (0, self.col + 1)}.get(mode, (0, self.width))
        self.rows[self.row][start:end] = [" "] * (end - start)

    def _erase_display(self, mode: int) -> None:
        if mode == 0:
            self._erase_line(0)
            rows = range(self.row + 1, self.height)
        elif mode == 1:
            self._erase_line(1)
            rows = range(0, self.row)
        else:
            rows = range(self.height)
        for r in rows:
            self.rows[r] = [" "] * self.width


class PtyApp:
    """A program running in its own pseudo-terminal; frames are checked as they complete.

    Args:
        argv: The command line.
        env: The program's complete environment.
        width: Columns of the terminal.
        height: Rows of the terminal.
    """

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], *, width: int = 100, height: int = 30):
        self.screen = ScreenModel(width, height)
        self.frames = 0
        """Complete (synchronized) frames seen so far."""
        self.last_frame = ""
        """The screen as the last complete frame left it."""
        self.raw = ""
        """Everything the program wrote, escapes included (for error messages)."""
        self._pending = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        try:
            self.proc = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(env),
                close_fds=True,
                start_new_session=True,
            )
        finally:
            os.close(slave)
        self.fd = master

    # ------------------------------------------------------------------ output

    def pump(self, timeout: float, on_frame: Callable[[str], bool] | None = None) -> bool:
        """Read output for up to ``timeout`` seconds, calling ``on_frame`` after each complete frame.

        Returns:
            True as soon as ``on_frame`` returns True (the rest of the output stays unread
            until the next call); False when the time ran out or the program ended.
        """
        deadline = time.monotonic() + timeout
        while True:
            if self._pending and self._consume(on_frame):
                return True
            left = deadline - time.monotonic()
            if left < 0:
                return False
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return False
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO: the program's side is closed
                return False
            if not chunk:
                return False
            text = self._decoder.decode(chunk)
            self.raw += text
            self._pending += text

    def _consume(self, on_frame: Callable[[str], bool] | None) -> bool:
        """Apply pending output to the screen; True (stopping there) once ``on_frame`` says so."""
        text = self._pending
        pos = 0
        while pos < len(text):
            esc = text.find("\x1b", pos)
            if esc < 0:
                self.screen.put(text[pos:])
                pos = len(text)
                break
            self.screen.put(text[pos:esc])
            match = _ESCAPE.match(text, esc)
            if match is None:
                if len(text) - esc < 64:  # probably cut short by the read: wait for the rest
                    pos = esc
                    break
                pos = esc + 1  # not an escape we know: drop the ESC byte
                continue
            pos = match.end()
            csi = match.group("csi")
            if csi is None:
                continue
            if match.group(0) == _SYNC_QUERY:
                os.write(self.fd, _SYNC_REPLY)
            elif csi == SYNC_END:
                self.frames += 1
                self.last_frame = self.screen.text()
                if on_frame is not None and on_frame(self.last_frame):
                    self._pending = text[pos:]
                    return True
            else:
                self.screen.control(csi)
        self._pending = text[pos:]
        return False

    def wait_for(self, check: Callable[[str], bool], timeout: float = 20.0, what: str = "") -> str:
        """Return the last complete frame if it satisfies ``check``, else read until one does.

        Args:
            check: Called with each complete screen.
            timeout: Seconds to wait.
            what: What was awaited, for the failure message.

        Raises:
            AssertionError: with the last screen, when no frame did in time.
        """
        if self.frames and check(self.last_frame):
            return self.last_frame
        shown: list[str] = []

        def frame(screen: str) -> bool:
            shown[:] = [screen]
            return check(screen)

        if not self.pump(timeout, frame):
            what = what or "a matching frame"
            raise AssertionError(f"{what}: not seen within {timeout} s; last screen:\n{self.screen.text()}")
        return shown[0]

    # ------------------------------------------------------------------ input and end

    def send(self, keys: str) -> None:
        """Type ``keys`` (``\\r`` is Enter)."""
        os.write(self.fd, keys.encode())

    def kill(self) -> None:
        """SIGKILL the program and reap it (so its pid is gone before anyone checks leases)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def close(self) -> None:
        """Kill the program if it still runs and close the terminal."""
        if self.proc.poll() is None:
            self.kill()
        with contextlib.suppress(OSError):
            os.close(self.fd)
