"""How quickly the wizard starts and answers a key press, compared with a bare Textual app.

Both programs run in a real pseudo-terminal at 100x30 (``pty.fork``) and are timed from
the outside by reading their output stream, the way a person would see them:

* **first screen**: from starting the process to "Question 1 of" appearing;
* **key -> next question**: from writing the answer key to the next question's unique
  progress text ("Question 7 of") appearing. Textual only writes changed regions; the
  progress line is re-rendered on every question, so its text is a reliable marker.
  Beside it, the CPU time the program's main thread used over the same span (Linux
  ``/proc/PID/task/PID/schedstat``, nanoseconds): on a shared machine wall time also counts
  waiting for a core, CPU time is the program's own work.

The bare app has a comparable widget tree (header, a label, a list of options, a footer)
and advances its "Question n of m" label on the same key. cse-screen is started with
``run FILE --child-ref X --practitioner Y`` so it opens straight at the first question,
with its real record store (every answer is autosaved, as in real use) in a temporary
folder. Questionnaires are generated: single-choice questions, answer "2" (No).

Usage::

    .venv/bin/python benchmarks/tui_latency.py            # print the table
    .venv/bin/python benchmarks/tui_latency.py --check    # exit 1 when a target is missed

Targets: first screen <= 1.3x the bare app's; key -> next question median <= 1.5x the bare
app's and under 50 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

COLS, ROWS = 100, 30
_ANSI = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_].*?\x1b\\|\x1b.", re.S
)

BARE_APP = '''
"""A bare Textual app with the wizard's shape: header, progress label, options, footer."""
import sys
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

TOTAL = int(sys.argv[1])


class Bare(App[None]):
    BINDINGS = [("2", "answer", "No")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="progress-text")
        yield Label("", id="question-text")
        yield OptionList(id="choices")
        yield Footer()

    def on_mount(self) -> None:
        self.n = 1
        self.show()

    def show(self) -> None:
        self.query_one("#progress-text", Static).update(f"Question {self.n} of {TOTAL}")
        self.query_one("#question-text", Label).update(f"Generated question number {self.n}?")
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options([Option("1  Yes", id="yes"), Option("2  No", id="no")])
        choices.highlighted = 0
        choices.focus()

    def action_answer(self) -> None:
        self.n += 1
        self.show()


