# ruff: noqa: E501  (benchmark script: its table lines read better unwrapped)
"""Every figure of issue 16's targets, each against its baseline measured in the same run.

    .venv/bin/python benchmarks/run_all.py            # everything (a few minutes)
    .venv/bin/python benchmarks/run_all.py --quick    # fewer runs, screenings up to 100k
    .venv/bin/python benchmarks/run_all.py --only cli,scaling --runs 21

Sections (``--only`` picks some):

* ``cli``: ``--help``, ``--version``, ``validate`` (cache off and cache warm) against
  ``python -c "import pydantic, yaml"``; subprocesses interleaved, medians of ``--runs``.
* ``tui``: in a real pseudo-terminal (100x30), against a bare Textual app of the same shape:
  the start screen, ctrl+n -> first question, ``run --child-ref`` and ``resume ID`` first
  question (interleaved starts; also the CPU time each program had used by then, read from
  ``/proc``), and key -> next question at 300 and 5,000 questions.
* ``scaling``: load, full validation and the semantic checks from 100 to 5,000 questions
  (generated, in this process, cache off), a generated 1.2 MB questionnaire, and the same
  size with a tagged ``show_if`` on every third question.
* ``store``: ``cse-screen list`` from 1k to 1M screenings (one database grown on the fly;
  ``--max-screenings`` scales the top down), ``Store.open``, the autosave commit, and the
  autosave hand-over the wizard's key waits for (its writer thread commits).
* ``reports``: each report format for a 300-question screening (as ``report_bench.py``).

Times are wall-clock medians unless marked CPU; CPU time (user + system of the child) is
far less disturbed by other work on a shared machine, so both are printed for subprocesses.
The last table lists every target with its figure and whether it was met. ``--check``
exits 1 when one was missed. Everything generated is invented and lives in a temporary
folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Measure the work itself, never a cache hit, unless a figure says otherwise.
os.environ["CSE_SCREEN_NO_CACHE"] = "1"
# The stores made here are throwaway and hold invented data: no passphrase prompt.
os.environ.setdefault("CSE_SCREEN_ENCRYPTION", "off")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import core_bench  # noqa: E402
import tui_latency  # noqa: E402

BUNDLED = REPO / "questionnaires" / "cse-screening.yaml"


@dataclass
class Target:
    """One line of the issue's Targets section."""

    what: str
    figure: str
    limit: str
    met: bool | None  # None: could not be measured in this run


TARGETS: list[Target] = []


def target(what: str, value: float, limit: float, *, unit: str = "x", baseline: str = "") -> None:
    """Record a target (met when ``value <= limit``)."""
    shown = f"{value:.2f}x" if unit == "x" else f"{value * 1000:.{1 if value >= 0.0001 else 3}f} ms"
    limit_shown = f"<= {limit:.2f}x" if unit == "x" else f"<= {limit * 1000:.0f} ms"
    TARGETS.append(Target(what, shown + (f" ({baseline})" if baseline else ""), limit_shown, value <= limit))


def not_measured(what: str, limit: str, why: str) -> None:
    TARGETS.append(Target(what, f"not measured: {why}", limit, None))


