"""SIGKILL at random moments: every acknowledged answer survives and the draft resumes right.

The probe (``python -m cse_screen.store.crashprobe``) runs in a real pty, autosaves each
answer line through the Autosaver and prints ``saved <qid>`` only after the commit.
"""

from __future__ import annotations

import os
import pty
import random
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from cse_screen.store import Store, replay
from cse_screen.store.crashprobe import QUESTION_COUNT, question_id

ITERATIONS = 32
SEED = 20240517


def _read_available(fd: int, timeout: float) -> bytes:
    out = b""
    while True:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return out
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child side is closed and drained
            return out
        if not chunk:
            return out
        out += chunk
        timeout = 0.0


def _run_and_kill(data_dir: Path, sid: str | None, answers: list[str], kill_after: float) -> str:
    """Start the probe in a pty, type answers, SIGKILL it after ``kill_after`` seconds."""
    master, slave = pty.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ECHO  # no echo: typed lines must not interleave with "saved" lines
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    cmd = [sys.executable, "-m", "cse_screen.store.crashprobe", "--data-dir", str(data_dir)]
    if sid:
        cmd += ["--resume", sid]
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    output = b""
    try:
        deadline = time.monotonic() + 20
        while b"created " not in output and time.monotonic() < deadline:
            output += _read_available(master, 0.2)
        assert b"created " in output, output.decode(errors="replace")[-500:]
        start = time.monotonic()
        for line in answers:
            os.write(master, line.encode() + b"\n")
            output += _read_available(master, 0.0)
            if time.monotonic() - start >= kill_after:
                break
            time.sleep(0.002)
        remaining = kill_after - (time.monotonic() - start)
        if remaining > 0:
            output += _read_available(master, remaining)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)  # reap it, so its lease is seen as dead at once
        output += _read_available(master, 0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return output.decode(errors="replace")


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_saved_answer(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    data_dir = tmp_path / "data"
    sid: str | None = None
    expected: dict[str, str] = {}  # every answer the probe acknowledged, across all runs
    next_q = 1
    for iteration in range(ITERATIONS):
        if next_q > QUESTION_COUNT:  # a finished draft: start a new screening
            sid, expected, next_q = None, {}, 1
        answers = [f"{question_id(i)} run{iteration}-answer{i}" for i in range(next_q, QUESTION_COUNT + 1)]
        out = _run_and_kill(data_dir, sid, answers, kill_after=rng.uniform(0.0, 0.06))
        created = [ln.split()[1] for ln in out.splitlines() if ln.startswith("created ")]
        sid = created[0]
        saved = [ln.split()[1] for ln in out.splitlines() if ln.startswith("saved ")]
        assert "unsaved" not in out and "Traceback" not in out, out[-800:]
        for qid in saved:
            expected[qid] = next(a.split(" ", 1)[1] for a in answers if a.startswith(qid + " "))

        with Store.open(data_dir, check="full") as store:
            assert store.integrity_check() == ["ok"], f"iteration {iteration} (seed {SEED})"
            stored = store.load(sid)
            values = {q: a.value for q, a in stored.screening.answers.items()}
            for qid, value in expected.items():
                assert values.get(qid) == value, f"iteration {iteration}: saved {qid} lost (seed {SEED})"
            # Answers are a prefix q01..qK (K >= last acknowledged), and the resume position,
            # saved in the same commit as each answer, is the question after the last one.
            answered = sorted(values)
            assert answered == [question_id(i) for i in range(1, len(answered) + 1)]
            k = len(answered)
            assert stored.position == (question_id(k + 1) if 0 < k < QUESTION_COUNT else None)
            assert replay(store.events(sid)) == stored.screening
            for qid in answered:  # a committed but unacknowledged answer is from this run
                expected.setdefault(qid, str(values[qid]))
            next_q = k + 1
