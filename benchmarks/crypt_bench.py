# ruff: noqa: E501  (benchmark script: report lines read better unwrapped)
"""Encryption benchmark: the encrypted store against the unencrypted one, in the same run.

    .venv/bin/python benchmarks/crypt_bench.py [--count 100000]

Builds two stores of ``--count`` generated screenings (invented data, the generator of
store_bench.py: 10 answers and 11 events each), one with encryption (argon2id at the
product's cost) and one with the recorded opt-out, then measures on each:

- unlock: ``Store.open`` (the encrypted one runs argon2id once), median of 5;
- an autosave commit (``Autosaver.save_answer``), median of 200;
- listing every screening (``Store.list()``, all rows: each child reference unsealed) and
  ``cse-screen list`` in-process (the default 50 rows), median of 5.

Targets (issue 13): unlock ≤ 0.5 s; autosave ≤ 1.5× and ≤ 5 ms; list ≤ 1.3×.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_bench import generate  # noqa: E402

from cse_screen.cli import main  # noqa: E402
from cse_screen.screening import Answer  # noqa: E402
from cse_screen.store import Autosaver, Store  # noqa: E402
from cse_screen.store.codec import use_keys  # noqa: E402


def timed(fn: object, repeat: int) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``repeat`` calls (CPU is far less distorted by
    other programs on a shared machine; wall includes waiting for the disk)."""
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()  # type: ignore[operator]
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def use(name: str, secret: Path) -> None:
    """Point the environment at the encrypted or the unencrypted store's way of opening."""
    use_keys(None)
    if name == "encrypted":
        os.environ.pop("CSE_SCREEN_ENCRYPTION", None)
        os.environ["CSE_SCREEN_PASSPHRASE_FILE"] = str(secret)
    else:
        os.environ["CSE_SCREEN_ENCRYPTION"] = "off"
        os.environ.pop("CSE_SCREEN_PASSPHRASE_FILE", None)


def one_round(data_dir: Path, sid: str | None, res: dict[str, list[tuple[float, float]]]) -> None:
    """Measure one store once (the environment already points at its way of opening)."""
    res.setdefault("unlock", []).append(timed(lambda: Store.open(data_dir).close(), 3))
    with Store.open(data_dir) as store:
        saver = Autosaver(store, sid or store.list(limit=1)[0].id, "bench")
        n = iter(range(10**6))
        res.setdefault("autosave", []).append(
            timed(
                lambda: saver.save_answer("q01", Answer(value=f"bench answer {next(n)}"), position="q02"), 100
            )
        )
        saver.close()
        res.setdefault("list_all", []).append(timed(lambda: store.list(), 3))
        res.setdefault("list_50", []).append(timed(lambda: store.list(limit=50), 20))

    def cli_list() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["--data-dir", str(data_dir), "list"]) == 0

    res.setdefault("cli_list", []).append(timed(cli_list, 3))


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--reuse", metavar="DIR", help="a folder from an earlier run (skips generating)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, alternating the two stores")
    args = parser.parse_args()
    base = Path(args.reuse or tempfile.mkdtemp(prefix="cse-crypt-bench-"))
    secret = base / "pass"
    names = ("unencrypted", "encrypted")
    sids: dict[str, str] = {}
    if not args.reuse:
        secret.write_text("invented benchmark passphrase\n")
        secret.chmod(0o600)
        for name in names:
            use(name, secret)
            start = time.perf_counter()
            sids[name] = generate(base / name / "data", args.count)
            print(
                f"{name}: generated {args.count} screenings in {time.perf_counter() - start:.0f} s",
                flush=True,
            )
    results: dict[str, dict[str, list[tuple[float, float]]]] = {n: {} for n in names}
    # Alternating rounds: load from other programs hits both stores alike.
    for _ in range(args.rounds):
        for name in names:
            use(name, secret)
            one_round(base / name / "data", sids.get(name), results[name])
    med = {
        n: {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in r.items()}
        for n, r in results.items()
    }
    plain, enc = med["unencrypted"], med["encrypted"]
    print()
    print(
        f"| measure ({args.count:,} screenings) | unencrypted wall / CPU | encrypted wall / CPU | ratio wall / CPU | target |"
    )
    print("|---|---|---|---|---|")
    rows = [
        ("unlock (`Store.open`; argon2id when encrypted)", "unlock", "≤ 0.5 s"),
        ("autosave commit (one answer), median of 100", "autosave", "≤ 1.5× and ≤ 5 ms"),
        ("`Store.list()` of every screening (100,000 child references unsealed)", "list_all", "≤ 1.3×"),
        ("`Store.list(limit=50)` (what `list` shows)", "list_50", "≤ 1.3×"),
        ("`cse-screen list` in-process (unlock + query + table)", "cli_list", "—"),
    ]
    for label, key, target in rows:
        (pw, pc), (ew, ec) = plain[key], enc[key]
        print(
            f"| {label} | {pw * 1000:.1f} / {pc * 1000:.1f} ms | {ew * 1000:.1f} / {ec * 1000:.1f} ms |"
            f" {ew / pw:.2f}× / {ec / max(pc, 1e-9):.2f}× | {target} |"
        )
    print(f"\n(folder kept for --reuse: {base})")


if __name__ == "__main__":
    main_bench()