def median_ms(values: Sequence[float]) -> float:
    return statistics.median(values) * 1000


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def interleaved(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Wall and CPU seconds of each command, run in turn ``runs`` times (after one warm-up each)."""
    for argv, env in commands.values():  # warm the OS file cache and the .pyc files
        subprocess.run(argv, env=env, capture_output=True, check=False)
    out: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():
            cpu = _child_cpu()
            start = time.perf_counter()
            done = subprocess.run(argv, env=env, capture_output=True, check=False)
            out[name][0].append(time.perf_counter() - start)
            out[name][1].append(_child_cpu() - cpu)
            if done.returncode not in (0, 2):
                raise SystemExit(
                    f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}"
                )
    return out


# --------------------------------------------------------------------------- cli


def section_cli(runs: int, tmp: Path) -> None:
    cli = str(Path(sys.executable).with_name("cse-screen"))
    env = dict(
        os.environ, CSE_SCREEN_CONFIG_DIR=str(tmp / "cli-config"), CSE_SCREEN_DATA_DIR=str(tmp / "cli-data")
    )
    # An installed program runs from its bytecode (written at install or at the first run).
    # With PYTHONDONTWRITEBYTECODE set (some shells here set it), every module changed since
    # its .pyc was last written would be compiled again on every run: ~10 ms more for
    # `--help` (every command module) and for `validate` after an edit. The warm-up run of
    # `interleaved` writes the bytecode; the timed runs then measure the program itself.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    warm = dict(env, CSE_SCREEN_NO_CACHE="", CSE_SCREEN_CACHE_DIR=str(tmp / "cli-cache"))
    commands = {
        "import pydantic, yaml": ([sys.executable, "-c", "import pydantic, yaml"], env),
        "--help": ([cli, "--help"], env),
        "--version": ([cli, "--version"], env),
        "validate (cache off)": ([cli, "validate", "--quiet", str(BUNDLED)], env),
        "validate (cache warm)": ([cli, "validate", "--quiet", str(BUNDLED)], warm),
        "list --questionnaires": ([cli, "list", "--questionnaires"], env),
    }
    # The floor under `validate` cold, step by step, each in the same interleaved run (issue 16:
    # what pydantic itself costs before any of our work, and what each of our steps adds).
    bundled = repr(str(BUNDLED))
    steps = {
        "floor: one pydantic model (import, define, validate)": (
            "import pydantic, yaml\nclass M(pydantic.BaseModel):\n    x: int\nM(x=1)"
        ),
        "floor: import what validate needs, no questionnaire model built": (
            "import pydantic, yaml\nimport cse_screen.validation"
        ),
        "floor: ... + read and parse the YAML": (
            "import pydantic, yaml\nimport cse_screen.validation\n"
            "from cse_screen.questionnaire.yaml_safe import load_yaml\n"
            f"load_yaml(open({bundled}, 'rb').read())"
        ),
        "floor: ... + build and validate the questionnaire model": (
            "import pydantic, yaml\nimport cse_screen.validation\n"
            "from cse_screen.questionnaire.loader import build_questionnaire\n"
            "from cse_screen.questionnaire.yaml_safe import load_yaml\n"
            f"build_questionnaire(load_yaml(open({bundled}, 'rb').read()), 'q')"
        ),
        "floor: ... + checks, test cases, language (validate_report)": (
            "import pydantic, yaml\nfrom cse_screen.validation import validate_report\n"
            f"validate_report({bundled})"
        ),
    }
    commands.update({name: ([sys.executable, "-c", code], env) for name, code in steps.items()})
    got = interleaved(commands, runs)
    base_wall, base_cpu = (statistics.median(v) for v in got["import pydantic, yaml"])
    print(f"\n## Start-up of light commands (medians of {runs}, interleaved)\n")
    print("| command | wall ms | × baseline | CPU ms | × baseline |\n|---|---:|---:|---:|---:|")
    for name, (wall, cpu) in got.items():
        print(
            f"| `{name}` | {median_ms(wall):.0f} | {statistics.median(wall) / base_wall:.2f} |"
            f" {median_ms(cpu):.0f} | {statistics.median(cpu) / base_cpu:.2f} |"
        )

    def ratio(name: str) -> float:
        return statistics.median(got[name][0]) / base_wall

    target("`validate` bundled tool, cold (cache off) / import baseline", ratio("validate (cache off)"), 2.0)
    target("`validate` bundled tool, cache warm / import baseline", ratio("validate (cache warm)"), 2.0)
    target("`--help` / import baseline", ratio("--help"), 1.0)


# --------------------------------------------------------------------------- tui


def _first(prog: tui_latency.PtyProgram, marker: str) -> float:
    return prog.wait_for(marker) - prog.started


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_so_far(pid: int) -> float:
    """CPU seconds (user + system) the program has used so far (Linux ``/proc``; NaN elsewhere).

    On a shared machine this is far less disturbed than wall time: it counts the program's own
    work, not the time it waited for a core.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return float("nan")


def _start_then_ctrl_n(argv: list[str], env: dict[str, str], first_question: str) -> tuple[float, float]:
    """Seconds to the start screen, and from ctrl+n (details typed) to the first question."""
    prog = tui_latency.PtyProgram(argv, env)
    try:
        shown = _first(prog, "Child reference")
        prog.wait_for("Start")  # the footer: the whole screen is there
        CPU["start"].append(_cpu_so_far(prog.pid))
        # Each step waits until the app has been quiet for a while: a Tab handled before the
        # typed text would put the name in the wrong field on a busy machine.
        for keys in (b"AB-07", b"\t", b"Bench"):
            prog.settle(quiet=0.3)
            os.write(prog.fd, keys)
        prog.settle(quiet=0.3)
        return shown, prog.press("\x0e", first_question)
    finally:
        prog.close()


CPU: dict[str, list[float]] = {"bare": [], "start": [], "run": [], "resume": [], "resume-full": []}
"""CPU seconds each program had used when its first screen was there, per kind."""


def _started(argv: list[str], env: dict[str, str], marker: str, kind: str) -> float:
    prog = tui_latency.PtyProgram(argv, env)
    try:
        shown = _first(prog, marker)
        CPU[kind].append(_cpu_so_far(prog.pid))
        return shown
    finally:
        prog.close()


def _shown_once(argv: list[str], env: dict[str, str], marker: str) -> None:
    """Open a screening in the wizard and leave it up a moment, as a practitioner does.

    Just after its first frame the wizard keeps the light form of the questionnaire in the
    cache (``session/light_page.py``): that is how a draft made or opened in the wizard is
    later resumed, its page drawn before the models are loaded.
    """
    prog = tui_latency.PtyProgram(argv, env)
    try:
        prog.wait_for(marker)
        prog.settle(quiet=1.0, limit=5.0)
    finally:
        prog.close()


def _forget_light_forms(cache: Path) -> None:
    """Remove the cached light forms: the next `resume` opens its draft the full way."""
    for entry in (cache / "questionnaires").glob("*.light.json"):
        entry.unlink()


def section_tui(runs: int, presses: int, tmp: Path) -> None:
    from cse_screen.questionnaire.loader import load_questionnaire
    from cse_screen.screening import Answer, ScreeningMeta
    from cse_screen.store import Store

    base = tmp / "tui"
    base.mkdir(mode=0o700)
    bare = base / "bare_app.py"
    bare.write_text(tui_latency.BARE_APP, encoding="utf-8")
    cli = str(Path(sys.executable).with_name("cse-screen"))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(base),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "CSE_SCREEN_CONFIG_DIR": str(base / "config"),
        "CSE_SCREEN_DATA_DIR": str(base / "data"),
        "CSE_SCREEN_CACHE_DIR": str(base / "cache"),
        # No passphrase screen: these figures are the wizard's, not unlocking's (crypt_bench.py).
        "CSE_SCREEN_ENCRYPTION": "off",
        # Set to compare another checkout's code with the same virtual environment.
        **({"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}),
    }
    files = {}
    for size in (300, 5000):
        files[size] = base / f"bench-{size}.yaml"
        files[size].write_text(tui_latency.generated_questionnaire(size), encoding="utf-8")
    with Store.open(base / "data") as store:  # a draft to resume, one answer in
        sid = store.create(load_questionnaire(files[300]), ScreeningMeta(child_ref="BENCH-R"), "Bench")
        store.record_answer(sid, "q1", Answer(value="no"), "Bench")
        store.set_position(sid, "q2")

    # The start screen offers the bundled tool first; its first question's text marks the page
    # (the progress line is drawn in pieces there).
    first_text = load_questionnaire(BUNDLED).questionnaire.questions()[0].text[:20]
    kinds: dict[str, list[float]] = {
        k: [] for k in ("bare", "start", "ctrl+n", "run", "resume", "resume-full")
    }
    errors: dict[str, str] = {}
    for _ in range(runs):
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("bare", lambda: _started([sys.executable, str(bare), "300"], env, "Question 1 of 300", "bare")),
            (
                "start",
                lambda: _start_then_ctrl_n([cli, "--data-dir", str(base / "data-start")], env, first_text),
            ),
            # The draft opened the full way (no light form cached: the first `resume` after the
            # program changed), then shown once so that the next two find the light form.
            ("resume-full", lambda: _forget_light_forms(base / "cache")),
            ("resume-full", lambda: _started([cli, "resume", sid], env, "of 300", "resume-full")),
            ("warm", lambda: _shown_once([cli, "resume", sid], env, "of 300")),
            (
                "run",
                lambda: _started(
                    [cli, "run", str(files[300]), "--child-ref", "BENCH", "--practitioner", "Bench"],
                    {**env, "CSE_SCREEN_DATA_DIR": str(base / "data-run")},
                    "Question 1 of 300",
                    "run",
                ),
            ),
            ("resume", lambda: _started([cli, "resume", sid], env, "of 300", "resume")),
        ]
        for name, step in steps:
            if name in errors:
                continue
            try:
                value = step()
            except RuntimeError as exc:
                errors[name] = str(exc).splitlines()[0]
                continue
            if name == "start":
                kinds["start"].append(value[0])
                kinds["ctrl+n"].append(value[1])
            elif value is not None:
                kinds[name].append(value)

    print(f"\n## Wizard start (real terminal 100x30, medians of {runs} interleaved starts)\n")
    print(
        "Wall time, and the CPU time the program had used by then (far less disturbed by other work"
        " on a shared machine; not for ctrl+n).\n"
    )
    print("| measure | ms | × bare app | CPU ms | CPU × bare app |\n|---|---:|---:|---:|---:|")
    bare_ms = median_ms(kinds["bare"]) if kinds["bare"] else float("nan")
    bare_cpu = median_ms(CPU["bare"]) if CPU["bare"] else float("nan")
    labels = {
        "bare": "bare Textual app, first frame",
        "start": "`cse-screen` start screen on screen",
        "ctrl+n": "ctrl+n -> first question (details typed)",
        "run": "`run FILE --child-ref` first question (300 q)",
        "resume": "`resume ID` first question (300 q)",
        "resume-full": "`resume ID` first question, light form not cached (300 q)",
    }
    for name, label in labels.items():
        if kinds[name]:
            ms = median_ms(kinds[name])
            cpu = median_ms(CPU[name]) if CPU.get(name) else None
            cpu_cells = "| | |" if cpu is None else f"| {cpu:.0f} | {cpu / bare_cpu:.2f} |"
            print(f"| {label} | {ms:.0f} | {'' if name == 'ctrl+n' else f'{ms / bare_ms:.2f}'} {cpu_cells}")
        else:
            print(f"| {label} | not measured: {errors.get(name, '?')} | | | |")
    for name, what, limit in (
        ("start", "start screen / bare app", 1.15),
        ("resume", "`resume ID` first question / bare app", 1.5),
    ):
        if kinds[name] and kinds["bare"]:
            target(what, statistics.median(kinds[name]) / statistics.median(kinds["bare"]), limit)
        else:
            not_measured(what, f"<= {limit}x", errors.get(name, "no sample"))
    if kinds["ctrl+n"]:
        target("first question after ctrl+n", statistics.median(kinds["ctrl+n"]), 0.050, unit="s")
    else:
        not_measured("first question after ctrl+n", "<= 50 ms", errors.get("start", "no sample"))

    print(f"\n## Key -> next question (median of {presses} presses; p95 in brackets)\n")
    print("Main-thread CPU per key beside the wall times (far less disturbed on a shared machine).\n")
    print(
        "| questions | bare app ms | cse-screen ms | × bare app | bare CPU ms | cse-screen CPU ms | CPU × |\n"
        "|---:|---:|---:|---:|---:|---:|---:|"
    )
    for size, path in files.items():
        count = min(presses, size - 1)
        try:
            bare_m = tui_latency.measure(
                [sys.executable, str(bare), str(size)], env, size, count, 1, "bare app"
            )
            cse_m = tui_latency.measure(
                [cli, "run", str(path), "--child-ref", "BENCH", "--practitioner", "Bench"],
                {**env, "CSE_SCREEN_DATA_DIR": str(base / f"data-keys-{size}")},
                size,
                count,
                1,
                "cse-screen",
                tui_latency.CSE_READY,
            )
        except RuntimeError as exc:
            print(f"| {size} | not measured: {str(exc).splitlines()[0]} | | |")
            not_measured(f"key -> next question at {size} questions / bare app", "<= 1.20x", "see above")
            continue
        b, c = statistics.median(bare_m.key), statistics.median(cse_m.key)
        bp, cp = (statistics.quantiles(m.key, n=20)[-1] * 1000 for m in (bare_m, cse_m))
        bc, cc = (statistics.median(m.key_cpu) * 1000 if m.key_cpu else float("nan") for m in (bare_m, cse_m))
        print(
            f"| {size} | {b * 1000:.1f} ({bp:.1f}) | {c * 1000:.1f} ({cp:.1f}) | {c / b:.2f}"
            f" | {bc:.2f} | {cc:.2f} | {cc / bc:.2f} |"
        )
        target(f"key -> next question at {size} questions / bare app", c / b, 1.2)


# --------------------------------------------------------------------------- scaling


def _median(fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> float:
    times = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def _both(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``fn`` (CPU is what the shared machine disturbs least)."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu, wall = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _user_system(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median user and median system CPU seconds of ``fn`` in this process."""
    users, systems = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_SELF)
        fn()
        after = resource.getrusage(resource.RUSAGE_SELF)
        users.append(after.ru_utime - before.ru_utime)
        systems.append(after.ru_stime - before.ru_stime)
    return statistics.median(users), statistics.median(systems)


def _write(tmp: Path, name: str, raw: dict[str, Any]) -> Path:
    import yaml

    path = tmp / name
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _dense_tags(raw: dict[str, Any]) -> dict[str, Any]:
    """A tagged ``show_if`` on every third question that has none (the worst case of the checks)."""
    k = 0
    for section in raw["sections"]:
        for q in section["questions"]:
            k += 1
            if k > 1 and k % 3 == 0 and "show_if" not in q:
                q["show_if"] = {"tagged": {"tags": ["significant"], "in": ["yes_recent"], "at_least": 2}}
    return raw


def section_scaling(runs: int, tmp: Path) -> None:
    from cse_screen.questionnaire.checks import check_structure
    from cse_screen.questionnaire.loader import build_questionnaire, load_questionnaire
    from cse_screen.questionnaire.yaml_safe import gc_paused, load_yaml
    from cse_screen.scoring import evaluate
    from cse_screen.screening import Answer, Screening
    from cse_screen.validation import validate_report

    validate_report(BUNDLED)  # imports and first-use work out of the way
    print(f"\n## Questionnaire size (in-process, cache off; medians of {runs}, fewer above 2,000)\n")
    print(
        "CPU time of this process (wall in brackets): other agents' work on the shared machine"
        " distorts wall time far more. Semantic checks are timed with the collector paused, as"
        " loading runs them; `evaluate` also with the collector running, as the wizard calls it.\n"
    )
    print(
        "| questions | file KB | load ms | load + validate ms | semantic checks ms | checks ms per 1,000 |"
        " evaluate ms | evaluate ms, GC paused |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    full: dict[int, float] = {}
    split: dict[int, tuple[float, float]] = {}
    per_thousand: dict[int, float] = {}

    def ms(pair: tuple[float, float], digits: int = 1) -> str:
        return f"{pair[1] * 1000:.{digits}f} ({pair[0] * 1000:.{digits}f})"

    for n in (100, 300, 1000, 2000, 5000):
        raw = core_bench.generate(n)
        path = _write(tmp, f"scale-{n}.yaml", raw)
        r = runs if n <= 2000 else max(5, runs // 2)
        load = _both(lambda path=path: load_questionnaire(path), r)
        both = _both(lambda path=path: validate_report(path), r)
        full[n] = both[1]
        if n in (2000, 5000):
            split[n] = _user_system(lambda path=path: validate_report(path), r)
        doc = load_yaml(path.read_bytes(), str(path))
        q = build_questionnaire(doc, str(path))
        with gc_paused():
            checks = _both(lambda q=q, doc=doc, path=path: check_structure(q, doc, str(path)), r)
        per_thousand[n] = checks[1] / n * 1000
        screening = Screening(
            questionnaire_id=q.id,
            answers={k: Answer(value=v) for k, v in core_bench.answers_for(raw).items()},
        )
        evaluate(q, screening)
        ev = _both(lambda q=q, screening=screening: evaluate(q, screening), max(r, 15))
        with gc_paused():
            ev_paused = _both(lambda q=q, screening=screening: evaluate(q, screening), max(r, 15))
        kb = path.stat().st_size / 1024
        print(
            f"| {n:,} | {kb:.0f} | {ms(load)} | {ms(both)} | {ms(checks)} | {per_thousand[n] * 1000:.2f} |"
            f" {ms(ev, 2)} | {ms(ev_paused, 2)} |"
        )
        del raw, doc, q, screening
    # CPU is user + system time. The system part is the kernel handing over fresh memory
    # pages, which a larger run needs and a smaller one reuses from the run before: printed
    # apart, so a miss can be told from a step of the program that grows too fast.
    (u2, s2), (u5, s5) = split[2000], split[5000]
    print(
        f"\nload + validate, 5,000 against 2,000 questions: user time {u5 * 1000:.0f} vs {u2 * 1000:.0f} ms"
        f" ({u5 / u2:.2f}x), system time {s5 * 1000:.0f} vs {s2 * 1000:.0f} ms"
    )
    _phases(tmp, runs)
    target(
        "load + validate, 5,000 / 2,000 questions (CPU)",
        full[5000] / full[2000],
        2.6,
        baseline=f"{full[5000] * 1000:.0f} vs {full[2000] * 1000:.0f} ms",
    )
    fresh = _fresh_process_cpu([tmp / "scale-2000.yaml", tmp / "scale-5000.yaml"], runs)
    print(
        "\nload + validate, each size in a process of its own (as `cse-screen validate` runs;"
        f" medians of {runs}, three processes a size, interleaved): {fresh[1] * 1000:.0f} vs"
        f" {fresh[0] * 1000:.0f} ms CPU ({fresh[1] / fresh[0]:.2f}x)"
    )
    target(
        "  the same, each size in a process of its own (CPU)",
        fresh[1] / fresh[0],
        2.6,
        baseline=f"{fresh[1] * 1000:.0f} vs {fresh[0] * 1000:.0f} ms",
    )
    worst = max(per_thousand.values())
    target("semantic checks per 1,000 questions, worst size (CPU)", worst, 0.010, unit="s")

    # ~1.2 MB: the standard generator at 7,200 questions, and the same with dense tags.
    big = _write(tmp, "big.yaml", core_bench.generate(7200))
    dense = _write(tmp, "big-dense.yaml", _dense_tags(core_bench.generate(7200)))
    print(
        "\n| generated file | size MB | validate CPU ms (wall), median of 3 | load on a cache hit CPU ms (wall) |"
        "\n|---|---:|---:|---:|"
    )
    for label, path in (("standard", big), ("tagged show_if on every 3rd question", dense)):
        both = _both(lambda path=path: validate_report(path), 3)
        hit = _cache_hit_load(path, tmp)
        print(f"| {label} | {path.stat().st_size / 2**20:.2f} | {ms(both, 0)} | {ms(hit, 0)} |")
        what = (
            f"validate a generated {path.stat().st_size / 2**20:.2f} MB questionnaire (CPU)"
            if path == big
            else "  the same with a tagged show_if on every 3rd question (CPU)"
        )
        target(what, both[1], 1.0, unit="s", baseline=f"wall {both[0] * 1000:.0f} ms")


def _phases(tmp: Path, runs: int) -> None:
    """Each step of ``validate_report`` at 2,000 and 5,000 questions: which one grows faster than the file.

    The questions are 2.5 times as many and the file 2.51 times as large. The walk, well
    under a millisecond, is the best of 21 over the last run's model.
    """
    import hashlib

    from cse_screen.questionnaire.checks import check_structure
    from cse_screen.questionnaire.loader import build_questionnaire
    from cse_screen.questionnaire.yaml_safe import gc_paused, load_yaml
    from cse_screen.validation import check_cases, check_language

    steps = ("read and parse the YAML", "build the model", "structure checks", "test cases", "language")
    walk = "baseline: one walk reading every question's id and tags"
    cpu: dict[int, dict[str, list[float]]] = {}
    for n in (2000, 5000):
        path = tmp / f"scale-{n}.yaml"
        name = str(path)
        times: dict[str, list[float]] = {step: [] for step in (*steps, walk)}
        cpu[n] = times
        r = runs if n <= 2000 else max(5, runs // 2)
        for i in range(r):
            with gc_paused():  # as validate_report runs them
                clock = time.process_time()
                raw = path.read_bytes()
                doc = load_yaml(raw, name)
                laps = [time.process_time()]
                q = build_questionnaire(doc, name)
                laps.append(time.process_time())
                check_structure(q, doc, name)
                laps.append(time.process_time())
                check_cases(q, doc, name, hashlib.sha256(raw).hexdigest())
                laps.append(time.process_time())
                check_language(q, doc, name, raw.decode("utf-8-sig"))
                laps.append(time.process_time())
                del doc
            for step, start, end in zip(steps, [clock, *laps[:-1]], laps, strict=True):
                times[step].append(end - start)
            if i == r - 1:
                # What the hardware alone does to a walk over the model (nothing but reading
                # each question's id and tags): the floor of any step that reads every question.
                for _ in range(21):
                    clock = time.process_time()
                    sum(len(question.id) + len(question.tags) for question in q.questions())
                    times[walk].append(time.process_time() - clock)
                times[walk] = [min(times[walk])]
            del q
    print(
        "\n| step of load + validate (CPU ms, GC paused) | 2,000 | 5,000 | 5,000 / 2,000 |\n|---|---:|---:|---:|"
    )
    for step in cpu[2000]:
        a, b = (statistics.median(cpu[n][step]) for n in (2000, 5000))
        print(f"| {step} | {a * 1000:.2f} | {b * 1000:.2f} | {b / a:.2f}x |")


def _fresh_process_cpu(paths: list[Path], runs: int) -> list[float]:
    """Median CPU seconds of ``validate_report`` on each file, each in a new interpreter.

    In this process the generated questionnaires, the documents and models of the sizes
    before stay alive (tens of MB), and a larger file's objects then sit further apart:
    ``cse-screen validate`` has none of that. Each process validates its file once to warm
    up, then ``runs`` times; three processes a file, taken in turn; the median of all.
    """
    code = (
        "import statistics, sys, time\n"
        "from cse_screen.validation import validate_report\n"
        "validate_report(sys.argv[1])\n"
        "times = []\n"
        "for _ in range(int(sys.argv[2])):\n"
        "    clock = time.process_time()\n"
        "    validate_report(sys.argv[1])\n"
        "    times.append(time.process_time() - clock)\n"
        "print(' '.join(map(str, times)))\n"
    )
    got: list[list[float]] = [[] for _ in paths]
    for _ in range(3):
        for i, path in enumerate(paths):
            out = subprocess.run(
                [sys.executable, "-c", code, str(path), str(runs)], capture_output=True, text=True, check=True
            )
            got[i] += [float(t) for t in out.stdout.split()]
    return [statistics.median(times) for times in got]


def _cache_hit_load(path: Path, tmp: Path) -> tuple[float, float]:
    """Median wall and CPU seconds of ``load_questionnaire`` answered from a warm cache."""
    from cse_screen.questionnaire.loader import load_questionnaire

    saved = dict(os.environ)
    os.environ.update(CSE_SCREEN_NO_CACHE="", CSE_SCREEN_CACHE_DIR=str(tmp / "scaling-cache"))
    try:
        load_questionnaire(path)
        return _both(lambda: load_questionnaire(path), 3)
    finally:
        os.environ.clear()
        os.environ.update(saved)


# --------------------------------------------------------------------------- store


def section_store(max_screenings: int, runs: int, tmp: Path) -> None:
    import store_bench

    from cse_screen.screening import Answer
    from cse_screen.store import Autosaver, Store

    data = tmp / "store" / "data"
    env = dict(
        os.environ,
        CSE_SCREEN_DATA_DIR=str(data),
        CSE_SCREEN_CONFIG_DIR=str(tmp / "store" / "config"),
        COLUMNS="120",
    )
    cli = [sys.executable, "-m", "cse_screen"]
    sizes = [s for s in (1_000, 10_000, 100_000, 1_000_000) if s <= max_screenings]
    print(f"\n## Store size (one database grown on the fly, 3 answers per screening; medians of {runs})\n")
    print(
        "| screenings | file MiB | generated in s | `list` wall ms | `list` CPU ms | `list --status all` wall ms | `Store.open` ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    done = 0
    sid = ""
    list_100k: float | None = None
    for size in sizes:
        start = time.perf_counter()
        first = store_bench.generate(data, size, start=done, answers=3)
        sid = sid or first
        made = time.perf_counter() - start
        done = size
        got = interleaved(
            {
                "list": ([*cli, "list"], env),
                "all": ([*cli, "list", "--status", "all"], env),
            },
            runs,
        )
        open_s = _median(lambda: Store.open(data).close(), 5)
        mib = (data / "screenings.sqlite3").stat().st_size / 2**20
        wall = statistics.median(got["list"][0])
        if size == 100_000:
            list_100k = wall
        print(
            f"| {size:,} | {mib:.0f} | {made:.1f} | {wall * 1000:.0f} | {median_ms(got['list'][1]):.0f} |"
            f" {median_ms(got['all'][0]):.0f} | {open_s * 1000:.1f} |"
        )
    if list_100k is not None:
        target("`list` of 100k screenings", list_100k, 0.2, unit="s")
    else:
        not_measured("`list` of 100k screenings", "<= 200 ms", "--max-screenings below 100,000")
    with Store.open(data) as store:
        saver = Autosaver(store, sid, "bench")
        n = iter(range(10**9))
        times, cpu_times = [], []
        for _ in range(200):
            t, c = time.perf_counter(), time.thread_time()
            saver.save_answer("q01", Answer(value=f"answer {next(n)}"), position="q02")
            cpu_times.append(time.thread_time() - c)
            times.append(time.perf_counter() - t)
    print(
        f"\nautosave commit (`Autosaver.save_answer`, SQLite `synchronous=FULL`, {done:,} screenings):"
        f" median {median_ms(times):.2f} ms, p95 {sorted(times)[189] * 1000:.2f} ms;"
        f" CPU median {median_ms(cpu_times):.2f} ms (the rest is waiting for the disk's fsync)"
    )
    # The first build's figure (0.58 ms, docs/records.md) timed this same fsync'd commit on
    # this machine's disk: the row is kept as it was. The wizard commits on its writer thread
    # (session/saving.py), so a key waits only for the hand-over, timed next.
    target("autosave commit median (fsync'd, as first measured)", statistics.median(times), 0.001, unit="s")
    target("  its CPU median (the program's own work)", statistics.median(cpu_times), 0.001, unit="s")
    enqueue = _autosave_enqueue(tmp, Answer)
    print(
        f"autosave as the wizard's key waits for it (`SaveLink.saver.save_answer` + `save_position`"
        f" handed to the writer thread, which commits meanwhile): median {median_ms(enqueue):.3f} ms,"
        f" p95 {sorted(enqueue)[189] * 1000:.3f} ms"
    )
    target("autosave hand-over median (what a key waits for)", statistics.median(enqueue), 0.001, unit="s")


def _autosave_enqueue(tmp: Path, answer: Callable[..., Any]) -> list[float]:
    """Seconds the wizard's thread spends handing each of 200 answers to the writer thread."""
    from cse_screen.bundled import bundled_path
    from cse_screen.questionnaire.loader import load_questionnaire
    from cse_screen.screening import ScreeningMeta
    from cse_screen.session.saving import SaveLink

    link = SaveLink(tmp / "enqueue-data", background=True)
    link.create(load_questionnaire(bundled_path("cse-screening")), ScreeningMeta(child_ref="INVENTED-B1"))
    link.start_writing()
    if not link.flush() or link.record_id is None:
        raise SystemExit(f"autosave benchmark: no draft ({link.error})")
    times = []
    for i in range(200):
        t = time.perf_counter()
        link.saver.save_answer("child_words", answer(value=f"answer {i}"))
        link.saver.save_position("practitioner_analysis")
        times.append(time.perf_counter() - t)
    if not link.flush() or link.error is not None:
        raise SystemExit(f"autosave benchmark: the writer did not finish ({link.error})")
    link.close()
    return times


# --------------------------------------------------------------------------- reports


def section_reports(runs: int) -> None:
    import datetime as dt

    import report_bench

    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.report import build_report, render
    from cse_screen.scoring import evaluate

    q = report_bench.questionnaire()
    loaded = LoadedQuestionnaire.from_model(q)
    s = report_bench.screening(q)
    result = evaluate(q, s)
    doc = build_report(loaded, s, result, generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    print(f"\n## Reports (300-question screening, warm, medians of {runs}; PDF of {max(3, runs // 3)})\n")
    print("| format | ms | target |\n|---|---:|---|")
    for fmt in ("md", "html", "json", "pdf"):
        r = max(3, runs // 3) if fmt == "pdf" else runs
        seconds = report_bench.median_time(lambda fmt=fmt: render(doc, fmt), r)
        limit = report_bench.TARGETS_S.get(fmt)
        print(f"| {fmt} | {seconds * 1000:.1f} | {'' if limit is None else f'< {limit * 1000:.0f} ms'} |")
        if limit is not None:
            target(f"report {fmt} (as today)", seconds, limit, unit="s")


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", default="cli,tui,scaling,store,reports", help="sections, comma separated")
    parser.add_argument("--runs", type=int, default=15, help="runs per median (>= 15 for the record)")
    parser.add_argument("--presses", type=int, default=50, help="key presses per program and size")
    parser.add_argument("--max-screenings", type=int, default=1_000_000, help="largest store in the table")
    parser.add_argument("--quick", action="store_true", help="--runs 7 --presses 30 --max-screenings 100000")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.presses, args.max_screenings = 7, 30, min(args.max_screenings, 100_000)
    sections = set(args.only.split(","))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"# cse-screen benchmarks\n\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {load:.1f} at the start, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    with tempfile.TemporaryDirectory(prefix="cse-bench-all-") as name:
        tmp = Path(name)
        os.chmod(tmp, 0o700)
        if "cli" in sections:
            section_cli(args.runs, tmp)
        if "tui" in sections:
            section_tui(args.runs, args.presses, tmp)
        if "scaling" in sections:
            with contextlib.redirect_stderr(io.StringIO()):
                section_scaling(args.runs, tmp)
            gc.collect()
        if "store" in sections:
            section_store(args.max_screenings, args.runs, tmp)
        if "reports" in sections:
            section_reports(args.runs)
    print("\n## Targets\n\n| target | figure | limit | |\n|---|---|---|---|")
    for t in TARGETS:
        verdict = "not measured" if t.met is None else ("met" if t.met else "**missed**")
        print(f"| {t.what} | {t.figure} | {t.limit} | {verdict} |")
    load_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nLoad average at the end: {load_end:.1f}.")
    return 1 if args.check and any(t.met is False for t in TARGETS) else 0


if __name__ == "__main__":
    raise SystemExit(main())
