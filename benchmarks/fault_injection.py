"""Fault injection against the real store and commands (issue 15): prints one table.

    .venv/bin/python benchmarks/fault_injection.py              # short run (a few of each)
    .venv/bin/python benchmarks/fault_injection.py --full       # 10 disk-full, 100 kills, 100 corruptions
    .venv/bin/python benchmarks/fault_injection.py --kills 0    # skip a part

Three parts, each counted in the table's row of its own:

* **disk full at quit** — a real 1 MiB tmpfs where this machine allows mounting one (root),
  else injected ``SQLITE_FULL`` (the store's ``max_page_count``). The autosaving probe
  (``cse_screen.store.crashprobe``: the wizard's ``Autosaver``) answers until the disk is
  full, quits (SQLite's checkpoint stops part-way), the space is freed, and then
  ``cse-screen list`` must open the store (a *lockout* if it calls it damaged), every
  answer acknowledged as saved must be there, and ``doctor`` must pass.
* **SIGKILL of the wizard** — the real ``cse-screen`` in a pty (100x30) is killed at a
  random moment: after answering questions at a person's pace, while a note is being
  typed, or while a long-text answer is being typed. An answer is *lost* when the screen
  showed it as saved ("✓ Saved." with a later question, or with the finished text) and the
  store does not hold it. Text typed but never shown as saved is counted apart
  ("typed text not in the store"): that is what issue 10 (saving text as it is typed)
  is about.
* **corruption of a copy of a store** — truncation, garbage, zeroed pages, bit flips, a
  garbage ``-wal``, an emptied file. Each copy is read by ``list``, ``show --json`` of
  every screening and ``doctor``; compared with the intact copy, a corruption is
  *detected* (a command says the store is damaged, or warns once that the last change may
  not have been kept), *harmless* (every output identical:
  free or unused bytes), *silently wrong* (a command succeeds with different output) or
  an *unclear error* (a command fails without saying the store is damaged).

Every child and answer is invented. Nothing outside a temporary folder is touched (the
tmpfs is mounted inside it and unmounted afterwards).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).with_name("cse-screen")
DB = "screenings.sqlite3"


@dataclass
class Row:
    """One line of the table."""

    part: str
    runs: int = 0
    kills: int = 0
    answers_lost: int = 0
    integrity_failures: int = 0
    corruptions_detected: int = 0
    silently_wrong: int = 0
    lockouts: int = 0
    notes: list[str] = field(default_factory=list)


def _env(data: Path, config: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(data.parent),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "CSE_SCREEN_DATA_DIR": str(data),
        "CSE_SCREEN_CONFIG_DIR": str(config),
        # The probes cannot type a passphrase: stores are made with the recorded opt-out
        # unless the caller gives a passphrase file (then they are encrypted).
        "CSE_SCREEN_ENCRYPTION": "" if "CSE_SCREEN_PASSPHRASE_FILE" in os.environ else "off",
        **(
            {"CSE_SCREEN_PASSPHRASE_FILE": os.environ["CSE_SCREEN_PASSPHRASE_FILE"]}
            if "CSE_SCREEN_PASSPHRASE_FILE" in os.environ
            else {}
        ),
        **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
    }


def _cli(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *args], env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def _says_damaged(text: str) -> bool:
    return any(w in text for w in ("is damaged", "empty (0 bytes)", "stored copy of questionnaire"))


def _warns(text: str) -> bool:
    return "may not have been kept" in text


# ---------------------------------------------------------------------- disk full at quit


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[bool]:
    where.mkdir()
    ok = os.geteuid() == 0 and (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)], capture_output=True
        ).returncode
        == 0
    )
    try:
        yield ok
    finally:
        if ok:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _fill(folder: Path, leave: int) -> Path:
    """A filler file that leaves about ``leave`` bytes free on the filesystem."""
    filler = folder / "filler"
    free = shutil.disk_usage(folder).free
    with open(filler, "wb") as fh, contextlib.suppress(OSError):
        fh.write(b"\0" * max(0, free - leave))
    return filler


def disk_full(runs: int, rng: random.Random, tmp: Path) -> Row:
    row = Row("disk full at quit")
    for run in range(runs):
        with _tmpfs(tmp / f"full{run}", "1m") as mounted:
            if not mounted:
                row.notes.append("no tmpfs here: SQLITE_FULL injected with max_page_count instead")
                _disk_full_injected(row, tmp / f"full{run}", rng)
                continue
            base = tmp / f"full{run}"
            data, config = base / "data", tmp / "config"
            env = _env(data, config)
            # A store with some history already merged into the main file.
            probe = [sys.executable, "-m", "cse_screen.store.crashprobe", "--data-dir", str(data)]
            first = subprocess.run(
                probe, input="q01 invented earlier answer\n", capture_output=True, text=True, env=env
            )
            assert first.returncode == 0, first.stderr
            filler = _fill(base, rng.randint(60, 400) * 1024)
            proc = subprocess.Popen(
                probe,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            assert proc.stdin is not None and proc.stdout is not None
            sid = proc.stdout.readline().split()[-1]
            saved: dict[str, str] = {}
            for i in range(1, 21):
                value = f"invented answer {i} " + "x" * rng.randint(2000, 12000)
                proc.stdin.write(f"q{i:02d} {value}\n")
                proc.stdin.flush()
                line = proc.stdout.readline().split()
                if line and line[0] == "saved":
                    saved[line[1]] = value
            proc.stdin.close()  # quit: the probe saves what it can and closes the store
            proc.wait(timeout=60)
            row.runs += 1
            filler.unlink()  # space is free again
            out = _cli(env, "list", "--status", "all")
            if out.returncode != 0:
                row.lockouts += 1
                row.notes.append(f"run {run}: list exited {out.returncode}: {out.stderr.strip()[:160]}")
                continue
            doctor = _cli(env, "doctor")
            if doctor.returncode != 0:
                row.integrity_failures += 1
            from cse_screen.store import Store

            with Store.open(data) as store:
                answers = store.load(sid).screening.answers
            row.answers_lost += sum(1 for q, v in saved.items() if q not in answers or answers[q].value != v)
    return row


def _disk_full_injected(row: Row, data: Path, rng: random.Random) -> None:
    from cse_screen.screening import Answer, ScreeningMeta
    from cse_screen.store import Autosaver, Store
    from cse_screen.store.crashprobe import probe_questionnaire

    store = Store.open(data)
    sid = store.create(probe_questionnaire(), ScreeningMeta(child_ref="ZZ-full"), "probe")
    saver = Autosaver(store, sid, "probe", renew_every=None)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + rng.randint(1, 20)}")
    saved = {}
    for i in range(1, 21):
        value = "invented " + "x" * rng.randint(2000, 12000)
        if saver.save_answer(f"q{i:02d}", Answer(value=value)):
            saved[f"q{i:02d}"] = value
    saver.close()
    store.close()
    row.runs += 1
    env = _env(data, data.parent / "config")
    if _cli(env, "list", "--status", "all").returncode != 0:
        row.lockouts += 1
        return
    if _cli(env, "doctor").returncode != 0:
        row.integrity_failures += 1
    with Store.open(data) as store:
        answers = store.load(sid).screening.answers
    row.answers_lost += sum(1 for q, v in saved.items() if q not in answers or answers[q].value != v)


# ---------------------------------------------------------------------- corruptions


def _template(folder: Path, *, with_wal: bool) -> list[str]:
    """A store of invented screenings; with ``with_wal`` the last changes are only in the -wal."""
    from cse_screen.bundled import bundled_path
    from cse_screen.questionnaire.loader import load_questionnaire
    from cse_screen.screening import Answer, Judgement, ScreeningMeta
    from cse_screen.store import Store

    loaded = load_questionnaire(bundled_path("cse-screening"))
    ids = []
    with Store.open(folder) as store:
        for i in range(10):
            sid = store.create(loaded, ScreeningMeta(child_ref=f"ZZ-{i:02d}", practitioner="Tester"), "t")
            store.record_answer(sid, "age", Answer(value=12 + i % 5), "t")
            store.record_answer(
                sid, "danger_now", Answer(value="no", note=f"invented note {i} " * 20, source="observed"), "t"
            )
            if i % 3 == 0:
                store.set_judgement(sid, Judgement(level="low", reason="invented reason"), "t")
            ids.append(sid)
    if with_wal:
        store = Store.open(folder)
        sid = store.create(loaded, ScreeningMeta(child_ref="ZZ-wal", practitioner="Tester"), "t")
        store.record_answer(sid, "age", Answer(value=15, note="only in the wal " * 30), "t")
        ids.append(sid)
        keep = folder.parent / (folder.name + "-crashed")
        keep.mkdir()
        for suffix in ("", "-wal"):
            shutil.copy2(folder / f"{DB}{suffix}", keep / f"{DB}{suffix}")
        store.close()
        shutil.rmtree(folder)
        keep.rename(folder)
    return ids


def _observe(data: Path, ids: list[str]) -> list[tuple[str, int, str]]:
    """Each reading command's (name, exit code, output) on a store, run in this process."""
    from cse_screen.cli import main
    from cse_screen.store import database

    results = []
    for args in (
        ["list", "--status", "all", "--limit", "0"],
        *(["show", sid, "--json"] for sid in ids),
        ["doctor"],
    ):
        database._QCACHE.clear()  # nothing read from an intact copy may hide damage in this one
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["--data-dir", str(data), *args])
            except BaseException as exc:  # noqa: BLE001 - a crash is an outcome to count
                code = -1
                err.write(f"CRASH {type(exc).__name__}")
        results.append((args[0], code, out.getvalue() + "\n--\n" + err.getvalue()))
    return results


