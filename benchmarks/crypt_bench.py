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


def timed(fn: object, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def measure(data_dir: Path, count: int) -> dict[str, float]:
    start = time.perf_counter()
    sid = generate(data_dir, count)
    print(f"  generated {count} screenings in {time.perf_counter() - start:.0f} s", flush=True)
    res: dict[str, float] = {}
    res["unlock"] = statistics.median(timed(lambda: Store.open(data_dir).close(), 5))
    with Store.open(data_dir) as store:
        saver = Autosaver(store, sid, "bench")
        n = iter(range(10**6))
        res["autosave"] = statistics.median(
            timed(lambda: saver.save_answer("q01", Answer(value=f"bench answer {next(n)}"), position="q02"), 200)
        )
        saver.close()
        res["list_all"] = statistics.median(timed(lambda: store.list(), 5))

    def cli_list() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["--data-dir", str(data_dir), "list"]) == 0

    res["cli_list"] = statistics.median(timed(cli_list, 5))
    return res


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="cse-crypt-bench-"))
    secret = base / "pass"
    secret.write_text("invented benchmark passphrase\n")
    secret.chmod(0o600)
    results = {}
    for name in ("unencrypted", "encrypted"):
        print(name, flush=True)
        use_keys(None)
        if name == "encrypted":
            os.environ.pop("CSE_SCREEN_ENCRYPTION", None)
            os.environ["CSE_SCREEN_PASSPHRASE_FILE"] = str(secret)
        else:
            os.environ["CSE_SCREEN_ENCRYPTION"] = "off"
            os.environ.pop("CSE_SCREEN_PASSPHRASE_FILE", None)
        results[name] = measure(base / name / "data", args.count)
    plain, enc = results["unencrypted"], results["encrypted"]
    print()
    print(f"| measure ({args.count:,} screenings) | unencrypted | encrypted | ratio | target |")
    print("|---|---|---|---|---|")
    rows = [
        ("unlock (Store.open)", "unlock", "≤ 0.5 s"),
        ("autosave commit, median of 200", "autosave", "≤ 1.5× and ≤ 5 ms"),
        ("Store.list() of every screening, median of 5", "list_all", "≤ 1.3×"),
        ("`cse-screen list` in-process, median of 5", "cli_list", "≤ 1.3×"),
    ]
    for label, key, target in rows:
        print(f"| {label} | {plain[key] * 1000:.1f} ms | {enc[key] * 1000:.1f} ms | {enc[key] / plain[key]:.2f}× | {target} |")


if __name__ == "__main__":
    main_bench()