Bare().run()
'''


def generated_questionnaire(count: int) -> str:
    """YAML for a questionnaire of ``count`` single-choice questions in sections of 10."""
    lines = [
        f"id: bench-{count}",
        f"title: Generated benchmark tool ({count} questions)",
        'version: "1"',
        "option_sets:",
        "  yn:",
        '    - {id: "yes", label: "Yes", weight: 1}',
        '    - {id: "no", label: "No"}',
        "sections:",
    ]
    for s in range(0, count, 10):
        lines += [f"  - id: s{s // 10 + 1}", f"    title: Section {s // 10 + 1}", "    questions:"]
        for i in range(s, min(s + 10, count)):
            lines += [
                f"      - id: q{i + 1}",
                "        type: single",
                f"        text: Generated question number {i + 1}?",
                "        options: yn",
            ]
    lines += [
        "levels:",
        '  - {id: none, label: "No indicators", next_steps: ["Share any worry with the DSL."]}',
        '  - {id: low, label: "Some indicators", next_steps: ["Share this screening with the DSL."]}',
        "scoring:",
        "  bands:",
        "    - {min: 0, max: 0, level: none}",
        "    - {min: 1, level: low}",
        'final_line: "If you are worried, tell your DSL; in immediate danger call 999."',
    ]
    return "\n".join(lines) + "\n"


class PtyProgram:
    """A program in a pseudo-terminal of a fixed size whose output is read as it comes."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child: the terminal size must be set before the program asks for it
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.execvpe(argv[0], list(argv), env)
        self.pid, self.fd = pid, fd
        self.buffer = bytearray()

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            raise RuntimeError("the program ended early:\n" + self.text()[-2000:]) from None
        if not chunk:
            raise RuntimeError("the program ended early:\n" + self.text()[-2000:])
        self.buffer += chunk
        return True

    def text(self, start: int = 0) -> str:
        """Output since byte ``start`` with escape sequences removed."""
        return _ANSI.sub(b"", bytes(self.buffer[start:])).decode("utf-8", "replace")

    def wait_for(self, marker: str, start: int = 0, timeout: float = 20.0) -> float:
        """Read until ``marker`` shows in the output after ``start``; return perf_counter then."""
        deadline = time.perf_counter() + timeout
        while marker not in self.text(start):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{marker!r} did not appear in {timeout}s:\n" + self.text()[-2000:])
            self._read(0.05)
        return time.perf_counter()

    def settle(self, quiet: float = 0.015, limit: float = 1.0) -> None:
        """Drain output until the program has been quiet for ``quiet`` seconds."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end and self._read(quiet):
            pass

    def press(self, key: str, marker: str) -> float:
        """Write a key and return seconds until ``marker`` appears."""
        start = len(self.buffer)
        sent = time.perf_counter()
        os.write(self.fd, key.encode())
        return self.wait_for(marker, start) - sent

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        deadline = time.perf_counter() + 3
        while time.perf_counter() < deadline:
            with contextlib.suppress(OSError, RuntimeError):  # EOF once the program has gone
                self._read(0.02)
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


@dataclass
class Measure:
    """Timings of one program on one questionnaire size."""

    name: str
    questions: int
    first_screen: list[float]
    key: list[float]
    key_cpu: list[float] = field(default_factory=list)
    """Main-thread CPU seconds per key press (empty where /proc is not there)."""

    def row(self) -> str:
        first = statistics.median(self.first_screen) * 1000
        med = statistics.median(self.key) * 1000
        p95 = statistics.quantiles(self.key, n=20)[-1] * 1000
        cpu = statistics.median(self.key_cpu) * 1000 if self.key_cpu else float("nan")
        return (
            f"{self.name:<12} {self.questions:>5} {first:>12.0f} {med:>12.1f} {p95:>10.1f} {cpu:>8.2f}"
            f" {len(self.key):>7}"
        )


def main_thread_cpu(pid: int) -> float | None:
    """CPU seconds the main thread of ``pid`` has used so far (None where unknown)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/schedstat", encoding="ascii") as stat:
            return int(stat.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


CSE_READY = "Saved."
"""What cse-screen shows once its question page is live: the first frame may be a light page
drawn before the questionnaire is loaded, whose keys wait (in order) until then; a key timed
on it would time the loading, not the key."""


def measure(
    argv: Sequence[str],
    env: dict[str, str],
    questions: int,
    presses: int,
    starts: int,
    name: str,
    ready: str | None = None,
) -> Measure:
    """Start the program ``starts`` times for the first screen; time ``presses`` answers in the last run.

    With ``ready``, the presses wait until that text has been shown (see :data:`CSE_READY`).
    """
    firsts: list[float] = []
    keys: list[float] = []
    cpus: list[float] = []
    for run in range(starts):
        prog = PtyProgram(argv, env)
        try:
            firsts.append(prog.wait_for(f"Question 1 of {questions}") - prog.started)
            if run == starts - 1:
                if ready is not None:
                    prog.wait_for(ready)
                for n in range(2, min(questions, presses + 1) + 1):
                    prog.settle()
                    before = main_thread_cpu(prog.pid)
                    keys.append(prog.press("2", f"Question {n} of {questions}"))
                    after = main_thread_cpu(prog.pid)
                    if before is not None and after is not None:
                        cpus.append(after - before)
        finally:
            prog.close()
    return Measure(name, questions, firsts, keys, cpus)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a table; with ``--check`` exit 1 on a missed target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--presses", type=int, default=60, help="key presses per program and size (>= 50)")
    parser.add_argument("--starts", type=int, default=5, help="starts per program for the first screen")
    parser.add_argument("--sizes", default="60,300", help="questionnaire sizes, comma separated")
    args = parser.parse_args(argv)

    bin_dir = Path(sys.executable).parent
    cse = bin_dir / "cse-screen"
    results: list[tuple[Measure, Measure]] = []
    with tempfile.TemporaryDirectory(prefix="cse-bench-") as tmp:
        base = Path(tmp)
        os.chmod(base, 0o700)
        bare = base / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(base),
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
            "CSE_SCREEN_CONFIG_DIR": str(base / "config"),
        }
        for size in (int(s) for s in args.sizes.split(",")):
            qfile = base / f"bench-{size}.yaml"
            qfile.write_text(generated_questionnaire(size), encoding="utf-8")
            presses = min(args.presses, size - 1)
            bare_m = measure(
                [sys.executable, str(bare), str(size)], env, size, presses, args.starts, "bare app"
            )
            # No passphrase screen: this measures key presses, not unlocking (benchmarks/crypt_bench.py).
            cse_env = {
                **env,
                "CSE_SCREEN_DATA_DIR": str(base / f"data-{size}"),
                "CSE_SCREEN_ENCRYPTION": "off",
            }
            cse_argv = [str(cse), "run", str(qfile), "--child-ref", "BENCH", "--practitioner", "Bench"]
            cse_m = measure(cse_argv, cse_env, size, presses, args.starts, "cse-screen", CSE_READY)
            results.append((bare_m, cse_m))

    print(f"Terminal {COLS}x{ROWS}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(
        f"{'program':<12} {'qs':>5} {'first (ms)':>12} {'key med(ms)':>12} {'key p95':>10} {'key CPU':>8}"
        f" {'presses':>7}"
    )
    missed: list[str] = []
    for bare_m, cse_m in results:
        print(bare_m.row())
        print(cse_m.row())
        first_ratio = statistics.median(cse_m.first_screen) / statistics.median(bare_m.first_screen)
        key_med = statistics.median(cse_m.key)
        key_ratio = key_med / statistics.median(bare_m.key)
        cpu_ratio = (
            statistics.median(cse_m.key_cpu) / statistics.median(bare_m.key_cpu)
            if cse_m.key_cpu and bare_m.key_cpu
            else float("nan")
        )
        print(
            f"{'':<12} {'':>5} {'x' + format(first_ratio, '.2f'):>12} {'x' + format(key_ratio, '.2f'):>12}"
            f" {'':>10} {'x' + format(cpu_ratio, '.2f'):>8}"
        )
        size = cse_m.questions
        if first_ratio > 1.3:
            missed.append(f"{size} questions: first screen {first_ratio:.2f}x the bare app (target <= 1.3x)")
        if key_ratio > 1.5:
            missed.append(
                f"{size} questions: key -> next question {key_ratio:.2f}x the bare app (target <= 1.5x)"
            )
        if key_med > 0.050:
            missed.append(
                f"{size} questions: key -> next question median {key_med * 1000:.1f} ms (target < 50 ms)"
            )
    for miss in missed:
        print(f"MISSED: {miss}")
    if not missed:
        print("All targets met.")
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
