# ruff: noqa: E501  (benchmark script: its table lines read better unwrapped)
"""Team mode under load: practitioners autosaving at once and a DSL reading, on a throwaway cluster.

    .venv/bin/python benchmarks/team_load.py [--practitioners 20] [--seconds 60] [--screenings 100000]

Bounded in count and time, on this machine only: it starts its own PostgreSQL cluster
(tests/team/pg_cluster.py: initdb in a temporary folder, Unix socket only, no TCP port),
runs ``team init``, adds the people, seeds ``--screenings`` invented screenings in the
DSL's setting (bulk ``COPY`` as the owner), and then for ``--seconds``:

* each practitioner (a thread with its own login and connection, through ``Store`` and
  ``Autosaver`` exactly as the wizard saves) creates a screening and autosaves one answer
  after another, ``--pause`` seconds apart (0: back to back, which saturates this
  machine's two cores), timing each commit;
* one DSL builds the whole inbox (``build_inbox``, what ``cse-screen inbox`` and the
  wizard's inbox screen show: the shared screenings, most urgent first, the joined-up
  concerns and the near references), reads the setting's most recent 50 screenings
  (``Store.list(limit=50)``) and the full setting count, timing each.

Before the run, ``--recent`` completed screenings of the last 8 weeks are added through the
store as one practitioner would, the first ``--shared`` of them shared with the DSL (as
``benchmarks/inbox_bench.py`` does), so the inbox has real work to do among the seeded ones.

Afterwards every practitioner's screenings are checked against what it saved: the trail
numbered 1..n with no gap or repeat, one event per change that returned "saved", and
replay = state. The cluster is stopped and removed at the end. Invented data only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "team"))
sys.path.insert(0, str(REPO / "tests" / "store"))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("CSE_SCREEN_ENCRYPTION", "off")

import psycopg  # noqa: E402
from inbox_bench import add_recent  # noqa: E402
from pg_cluster import SUPERUSER_PASSWORD, find_bin_dir, start, stop  # noqa: E402
from store_support import make_loaded  # noqa: E402

from cse_screen.screening import Answer, ScreeningMeta  # noqa: E402
from cse_screen.session.inbox_read import build_inbox  # noqa: E402
from cse_screen.store import Autosaver, Store, replay  # noqa: E402
from cse_screen.store.codec import child_key, seal_json  # noqa: E402
from cse_screen.team.schema import add_person, init_schema  # noqa: E402

PASSWORD = "invented-load-password"
SETTING = "load-school"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")
    )


def seed(owner_url: str, people: list[str], count: int, loaded_sha: str, loaded: object) -> float:
    """``count`` screenings spread over ``people``, each with its ``created`` event (COPY, as the owner)."""
    started = time.perf_counter()
    meta_template = {"child_ref": "x"}
    with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD) as conn:
        q = loaded  # LoadedQuestionnaire
        conn.execute(
            "INSERT INTO cse_screen.questionnaires (sha256, qid, version, text, added_at) VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (loaded_sha, q.questionnaire.id, q.questionnaire.version, q.text, "2025-01-01"),  # type: ignore[attr-defined]
        )
        created = seal_json({"questionnaire_id": "x", "meta": meta_template})
        with conn.cursor().copy(
            "COPY cse_screen.screenings (id, setting_id, owner, status, level, child_key, questionnaire, meta,"
            " screening_date, created_at, updated_at, seq) FROM STDIN"
        ) as copy:
            for n in range(count):
                day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
                at = f"{day}T{n % 24:02d}:{n % 60:02d}:00.{n % 1000000:06d}+00:00"
                ref = f"LD-{n % 20000}"
                copy.write_row(
                    (f"s{n:09d}", SETTING, people[n % len(people)], "completed" if n % 3 == 0 else "draft",
                     "low" if n % 3 == 0 else None, child_key(ref), loaded_sha, seal_json({"child_ref": ref}),
                     day, at, at, 1)
                )  # fmt: skip
        with conn.cursor().copy(
            "COPY cse_screen.events (screening_id, setting_id, seq, who, author, kind, new_value, amendment)"
            " FROM STDIN"
        ) as copy:
            for n in range(count):
                copy.write_row(
                    (f"s{n:09d}", SETTING, 1, people[n % len(people)], "seed", "created", created, 0)
                )
        conn.commit()
        conn.execute("ANALYZE")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practitioners", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--screenings", type=int, default=100_000)
    parser.add_argument("--recent", type=int, default=2000, help="completed screenings of the last 8 weeks")
    parser.add_argument("--shared", type=int, default=100, help="of the recent ones, shared with the DSL")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.5,
        help="seconds each practitioner thinks between changes (0: back to back)",
    )
    args = parser.parse_args()
    if (
        not 1 <= args.practitioners <= 50
        or not 1 <= args.seconds <= 600
        or not 0 <= args.screenings <= 1_000_000
        or not 0 <= args.shared <= args.recent <= 100_000
    ):
        parser.error(
            "bounded: 1-50 practitioners, 1-600 seconds, up to 1,000,000 screenings, shared <= recent <= 100,000"
        )
    bin_dir = find_bin_dir()
    if bin_dir is None:
        print("PostgreSQL server binaries not found (apt-get install postgresql)", file=sys.stderr)
        return 2
    cluster = start(bin_dir)
    try:
        return run(cluster, args)
    finally:
        stop(bin_dir, cluster)


def dsl_reader(url: str, seconds: float, shared: int, results: Any) -> None:
    """The DSL's desk (a process of its own): build the inbox, list a page, count, for ``seconds``."""
    inboxes: list[float] = []
    reads: list[float] = []
    counts: list[float] = []
    failures: list[str] = []
    stop_at = time.monotonic() + seconds
    try:
        with Store.open(database_url=url) as store:
            while time.monotonic() < stop_at:
                t0 = time.perf_counter()
                inbox = build_inbox(store, "lead", weeks=8)
                inboxes.append(time.perf_counter() - t0)
                assert len(inbox.items) == shared
                t0 = time.perf_counter()
                page = store.list(limit=50)
                reads.append(time.perf_counter() - t0)
                assert len(page) == 50
                t0 = time.perf_counter()
                store._read("SELECT count(*) FROM screenings WHERE status != 'deleted'")
                counts.append(time.perf_counter() - t0)
                time.sleep(0.2)  # a person paging the inbox, not a tight loop
    except Exception as exc:  # noqa: BLE001 - a benchmark reports every failure and goes on
        failures.append(f"lead: {type(exc).__name__}: {exc}")
    results.put((inboxes, reads, counts, failures))


