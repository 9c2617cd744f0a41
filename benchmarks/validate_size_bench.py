"""Validate time against questionnaire size, up to the size limit (issue 15, defect 7).

    .venv/bin/python benchmarks/validate_size_bench.py [--max-kib 2048] [--steps 6]

Two shapes of invented questionnaire, grown until the file reaches the limit
(``MAX_QUESTIONNAIRE_BYTES``, 2 MiB): *plain* questions (tags, guidance), and questions
that each show only if a tagged question was answered (``show_if: {tagged: …}``). Each
row is one ``validate_report`` in a fresh subprocess (no cache shared between sizes).
Linear growth shows as a steady "ms per KiB"; a rising figure is a superlinear step.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml


def questionnaire(n: int, *, tag_conditions: bool) -> dict[str, Any]:
    """An invented questionnaire of ``n`` single-choice questions."""
    questions: list[dict[str, Any]] = []
    for i in range(n):
        q: dict[str, Any] = {
            "id": f"q{i}",
            "type": "single",
            "text": f"Invented question number {i}?",
            "options": "yn",
            "tags": ["sig", f"t{i % 7}"],
            "guidance": {"means": "An invented explanation. " * 4, "ask": "Could you tell me more?"},
        }
        if tag_conditions and i:
            q["show_if"] = {"tagged": {"tags": ["sig"], "in": ["yes"]}}
        questions.append(q)
    return {
        "id": "bench",
        "title": "Benchmark",
        "version": "1",
        "option_sets": {"yn": [{"id": "yes", "label": "Yes", "weight": 1}, {"id": "no", "label": "No"}]},
        "sections": [
            {"id": f"s{j}", "title": f"Section {j}", "questions": questions[j * 50 : (j + 1) * 50]}
            for j in range((n + 49) // 50)
        ],
        "levels": [
            {"id": "none", "label": "None", "next_steps": ["Stay curious."]},
            {"id": "low", "label": "Low", "next_steps": ["Tell the DSL."]},
        ],
        "scoring": {"bands": [{"min": 0, "max": 0, "level": "none"}, {"min": 1, "level": "low"}]},
        "final_line": "If you are worried, tell your DSL.",
    }


def timed_validate(path: Path) -> float:
    code = (
        "import sys, time\n"
        "from cse_screen.validation import validate_report\n"
        "t = time.perf_counter(); r = validate_report(sys.argv[1]); d = time.perf_counter() - t\n"
        "assert r.loaded is not None, [str(p) for p in r.problems][:3]\n"
        "print(d)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--max-kib", type=int, default=2048, help="largest file (default: the 2 MiB limit)")
    parser.add_argument("--steps", type=int, default=6, help="sizes per shape")
    args = parser.parse_args()
    per_question = len(yaml.safe_dump(questionnaire(100, tag_conditions=False)["sections"])) / 100
    print("| shape | questions | size KiB | validate s | ms per KiB |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in ("plain", "tag conditions"):
            for step in range(1, args.steps + 1):
                n = max(10, int(args.max_kib * 1024 * step / args.steps / (per_question * 1.05)))
                path = Path(tmp) / f"{shape.replace(' ', '-')}-{n}.yaml"
                path.write_text(
                    yaml.safe_dump(questionnaire(n, tag_conditions=shape != "plain"), sort_keys=False)
                )
                kib = path.stat().st_size / 1024
                if kib > args.max_kib:
                    break
                seconds = timed_validate(path)
                print(
                    f"| {shape} | {n} | {kib:.0f} | {seconds:.2f} | {seconds * 1000 / kib:.2f} |", flush=True
                )


if __name__ == "__main__":
    main()
