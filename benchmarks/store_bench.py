# ruff: noqa: E501  (benchmark script: long SQL and report lines read better unwrapped)
"""Store benchmark: 100,000 generated screenings (invented data).

    .venv/bin/python benchmarks/store_bench.py [--count 100000] [--dir DIR]

Generates the database in one transaction (bulk inserts, each screening with 10 answers
and matching events), then measures: ``cse-screen list`` in-process and as a subprocess
(wall and CPU time: CPU time is far less distorted by other load on a shared machine),
opening one screening (``Store.load``), and one autosave commit (median of 200).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cse_screen.cli import main
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Autosaver, Store
from cse_screen.store.codec import child_key, row_sum, seal_json
from cse_screen.store.crashprobe import probe_questionnaire


def generate(data_dir: Path, count: int, *, start: int = 0, answers: int = 10) -> str:
    """Screenings ``start`` .. ``count - 1`` (the first one through the real API), each with
    ``answers`` answers and matching events; returns the id of the first screening.

    Called again with a larger ``count`` and ``start`` set to the previous count, it grows
    the same database, so a scaling table pays for each screening once.
    """
    loaded = probe_questionnaire()
    with Store.open(data_dir) as store:
        sid0 = store.create(loaded, ScreeningMeta(child_ref="BENCH-0"), "bench") if start == 0 else ""
    # Bulk inserts on a connection of their own, each row with its checksum as the store
    # would write it (the store's connection notes every row it writes, to sum at commit).
    conn = sqlite3.connect(data_dir / "screenings.sqlite3", isolation_level=None)
    try:
        conn.execute("BEGIN")
        t = "2025-01-01T00:00:00.000000+00:00"
        created = seal_json({"questionnaire_id": loaded.questionnaire.id, "meta": {"child_ref": "x"}})
        batch = 10_000
        for first in range(max(start, 1), count, batch):
            screenings, events, rows = [], [], []
            for n in range(first, min(first + batch, count)):
                sid = f"b{n:09d}"
                meta = {"child_ref": f"CH-{n % 5000}"}
                day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
                ts = f"{day}T{n % 24:02d}:{n % 60:02d}:00.{n % 1000000:06d}+00:00"
                done = n % 3 == 0
                screenings.append(
                    (
                        sid,
                        loaded.sha256,
                        "completed" if done else "draft",
                        child_key(meta["child_ref"]),
                        seal_json(meta),
                        day,
                        t,
                        ts,
                        ts if done else None,
                        "low" if done else None,
                        answers + 1,
                        answers,
                    )
                )
                events.append((sid, 1, t, "bench", "created", None, created))
                for i in range(1, answers + 1):
                    body = seal_json({"value": f"invented answer {i} for {n}"})
                    rows.append((sid, f"q{i:02d}", body))
                    events.append((sid, i + 1, t, "bench", "answer", f"q{i:02d}", body))
            conn.executemany(
                "INSERT INTO screenings (id, questionnaire, status, child_key, meta, screening_date, created_at,"
                " updated_at, completed_at, level, seq, answered, rowsum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*r, row_sum("screenings", _screening_row(r))) for r in screenings],
            )
            conn.executemany(
                "INSERT INTO events (screening_id, seq, at, who, kind, question_id, new, rowsum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(*e, row_sum("events", (*e[:6], None, e[6], None, 0))) for e in events],
            )
            conn.executemany(
                "INSERT INTO answers VALUES (?, ?, ?, ?)", [(*r, row_sum("answers", r)) for r in rows]
            )
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return sid0


def _screening_row(r: tuple[object, ...]) -> tuple[object, ...]:
    """A generated screening's values in the checksum's column order (``codec.ROW_COLUMNS``)."""
    sid, sha, status, key, meta, day, created, updated, completed, level, seq, answered = r
    return (sid, sha, status, key, meta, None, None, None, level, day, created, updated, completed, seq, None, None, answered)


def timed(fn: object, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--dir")
    args = parser.parse_args()
    os.environ["CSE_SCREEN_NO_CACHE"] = "1"  # time the work, never a questionnaire-cache hit
    data_dir = Path(args.dir or tempfile.mkdtemp(prefix="cse-store-bench-")) / "data"
    start = time.perf_counter()
    sid = generate(data_dir, args.count)
    size = (data_dir / "screenings.sqlite3").stat().st_size
    print(
        f"generated {args.count} screenings in {time.perf_counter() - start:.1f} s, file {size / 2**20:.0f} MiB"
    )

    def list_in_process(*extra: str) -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["--data-dir", str(data_dir), "list", *extra]) == 0

    for extra in ((), ("--status", "all"), ("--child", "CH-42")):
        t = timed(lambda extra=extra: list_in_process(*extra), 5)
        print(
            f"list {' '.join(extra) or '(both tables)'} in-process: median {statistics.median(t) * 1000:.0f} ms"
        )
    # An empty config folder: the questionnaires table shows just the bundled tool.
    config_dir = data_dir.parent / "config"
    env = dict(
        os.environ, CSE_SCREEN_DATA_DIR=str(data_dir), CSE_SCREEN_CONFIG_DIR=str(config_dir), COLUMNS="120"
    )
    cli = [sys.executable, "-m", "cse_screen"]
    for extra in ((), ("--status", "all")):
        walls, cpus = [], []
        for _ in range(11):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([*cli, "list", *extra], env=env, capture_output=True, check=True)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        print(
            f"list {' '.join(extra) or '(both tables)'} subprocess: median {statistics.median(walls) * 1000:.0f} ms"
            f" wall (min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f}), median {statistics.median(cpus) * 1000:.0f} ms CPU"
        )
    middle = f"b{args.count // 2:09d}"  # a screening in the middle of the table
    t = timed(lambda: subprocess.run([*cli, "show", middle], env=env, capture_output=True, check=True), 5)
    print(f"show one screening subprocess: median {statistics.median(t) * 1000:.0f} ms")
    t = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 11)
    print(f"bare Python start-up (python -c pass): median {statistics.median(t) * 1000:.0f} ms")
    t = timed(lambda: Store.open(data_dir).close(), 5)
    print(
        f"Store.open (header checks; file above the quick_check limit): median {statistics.median(t) * 1000:.1f} ms"
    )
    t = timed(lambda: Store.open(data_dir, check="full").close(), 3)
    print(f"Store.open with quick_check: median {statistics.median(t) * 1000:.0f} ms")
    with Store.open(data_dir) as store:
        t = timed(lambda: store.load(middle), 20)
        print(
            f"open one screening (load, warm): median {statistics.median(t) * 1000:.2f} ms, max {max(t) * 1000:.2f} ms"
        )
        saver = Autosaver(store, sid, "bench")
        n = iter(range(10**9))
        t = timed(lambda: saver.save_answer("q01", Answer(value=f"answer {next(n)}"), position="q02"), 200)
        print(
            f"autosave commit: median {statistics.median(t) * 1000:.2f} ms, p95 {sorted(t)[189] * 1000:.2f} ms"
        )
    # A cold process: `load` parses the stored questionnaire text (not cached yet). The
    # pydantic models are imported on first use, so time it with and without that import.
    probe = (
        "import sys, time\n"
        "from cse_screen.store import Store\n"
        "if sys.argv[2] == 'preimport':\n"
        "    import cse_screen.questionnaire.loader, cse_screen.screening\n"
        "s = Store.open(sys.argv[1])\n"
        "t = time.perf_counter()\n"
        "s.load(sys.argv[3])\n"
        "print(f'{(time.perf_counter() - t) * 1000:.1f}')\n"
    )
    for mode, label in (("preimport", "models already imported"), ("cold", "including the models' import")):
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-c", probe, str(data_dir), mode, middle],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            for _ in range(5)
        ]
        print(f"open one screening (load, cold process, {label}): median {statistics.median(runs):.1f} ms")


if __name__ == "__main__":
    main_bench()