def run(cluster: object, args: argparse.Namespace) -> int:
    from pg_cluster import Cluster

    assert isinstance(cluster, Cluster)
    with psycopg.connect(cluster.url(), password=SUPERUSER_PASSWORD, autocommit=True) as conn:
        conn.execute("CREATE DATABASE load")
    owner_url = cluster.url(dbname="load")
    names = [f"prac{i:02d}" for i in range(args.practitioners)]
    with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD) as conn:
        init_schema(conn)
        for name in [*names, "lead"]:
            add_person(conn, name, "dsl" if name == "lead" else "practitioner", SETTING)
            conn.execute(f"ALTER ROLE {name} PASSWORD '{PASSWORD}'")
        conn.commit()
    pgpass = Path(tempfile.mkdtemp(prefix="cse-load-")) / "pgpass"
    pgpass.write_text(f"*:*:*:postgres:{SUPERUSER_PASSWORD}\n*:*:*:*:{PASSWORD}\n")
    pgpass.chmod(0o600)
    os.environ["PGPASSFILE"] = str(pgpass)
    loaded = make_loaded()
    seeded = seed(owner_url, names, args.screenings, loaded.sha256, loaded)
    start_recent = time.perf_counter()
    with Store.open(database_url=cluster.url(user=names[0], dbname="load")) as store:
        add_recent(store, args.recent, args.shared)
    with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD, autocommit=True) as conn:
        conn.execute("ANALYZE")
    print(
        f"seeded {args.screenings:,} screenings in {seeded:.1f} s; {args.recent:,} recent "
        f"({args.shared} shared) in {time.perf_counter() - start_recent:.1f} s"
    )

    stop_at = time.monotonic() + args.seconds
    commits: list[float] = []
    failures: list[str] = []
    saved: dict[str, dict[str, int]] = {}
    lock = threading.Lock()

    def practitioner(name: str) -> None:
        mine: dict[str, int] = {}
        times: list[float] = []
        try:
            with Store.open(database_url=cluster.url(user=name, dbname="load")) as store:
                n = 0
                while time.monotonic() < stop_at:
                    sid = store.create(loaded, ScreeningMeta(child_ref=f"NEW-{name}-{n}"), name)
                    saver = Autosaver(store, sid, name, renew_every=None)
                    mine[sid] = 0
                    for i in range(40):  # a screening of 40 changes, then the next
                        if time.monotonic() >= stop_at:
                            break
                        t0 = time.perf_counter()
                        ok = saver.save_answer("age", Answer(value=i % 18))
                        times.append(time.perf_counter() - t0)
                        if ok:
                            mine[sid] += 1
                        else:
                            failures.append(f"{name}: {saver.last_error}")
                        if args.pause:
                            time.sleep(args.pause)  # a person reading the next question
                    saver.close()
                    n += 1
        except Exception as exc:  # noqa: BLE001 - a benchmark reports every failure and goes on
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
        with lock:
            commits.extend(times)
            saved[name] = mine

    # The DSL sits at another desk: its own process, so building the inbox (Python work)
    # never holds the practitioners' interpreter lock and inflates their commit times.
    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    dsl = spawn.Process(
        target=dsl_reader,
        args=(cluster.url(user="lead", dbname="load"), stop_at - time.monotonic(), args.shared, results),
    )
    threads = [threading.Thread(target=practitioner, args=(n,)) for n in names]
    dsl.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    inboxes, reads, counts, dsl_failures = results.get(timeout=120)
    dsl.join(timeout=60)
    failures.extend(dsl_failures)

    # Nothing lost, nothing doubled: each trail is 1..n, one event per saved change, replay = state.
    problems = 0
    total_events = 0
    for name, mine in saved.items():
        with Store.open(database_url=cluster.url(user=name, dbname="load")) as store:
            for sid, changes in mine.items():
                events = store.events(sid)
                total_events += len(events)
                seqs = [e.seq for e in events]
                expected_answers = changes  # each save changed the value (i % 18 differs from the last)
                answer_events = sum(1 for e in events if e.kind == "answer")
                if seqs != list(range(1, len(events) + 1)) or answer_events != expected_answers:
                    problems += 1
                if replay(events) != store.load(sid).screening:
                    problems += 1
    ms = [c * 1000 for c in commits]
    rd = [r * 1000 for r in reads]
    ct = [c * 1000 for c in counts]
    ib = [i * 1000 for i in inboxes]
    print(
        f"{args.practitioners} practitioners autosaving for {args.seconds:.0f} s ({args.pause:g} s between changes), one DSL reading; {args.screenings:,} screenings seeded"
    )
    print(
        f"autosave commits: {len(ms):,} ({len(ms) / args.seconds:.0f}/s); median {statistics.median(ms):.1f} ms, p95 {pct(ms, 95):.1f} ms, p99 {pct(ms, 99):.1f} ms, max {max(ms):.1f} ms"
    )
    print(
        f"DSL inbox (build_inbox, {args.shared} shared, 8 weeks): {len(ib)} builds; median {statistics.median(ib):.0f} ms, "
        f"p95 {pct(ib, 95):.0f} ms, max {max(ib):.0f} ms — target 200 ms: {'met' if pct(ib, 95) <= 200 else 'MISSED'} (p95)"
    )
    print(
        f"DSL list(limit=50): {len(rd)} reads; median {statistics.median(rd):.1f} ms, p95 {pct(rd, 95):.1f} ms, max {max(rd):.1f} ms"
    )
    print(f"DSL count of the setting: median {statistics.median(ct):.1f} ms, p95 {pct(ct, 95):.1f} ms")
    print(
        f"trails checked: {sum(len(m) for m in saved.values())} screenings, {total_events:,} events; problems: {problems}; failed saves: {len(failures)}"
    )
    for failure in failures[:5]:
        print("  " + failure[:200])
    return 0 if problems == 0 and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
