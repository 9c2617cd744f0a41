"""Hostile input is refused fast: the speed checks that used to sit inside unit tests.

Unit tests assert *what* happens (the right message, no crash); how long it takes depends
on the machine and its load, so it is measured here instead, as a ratio against a baseline
measured in the same run where one makes sense. Run ``python benchmarks/hostile_input_bench.py``;
``--check`` exits 1 when a target is missed.

Targets:

* an alias bomb (9**10 values once expanded) is refused in < 1 s;
* a questionnaire nested 1,000,000 and 2,000 levels deep is refused in < 1 s, with the
  project's own message (libyaml 0.2.6 refuses it itself; older ones leave it to us);
* checking a 5,000-character note for victim-blaming language costs at most 40 times
  splitting the same note into words (the least any checker must do).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path

from cse_screen.language import check_text
from cse_screen.questionnaire.loaded import QuestionnaireError
from cse_screen.questionnaire.yaml_safe import load_yaml

REFUSE_TARGET_S = 1.0
LANGUAGE_RATIO_TARGET = 40.0


def _alias_bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _refusal_time(text: str, expect: str, runs: int) -> float:
    def once() -> None:
        try:
            load_yaml(text, "bench.yaml", max_bytes=3_000_000)
        except QuestionnaireError as exc:
            assert expect in exc.problems[0].message, exc.problems[0].message
        else:  # pragma: no cover - a refusal is the point
            raise AssertionError("not refused")

    return statistics.median(timeit.repeat(once, number=1, repeat=runs))


def _validate_command_time(runs: int) -> float:
    """``cse-screen validate`` on a file nested 2,000 levels deep, start-up included."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deep.yaml"
        path.write_text("id: deep\nsections: " + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "cse_screen", "validate", str(path)]
        times = []
        for _ in range(runs):
            start = timeit.default_timer()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            times.append(timeit.default_timer() - start)
            assert done.returncode == 2 and "nested more than" in done.stdout, done.stdout + done.stderr
        return statistics.median(times)


def _language_ratio(runs: int) -> tuple[float, float, float]:
    sentence = "She said she walks home with friends, likes the art club and is in year nine. "
    note = (sentence * 80)[:5000] + " putting herself at risk"
    words = re.compile(r"\w+")
    check_text(note)  # load and compile once, as the TUI does on the first keystroke
    checker: list[float] = []
    baseline: list[float] = []
    for _ in range(runs):  # interleaved, so both see the same load
        checker.append(timeit.timeit(lambda: check_text(note), number=20))
        baseline.append(timeit.timeit(lambda: words.findall(note), number=20))
    c, b = statistics.median(checker), statistics.median(baseline)
    return c, b, c / b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="repeats per figure (median)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    missed = False
    cases: list[tuple[str, Callable[[], float]]] = [
        ("alias bomb refused", lambda: _refusal_time(_alias_bomb(), "expands to more than", args.runs)),
        (
            "1,000,000 levels refused",
            lambda: _refusal_time("a: " + "[" * 1_000_000 + "]" * 1_000_000, "nested more than", 5),
        ),
        (
            "2,000 levels refused",
            lambda: _refusal_time("a: " + "[" * 2000 + "]" * 2000, "nested more than", args.runs),
        ),
    ]
    cases.append(("validate 2,000 levels (command)", lambda: _validate_command_time(args.runs)))
    print(f"{'figure':32} {'median':>10}  target")
    for name, measure in cases:
        seconds = measure()
        ok = seconds < REFUSE_TARGET_S
        missed |= not ok
        print(f"{name:32} {seconds * 1000:8.1f} ms  < {REFUSE_TARGET_S:.0f} s {'ok' if ok else 'MISSED'}")
    checker, baseline, ratio = _language_ratio(args.runs)
    ok = ratio <= LANGUAGE_RATIO_TARGET
    missed |= not ok
    print(
        f"{'language check / word split':32} {ratio:8.1f} x   <= {LANGUAGE_RATIO_TARGET:.0f}x "
        f"{'ok' if ok else 'MISSED'} ({checker * 50:.2f} ms vs {baseline * 50:.2f} ms per note)"
    )
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
