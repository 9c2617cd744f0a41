# ruff: noqa: E501  (benchmark script: long lines read better unwrapped)
"""DSL inbox benchmark: the inbox on a store of 100,000 screenings (invented data), SQLite and PostgreSQL.

    .venv/bin/python benchmarks/inbox_bench.py [--backend sqlite|postgresql|both] [--count 100000]
        [--children 10000] [--shared 100] [--recent 2000] [--rounds 11] [--dir DIR]

Each store holds ``count`` completed screenings of ``children`` children (10 each, dated
2024–2025) and ``recent`` completed screenings dated in the last 8 weeks (two practitioners
for every tenth child, so there are joined-up concerns to find; references numbered alike,
``CH-00010``…, the hard case for near references), ``shared`` of them shared with the DSL.

* SQLite: the store of ``benchmarks/after_bench.py`` (with its decisions and reviews) plus the
  recent ones; ``--dir`` of an earlier run is measured again without generating.
* PostgreSQL: a throwaway cluster (tests/team/pg_cluster.py: initdb in a temporary folder,
  Unix socket only, stopped and removed at the end), ``team init``, the old screenings by
  ``COPY`` (one practitioner's, in the DSL's setting), the recent ones saved and shared
  through ``Store`` by the practitioner, and the inbox read as the DSL (row-level security).

Measured, medians of ``rounds`` (wall and CPU of this process; the server's CPU is not in it):

* what the wizard's inbox screen waits for: ``build_inbox`` on the open store;
* ``build_inbox`` with opening the store (what the command does in-process);
* ``cse-screen inbox`` as a subprocess, table and ``--json`` (wall and CPU of the child:
  start-up, imports, reading, printing). The first run is not counted: it warms the OS's
  file cache and writes the ``.pyc`` files an installed package has.

The target (issue 14): the inbox in at most 200 ms with 100,000 screenings in the database.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "tests" / "team"))

from after_bench import generate, subprocess_times  # noqa: E402

from cse_screen.bundled import bundled_path  # noqa: E402
from cse_screen.cli import main  # noqa: E402
from cse_screen.questionnaire.loader import load_questionnaire  # noqa: E402
from cse_screen.screening import Answer, ScreeningMeta  # noqa: E402
from cse_screen.session.inbox_read import build_inbox  # noqa: E402
from cse_screen.store import Store  # noqa: E402

TARGET_MS = 200
WEEKS = 8
SETTING = "bench-school"
PASSWORD = "invented-bench-password"


def add_recent(store: Store, recent: int, shared: int) -> None:
    """``recent`` completed screenings in the last 8 weeks, the first ``shared`` shared with the DSL."""
    loaded = load_questionnaire(bundled_path("cse-screening"))
    today = dt.date.today()
    levels = ("low", "moderate", "significant")
    for n in range(recent):
        who = "Ms Bench" if n % 20 < 10 else "Mr Bench"  # every tenth child: both of them
        meta = ScreeningMeta(child_ref=f"CH-{(n % 1000) * 10:05d}", practitioner=who, date=today - dt.timedelta(days=n % 50))
        sid = store.create(loaded, meta, who)
        store.record_answer(sid, "immediate_danger", Answer(value="no"), who)
        store.complete(sid, who, level=levels[n % 3])
        if n < shared:
            store.share(sid, who)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def verdict(ms: float) -> str:
    return f"target {TARGET_MS} ms: {'met' if ms <= TARGET_MS else 'MISSED'}"


def timed(fn: Callable[[], object], rounds: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(rounds):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return walls, cpus


@contextlib.contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    """This process's environment as ``env`` for a while (the store the command opens)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def explain(store: Store, label: str) -> None:
    """The plan of the inbox's read of the period (``Store.period``), as the database runs it."""
    seen: list[tuple[str, tuple[object, ...]]] = []
    real = store._read

    def spy(sql: str, params: tuple[object, ...] = ()) -> list[object]:
        seen.append((sql, params))
        return real(sql, params)

    store._read = spy  # type: ignore[method-assign]
    try:
        store.period(dt.date.today() - dt.timedelta(weeks=WEEKS))
    finally:
        store._read = real  # type: ignore[method-assign]
    sql, params = seen[0]
    prefix = "EXPLAIN QUERY PLAN " if label == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
    print(f"[{label}] plan of Store.period:")
    for row in real(prefix + sql, params):
        print("    " + " ".join(str(x) for x in row))


