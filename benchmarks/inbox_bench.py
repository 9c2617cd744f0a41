# ruff: noqa: E501  (benchmark script: long lines read better unwrapped)
"""DSL inbox benchmark: ``cse-screen inbox`` on a store of 100,000 screenings (invented data).

    .venv/bin/python benchmarks/inbox_bench.py [--count 100000] [--children 10000] [--shared 100] [--recent 2000]

Generates the after-the-screening store of ``benchmarks/after_bench.py`` (``count`` completed
screenings, 10 per child, 3 decisions per child, all dated 2024–2025), then adds ``recent``
completed screenings dated in the last 8 weeks (two practitioners for every tenth child, so
there are joined-up concerns to find) and shares ``shared`` of them with the DSL. Measures
``build_inbox`` in-process (warm) and ``cse-screen inbox`` as a subprocess (wall and CPU).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from after_bench import generate, ms, subprocess_times, timed  # noqa: E402

from cse_screen.bundled import bundled_path  # noqa: E402
from cse_screen.cli import main  # noqa: E402
from cse_screen.questionnaire.loader import load_questionnaire  # noqa: E402
from cse_screen.screening import Answer, ScreeningMeta  # noqa: E402
from cse_screen.session.inbox_read import build_inbox  # noqa: E402
from cse_screen.store import Store  # noqa: E402


def add_recent(data_dir: Path, recent: int, shared: int) -> None:
    loaded = load_questionnaire(bundled_path("cse-screening"))
    today = dt.date.today()
    levels = ("low", "moderate", "significant")
    with Store.open(data_dir) as store:
        for n in range(recent):
            who = "Ms Bench" if n % 20 < 10 else "Mr Bench"  # every tenth child: both of them
            meta = ScreeningMeta(
                child_ref=f"CH-{(n % 1000) * 10:05d}",
                practitioner=who,
                date=today - dt.timedelta(days=n % 50),
            )
            sid = store.create(loaded, meta, who)
            store.record_answer(sid, "immediate_danger", Answer(value="no"), who)
            store.complete(sid, who, level=levels[n % 3])
            if n < shared:
                store.share(sid, who)


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--shared", type=int, default=100)
    parser.add_argument("--recent", type=int, default=2_000)
    parser.add_argument("--dir")
    args = parser.parse_args()
    data_dir = Path(args.dir or tempfile.mkdtemp(prefix="cse-inbox-bench-")) / "data"
    start = time.perf_counter()
    generate(data_dir, args.count, args.children)
    add_recent(data_dir, args.recent, args.shared)
    with Store.open(data_dir) as store:
        box = build_inbox(store, "dsl", weeks=8)
    print(
        f"generated {args.count} + {args.recent} screenings ({args.shared} shared) in {time.perf_counter() - start:.1f} s; "
        f"inbox: {len(box.items)} items, {len(box.concerns)} concerns, {len(box.suggestions)} suggestions"
    )

    def in_process() -> None:
        with Store.open(data_dir) as store:
            build_inbox(store, "dsl", weeks=8)

    def cli() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["--data-dir", str(data_dir), "inbox", "--no-mark", "--json"]) == 0

    print(f"build_inbox in-process, warm: {ms(timed(in_process, 5))}")
    print(f"cse-screen inbox --json in-process, warm: {ms(timed(cli, 5))}")
    env = dict(os.environ, CSE_SCREEN_DATA_DIR=str(data_dir), COLUMNS="100")
    walls, cpus = subprocess_times([sys.executable, "-m", "cse_screen", "inbox", "--no-mark"], env, repeat=5)
    print(f"cse-screen inbox subprocess: wall {ms(walls)}, CPU {ms(cpus)}")


if __name__ == "__main__":
    main_bench()