def _corrupt(data: Path, kind: str, rng: random.Random) -> str:
    main = data / DB
    wal = data / f"{DB}-wal"
    raw = bytearray(main.read_bytes())
    page = int.from_bytes(raw[16:18], "big") or 4096
    if kind == "truncate":
        cut = rng.randint(0, len(raw) - 1)
        main.write_bytes(bytes(raw[:cut]))
        return f"truncated to {cut} bytes"
    if kind == "empty":
        main.write_bytes(b"")
        return "emptied"
    if kind == "garbage":
        start = rng.randint(0, len(raw) - 1)
        length = rng.randint(1, 4096)
        raw[start : start + length] = bytes(rng.getrandbits(8) for _ in range(min(length, len(raw) - start)))
        main.write_bytes(bytes(raw))
        return f"garbage at {start}+{length}"
    if kind == "zero-page":
        n = rng.randint(0, len(raw) // page - 1)
        raw[n * page : (n + 1) * page] = bytes(page)
        main.write_bytes(bytes(raw))
        return f"page {n + 1} zeroed"
    if kind == "bit-flip":
        spots = []
        for _ in range(rng.randint(1, 8)):
            bit = rng.randrange(len(raw) * 8)
            raw[bit // 8] ^= 1 << (bit % 8)
            spots.append(bit // 8)
        main.write_bytes(bytes(raw))
        return f"bits flipped at {spots}"
    if kind == "garbage-wal":
        wraw = bytearray(wal.read_bytes())
        start = rng.randint(0, len(wraw) - 1)
        length = rng.randint(1, 8192)
        wraw[start : start + length] = bytes(
            rng.getrandbits(8) for _ in range(min(length, len(wraw) - start))
        )
        wal.write_bytes(bytes(wraw))
        return f"-wal garbage at {start}+{length}"
    raise ValueError(kind)


def corruptions(runs: int, rng: random.Random, tmp: Path) -> Row:
    row = Row("corruption of a copy")
    templates = {}
    for with_wal in (False, True):
        folder = tmp / f"template-{with_wal}"
        templates[with_wal] = (folder, _template(folder, with_wal=with_wal))
    kinds = ["truncate", "garbage", "zero-page", "bit-flip", "garbage-wal", "empty"]
    reference = {}
    for w, (folder, ids) in templates.items():
        # Reading merges a -wal into the main file: observe a copy, keep the template as made.
        shutil.copytree(folder, tmp / f"reference-{w}")
        reference[w] = _observe(tmp / f"reference-{w}", ids)
    for w, ref in reference.items():
        assert all(code == 0 for _, code, _ in ref), (w, [r for r in ref if r[1] != 0])
    outcomes = {"detected": 0, "harmless": 0, "silently wrong": 0, "unclear error": 0}
    for run in range(runs):
        kind = kinds[run % len(kinds)]
        with_wal = kind == "garbage-wal" or rng.random() < 0.3
        folder, ids = templates[with_wal]
        copy = tmp / f"copy{run}"
        shutil.copytree(folder, copy)
        what = _corrupt(copy, kind, rng)
        seen = _observe(copy, ids)
        row.runs += 1
        damaged = any(_says_damaged(out) and code == 2 for _, code, out in seen)
        damaged = damaged or any(_warns(out) for _, _, out in seen)
        # The warning that the last change may be gone is said once, by the first command
        # (which then merges the -wal): what later commands show is that warned state.
        first_warning = next((i for i, (_, _, out) in enumerate(seen) if _warns(out)), len(seen))
        wrong = [
            name
            for i, ((name, code, out), (_, _, ref)) in enumerate(zip(seen, reference[with_wal], strict=True))
            if code == 0 and out != ref and name != "doctor" and i < first_warning
        ]
        unclear = [name for name, code, out in seen if code != 0 and not _says_damaged(out)]
        if damaged:
            outcomes["detected"] += 1
            row.corruptions_detected += 1
        if wrong:
            outcomes["silently wrong"] += 1
            row.silently_wrong += 1
            row.notes.append(f"{kind} ({what}): {sorted(set(wrong))} succeeded with different output")
        elif unclear and not damaged:
            outcomes["unclear error"] += 1
            said = next(out.split("--\n")[-1].strip()[:160] for _, code, out in seen if code != 0)
            row.notes.append(f"{kind} ({what}): {sorted(set(unclear))} failed without naming damage: {said}")
        elif not damaged:
            outcomes["harmless"] += 1
        shutil.rmtree(copy)
    row.notes.insert(0, "outcomes: " + ", ".join(f"{k} {v}" for k, v in outcomes.items()))
    return row


# ---------------------------------------------------------------------- SIGKILL of the wizard


def kills(runs: int, rng: random.Random, tmp: Path) -> list[Row]:
    from wizard_kills import kill_runs  # beside this file: drives the real wizard in a pty

    return kill_runs(runs, rng, tmp, Row)


# ---------------------------------------------------------------------- table


def _print(rows: list[Row]) -> None:
    print(
        "| part | runs | kills | answers lost | integrity failures | corruptions detected "
        "| silently wrong | lockouts |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r.part} | {r.runs} | {r.kills} | {r.answers_lost} | {r.integrity_failures} | "
            f"{r.corruptions_detected} | {r.silently_wrong} | {r.lockouts} |"
        )
    for r in rows:
        for note in dict.fromkeys(r.notes):  # each note once, in order
            print(f"- {r.part}: {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="10 disk-full runs, 100 kills, 100 corruptions")
    parser.add_argument("--disk-full", type=int, help="disk-full runs (default 2; 10 with --full)")
    parser.add_argument("--kills", type=int, help="wizard kills (default 6; 100 with --full)")
    parser.add_argument("--corruptions", type=int, help="corruptions (default 12; 100 with --full)")
    parser.add_argument("--seed", type=int, default=1515)
    args = parser.parse_args(argv)
    counts = {
        "disk_full": args.disk_full if args.disk_full is not None else (10 if args.full else 2),
        "kills": args.kills if args.kills is not None else (100 if args.full else 6),
        "corruptions": args.corruptions if args.corruptions is not None else (100 if args.full else 12),
    }
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    # The in-process parts make stores too: the same policy as the probes (see _env), so a
    # run by hand does not stop at "a new store is encrypted with a passphrase you choose".
    if "CSE_SCREEN_PASSPHRASE_FILE" not in os.environ:
        os.environ.setdefault("CSE_SCREEN_ENCRYPTION", "off")
    rows = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cse-faults-") as name:
        tmp = Path(name)
        parts: list[tuple[str, Callable[[int, random.Random, Path], Row | list[Row]]]] = [
            ("disk_full", disk_full),
            ("kills", kills),
            ("corruptions", corruptions),
        ]
        for key, part in parts:
            if counts[key]:
                folder = tmp / key
                folder.mkdir()
                got = part(counts[key], random.Random(f"{args.seed}-{key}"), folder)
                rows.extend(got if isinstance(got, list) else [got])
    _print(rows)
    print(f"\n{time.monotonic() - started:.0f} s, seed {args.seed}")
    bad = sum(r.answers_lost + r.silently_wrong + r.lockouts for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