def measure(label: str, open_store: Callable[[], contextlib.AbstractContextManager[Store]], cli_argv: list[str], env: dict[str, str], rounds: int, plan: bool) -> None:
    with open_store() as store:
        if plan:
            explain(store, label)
        box = build_inbox(store, "dsl", weeks=WEEKS)
        print(f"[{label}] inbox: {len(box.items)} items, {len(box.concerns)} concerns, {len(box.suggestions)} suggestions")
        walls, cpus = timed(lambda: build_inbox(store, "dsl", weeks=WEEKS), rounds)
    print(f"[{label}] build_inbox on the open store (the wizard's inbox screen): wall {median_ms(walls):.0f} ms, CPU {median_ms(cpus):.0f} ms (min wall {min(walls) * 1000:.0f}) — {verdict(median_ms(walls))}")

    def open_and_build() -> None:
        with open_store() as store:
            build_inbox(store, "dsl", weeks=WEEKS)

    walls, cpus = timed(open_and_build, rounds)
    print(f"[{label}] open the store + build_inbox: wall {median_ms(walls):.0f} ms, CPU {median_ms(cpus):.0f} ms — {verdict(median_ms(walls))}")

    def cli() -> None:
        with contextlib.redirect_stdout(io.StringIO()), environment(env):
            assert main([*cli_argv, "inbox", "--no-mark", "--json"]) == 0

    walls, cpus = timed(cli, rounds)
    print(f"[{label}] cse-screen inbox --json in-process: wall {median_ms(walls):.0f} ms, CPU {median_ms(cpus):.0f} ms")
    child_env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for extra in ([], ["--json"]):
        cmd = [sys.executable, "-m", "cse_screen", *cli_argv, "inbox", "--no-mark", *extra]
        subprocess.run(cmd, env=child_env, capture_output=True, check=True)  # warm: file cache, .pyc
        walls, cpus = subprocess_times(cmd, child_env, repeat=rounds)
        name = "cse-screen inbox" + (" --json" if extra else "")
        print(f"[{label}] {name} as a subprocess: wall {median_ms(walls):.0f} ms, CPU {median_ms(cpus):.0f} ms (min CPU {min(cpus) * 1000:.0f}) — {verdict(median_ms(cpus))} (CPU)")


def run_sqlite(args: argparse.Namespace) -> None:
    os.environ.setdefault("CSE_SCREEN_ENCRYPTION", "off")  # after_bench sets it too: the opt-out
    data_dir = Path(args.dir or tempfile.mkdtemp(prefix="cse-inbox-bench-")) / "data"
    start = time.perf_counter()
    if (data_dir / "screenings.sqlite3").exists():
        print(f"[sqlite] reusing {data_dir}")
    else:
        generate(data_dir, args.count, args.children)
        with Store.open(data_dir) as store:
            add_recent(store, args.recent, args.shared)
        print(f"[sqlite] generated {args.count:,} + {args.recent:,} screenings ({args.shared} shared) in {time.perf_counter() - start:.1f} s")
    env = dict(os.environ, CSE_SCREEN_DATA_DIR=str(data_dir), COLUMNS="100")
    measure("sqlite", lambda: Store.open(data_dir), ["--data-dir", str(data_dir)], env, args.rounds, args.explain)


@contextlib.contextmanager
def cluster_running() -> Iterator[object]:
    from pg_cluster import find_bin_dir, start, stop

    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
    cluster = start(bin_dir)
    try:
        yield cluster
    finally:
        stop(bin_dir, cluster)


