"""Report benchmark: each format for a 300-question screening.

Run ``python benchmarks/report_bench.py`` for a table of median times (warm, after one
untimed run so imports and template compilation are not counted); add ``--check`` to
exit 1 when a target is missed. Targets: HTML and Markdown < 50 ms, PDF < 1 s.

The questionnaire and the screening are generated; every child and note is invented.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from typing import Any

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.report import build_report, render
from cse_screen.scoring import evaluate
from cse_screen.screening import Answer, Screening, ScreeningMeta

TARGETS_S = {"md": 0.050, "html": 0.050, "pdf": 1.0}
OPTIONS = ["yes_recent", "yes_earlier", "possible", "no", "not_known"]
SOURCES = ["observed", "child_said", "parent_carer", "other_professional", None]


def questionnaire(n_questions: int = 300) -> Questionnaire:
    """A questionnaire of ``n_questions``: 30 sections of single-choice indicators plus free text."""
    per_section = 10
    sections: list[dict[str, Any]] = []
    tags = ["risk", "significant", "vulnerability", "strength"]
    for s in range(n_questions // per_section):
        questions: list[dict[str, Any]] = []
        for i in range(per_section):
            n = s * per_section + i
            if n in (n_questions - 2, n_questions - 1):
                questions.append({"id": f"q{n:03d}", "type": "long_text", "text": f"Free text {n}"})
                continue
            questions.append(
                {
                    "id": f"q{n:03d}",
                    "type": "single",
                    "text": f"Invented indicator number {n}: is this happening?",
                    "options": "indicator",
                    "tags": [tags[n % 4]],
                }
            )
        sections.append({"id": f"s{s:02d}", "title": f"Section {s}", "questions": questions})
    return Questionnaire.model_validate(
        {
            "id": "bench",
            "title": "Benchmark tool",
            "version": "1",
            "option_sets": {
                "indicator": [
                    {"id": "yes_recent", "label": "Yes, recently", "weight": 2},
                    {"id": "yes_earlier", "label": "Yes, earlier", "weight": 1},
                    {"id": "possible", "label": "Possible", "weight": 1},
                    {"id": "no", "label": "No"},
                    {"id": "not_known", "label": "Not known", "not_known": True},
                ]
            },
            "sections": sections,
            "levels": [
                {"id": "low", "label": "Low", "next_steps": ["Share with the DSL."]},
                {"id": "high", "label": "High", "next_steps": ["Tell the DSL today."]},
            ],
            "scoring": {"bands": [{"min": 0, "max": 50, "level": "low"}, {"min": 51, "level": "high"}]},
            "final_line": "If you are worried, tell your DSL; in immediate danger call 999.",
            "signposting": [{"name": "Helpline", "what": "Advice", "contact": "0800 000 000"}],
        }
    )


def screening(q: Questionnaire, *, seed: int = 3) -> Screening:
    """Every question answered; about half with a one- or two-line note."""
    rnd = random.Random(seed)
    answers = {}
    for question in q.questions():
        if question.type == "long_text":
            answers[question.id] = Answer(value="Invented words of an invented child.\n" * 20)
            continue
        note = rnd.choice(
            [None, "Seen twice this month near the station.", "Told by a friend.\nNot confirmed."]
        )
        answers[question.id] = Answer(value=rnd.choice(OPTIONS), note=note, source=rnd.choice(SOURCES))
    meta = ScreeningMeta(
        child_ref="BENCH-1", practitioner="Bench Mark", role="Tester", date=dt.date(2026, 1, 1)
    )
    return Screening(questionnaire_id=q.id, answers=answers, meta=meta)


def median_time(fn: Any, runs: int) -> float:
    fn()  # warm: imports, template compilation, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Print median render times; with ``--check`` exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    q = questionnaire()
    loaded = LoadedQuestionnaire.from_model(q)
    s = screening(q)
    result = evaluate(q, s)
    doc = build_report(loaded, s, result, generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    rows = [("build", median_time(lambda: build_report(loaded, s, result), args.runs), None)]
    for fmt in ("md", "html", "json", "pdf"):
        runs = max(3, args.runs // 3) if fmt == "pdf" else args.runs
        rows.append((fmt, median_time(lambda fmt=fmt: render(doc, fmt), runs), TARGETS_S.get(fmt)))
    missed = False
    print(
        f"300-question screening, {sum(1 for a in s.answers.values() if a.note)} notes; median of warm runs"
    )
    for name, seconds, target in rows:
        verdict = "" if target is None else ("ok" if seconds < target else "MISSED")
        missed |= verdict == "MISSED"
        limit = f"< {target * 1000:.0f} ms" if target else ""
        print(f"  {name:<6} {seconds * 1000:8.1f} ms  {limit:<10} {verdict}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
