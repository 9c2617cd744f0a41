# ruff: noqa: E501  (benchmark script: long SQL and report lines read better unwrapped)
"""After-the-screening benchmark: ``due`` and ``child REF`` on 100,000 screenings (invented data).

    .venv/bin/python benchmarks/after_bench.py [--count 100000] [--children 10000] [--dir DIR] [--rounds 11]

Generates, in one transaction, ``count`` completed screenings of the bundled questionnaire
for ``children`` children (10 each by default), each with 3 answers and their events; each
child's screenings form a chain of re-screenings (each ``follows`` the one before), every
screening has a review date (spread from 6 months ago to 6 months ahead), the newest screening
of each child keeps a review date (the others were cleared by their re-screening), and every child has
3 decisions (30,000 in all) with their events. Then measures ``Store.due`` / ``cse-screen due``
and the chronology / ``cse-screen child REF``, in-process and as a subprocess (wall and CPU),
the subprocesses in alternating rounds with bare Python and ``--version`` as baselines; then a
child whose records predate the stored results (first run, then again). ``--dir`` of an
earlier run measures its store again without generating it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CSE_SCREEN_ENCRYPTION", "off")  # the opt-out: see crypt_bench.py for the unlock

from cse_screen.bundled import bundled_path
from cse_screen.cli import main
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.questionnaire.models import SingleChoiceQuestion
from cse_screen.screening import ScreeningMeta
from cse_screen.session.chronology import chronology
from cse_screen.store import Store, rowcheck
from cse_screen.store.codec import child_key, row_sum, seal_json

LEVELS = ("none", "low", "moderate", "significant")


def generate(data_dir: Path, count: int, children: int) -> None:
    loaded = load_questionnaire(bundled_path("cse-screening"))
    q = loaded.questionnaire
    choice = [x for x in q.questions() if isinstance(x, SingleChoiceQuestion)][:3]
    answers = [(x.id, q.options_of(x)[-1].id) for x in choice]
    today = dt.date.today()
    per_child = count // children
    with Store.open(data_dir) as store:
        store.create(loaded, ScreeningMeta(child_ref="BENCH-0"), "bench")  # stores the questionnaire
        conn = store._conn
        conn.execute("BEGIN")
        for n in range(count):
            child, k = n % children, n // children  # k: the child's k-th screening
            sid = f"b{n:09d}"
            follows = None if k == 0 else f"b{n - children:09d}"
            meta = {"child_ref": f"CH-{child:05d}"}
            when = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=k * 60, minutes=child)
            ts = when.isoformat(timespec="microseconds")
            # Only the newest screening of a child keeps a review date: completing a re-screening
            # clears the date of the one it follows (a review event on it), as the store does.
            last = k == per_child - 1
            review = (today + dt.timedelta(days=(n * 37) % 365 - 182)).isoformat() if last else None
            level = LEVELS[(child + k) % len(LEVELS)]
            events: list[tuple[str, str | None, object]] = [
                ("created", None, {"questionnaire_id": q.id, "meta": meta})
            ]
            if follows:
                events.append(("review", None, {"follows": follows}))
            for qid, value in answers:
                events.append(("answer", qid, {"value": value}))
            flags = ["significant_indicator_recent"] if level == "significant" else []
            events.append(
                (
                    "completed",
                    None,
                    {
                        "level": level,
                        "review_due": review or "2024-01-01",
                        "computed_level": level,
                        "flags": flags,
                    },
                )
            )
            decision = None
            if k in (0, 3, 6) and k < per_child:  # 3 decisions per child
                decision = {
                    "outcome": "monitor",
                    "decided_by": "Invented DSL",
                    "role": "DSL",
                    "decided_at": ts,
                    "reasons": f"Invented reasons for screening {n}.",
                    "referral_ref": "",
                    "other": "",
                    "told_parents": True,
                    "not_told_reason": "",
                    "next_review": None,
                    "highlighted": False,
                }
                events.append(("decision", None, decision))
            if not last:  # numbered before the row is written: its seq is the last event's number
                events.append(("review", None, {"review_due": None, "reviewed_by": f"b{n + children:09d}"}))
            conn.execute(
                "INSERT INTO screenings (id, questionnaire, status, child_key, meta, screening_date, created_at,"
                " updated_at, completed_at, level, seq, review_due, follows, computed_level, flags, answered)"
                " VALUES (?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sid,
                    loaded.sha256,
                    child_key(meta["child_ref"]),
                    seal_json(meta),
                    when.date().isoformat(),
                    ts,
                    ts,
                    ts,
                    level,
                    len(events),
                    review,
                    follows,
                    level,
                    seal_json(flags),
                    len(answers),  # the store reads answers with their count (a hidden one is damage)
                ),
            )
            for qid, value in answers:
                conn.execute(
                    "INSERT INTO answers (screening_id, question_id, body) VALUES (?, ?, ?)",
                    (sid, qid, seal_json({"value": value})),
                )
            for seq, (kind, qid, new) in enumerate(events, start=1):
                body = seal_json(new)
                conn.execute(  # an event is summed as it is inserted, as Store._event does
                    "INSERT INTO events (screening_id, seq, at, who, kind, question_id, new, rowsum) VALUES (?, ?, ?, 'bench', ?, ?, ?, ?)",
                    (sid, seq, ts, kind, qid, body, row_sum("events", (sid, seq, ts, "bench", kind, qid, None, body, None, 0))),
                )
                if kind == "decision":
                    conn.execute(
                        "INSERT INTO decisions (screening_id, seq, at, who, body) VALUES (?, ?, ?, 'bench', ?)",
                        (sid, seq, ts, seal_json(new)),
                    )
        rowcheck.seal(conn)  # every other row's checksum, as Store._tx does before committing
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def timed(fn: object, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def subprocess_times(
    cmd: list[str], env: dict[str, str], repeat: int = 11
) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return walls, cpus


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--dir")
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    data_dir = Path(args.dir or tempfile.mkdtemp(prefix="cse-after-bench-")) / "data"
    start = time.perf_counter()
    reused = (data_dir / "screenings.sqlite3").exists()  # --dir of an earlier run: measured again
    if not reused:
        generate(data_dir, args.count, args.children)
    size = (data_dir / "screenings.sqlite3").stat().st_size
    with Store.open(data_dir) as store:
        decisions = store._read("SELECT count(*) FROM decisions")[0][0]
        due_rows = store.due(dt.date.today())
    print(
        f"{'reused' if reused else 'generated'} {args.count} screenings, {args.children} children, {decisions} "
        f"decisions in {time.perf_counter() - start:.1f} s, file {size / 2**20:.0f} MiB; "
        f"{len(due_rows)} reviews due today"
    )

    def due_store() -> None:
        with Store.open(data_dir) as store:
            store.due(dt.date.today())

    def cli(*argv: str) -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["--data-dir", str(data_dir), *argv]) == 0

    ref = f"ch-{args.children // 2:05d}"  # case-insensitive match
    chronology(data_dir, ref)  # warm: the stored questionnaire is parsed once per process
    print(f"Store.due (open + query + unseal) in-process: {ms(timed(due_store, 7))}")
    print(f"cse-screen due in-process (first 50 rows printed): {ms(timed(lambda: cli('due'), 7))}")
    print(f"chronology({ref}) in-process, warm: {ms(timed(lambda: chronology(data_dir, ref), 7))}")
    print(f"cse-screen child {ref} in-process, warm: {ms(timed(lambda: cli('child', ref), 7))}")
    env = dict(os.environ, CSE_SCREEN_DATA_DIR=str(data_dir), COLUMNS="120")
    base = [sys.executable, "-m", "cse_screen"]
    # Every command and the baseline in the same rounds, one after the other, so load from
    # other programs falls on all of them alike. CPU time (user + system) is the steadier figure.
    commands = {
        "bare Python start-up (baseline)": [sys.executable, "-c", "pass"],
        "cse-screen --version": [*base, "--version"],
        "cse-screen due": [*base, "due"],
        f"cse-screen child {ref}": [*base, "child", ref],
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, cmd in commands.items():
            wall, cpu = subprocess_times(cmd, env, repeat=1)
            walls[name] += wall
            cpus[name] += cpu
    for name in commands:
        print(f"{name} subprocess ({args.rounds} rounds): CPU {ms(cpus[name])}; wall {ms(walls[name])}")
    # A child whose screenings were completed before v4 stored the computed level and fired
    # rules: the first chronology works them out (and keeps them); later ones read them.
    old = f"CH-{args.children // 3:05d}"
    with Store.open(data_dir) as store, store._tx() as conn:  # the transaction re-sums the rows
        conn.execute("UPDATE screenings SET computed_level = NULL, flags = NULL WHERE child_key = ?", (child_key(old),))
    first_wall, first_cpu = subprocess_times([*base, "child", old], env, repeat=1)
    again_wall, again_cpu = subprocess_times([*base, "child", old], env, repeat=5)
    print(
        f"cse-screen child {old}, records from before v6: first run CPU {first_cpu[0] * 1000:.0f} ms "
        f"(works out and keeps {args.count // args.children} results); then CPU {ms(again_cpu)}"
    )


if __name__ == "__main__":
    main_bench()