def seed_old(owner_url: str, password: str, owner: str, count: int, children: int, sha: str) -> None:
    """``count`` completed screenings of ``children`` children dated 2024–2025, with their ``created`` events (COPY)."""
    import psycopg

    from cse_screen.store.codec import child_key, seal_json

    levels = ("none", "low", "moderate", "significant")
    with psycopg.connect(owner_url, password=password) as conn:
        with conn.cursor().copy(
            "COPY cse_screen.screenings (id, setting_id, owner, status, level, child_key, questionnaire, meta,"
            " screening_date, created_at, updated_at, completed_at, seq) FROM STDIN"
        ) as copy:
            for n in range(count):
                child, k = n % children, n // children
                ref = f"CH-{child:05d}"
                when = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=k * 60, minutes=child)
                at = when.isoformat(timespec="microseconds")
                copy.write_row(
                    (f"b{n:09d}", SETTING, owner, "completed", levels[(child + k) % 4], child_key(ref), sha,
                     seal_json({"child_ref": ref, "practitioner": "Ms Old"}), when.date().isoformat(), at, at, at, 1)
                )  # fmt: skip
        created = seal_json({"questionnaire_id": "cse-screening", "meta": {}})
        with conn.cursor().copy(
            "COPY cse_screen.events (screening_id, setting_id, seq, who, author, kind, new_value, amendment) FROM STDIN"
        ) as copy:
            for n in range(count):
                copy.write_row((f"b{n:09d}", SETTING, 1, owner, "Ms Old", "created", created, 0))
        conn.commit()
        conn.execute("ANALYZE")


def run_postgresql(args: argparse.Namespace) -> None:
    import psycopg
    from pg_cluster import SUPERUSER_PASSWORD, Cluster

    from cse_screen.team.schema import add_person, init_schema

    with cluster_running() as cluster:
        assert isinstance(cluster, Cluster)
        start = time.perf_counter()
        with psycopg.connect(cluster.url(), password=SUPERUSER_PASSWORD, autocommit=True) as conn:
            conn.execute("CREATE DATABASE inbox")
        owner_url = cluster.url(dbname="inbox")
        with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD) as conn:
            init_schema(conn)
            add_person(conn, "prac", "practitioner", SETTING)
            add_person(conn, "lead", "dsl", SETTING)
            for name in ("prac", "lead"):
                conn.execute(f"ALTER ROLE {name} PASSWORD '{PASSWORD}'")
            conn.commit()
        pgpass = Path(tempfile.mkdtemp(prefix="cse-inbox-bench-")) / "pgpass"
        pgpass.write_text(f"*:*:*:postgres:{SUPERUSER_PASSWORD}\n*:*:*:*:{PASSWORD}\n")
        pgpass.chmod(0o600)
        os.environ["PGPASSFILE"] = str(pgpass)
        prac_url, dsl_url = cluster.url(user="prac", dbname="inbox"), cluster.url(user="lead", dbname="inbox")
        loaded = load_questionnaire(bundled_path("cse-screening"))
        with Store.open(database_url=prac_url) as store:
            store.create(loaded, ScreeningMeta(child_ref="BENCH-0"), "bench")  # stores the questionnaire
        seed_old(owner_url, SUPERUSER_PASSWORD, "prac", args.count, args.children, loaded.sha256)
        with Store.open(database_url=prac_url) as store:
            add_recent(store, args.recent, args.shared)
        with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD, autocommit=True) as conn:
            conn.execute("ANALYZE")
        print(f"[postgresql] seeded {args.count:,} + {args.recent:,} screenings ({args.shared} shared) in {time.perf_counter() - start:.1f} s")
        env = dict(os.environ, CSE_SCREEN_DATABASE_URL=dsl_url, COLUMNS="100")
        measure("postgresql", lambda: Store.open(database_url=dsl_url), [], env, args.rounds, args.explain)


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--shared", type=int, default=100)
    parser.add_argument("--recent", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--dir", help="SQLite: a folder of an earlier run to measure again")
    parser.add_argument("--explain", action="store_true", help="print the plan of the inbox's read of the period")
    args = parser.parse_args()
    if not 1 <= args.count <= 1_000_000 or not 1 <= args.rounds <= 101:
        parser.error("bounded: up to 1,000,000 screenings, 1-101 rounds")
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.backend in ("sqlite", "both"):
        run_sqlite(args)
    if args.backend in ("postgresql", "both"):
        run_postgresql(args)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main_bench()
