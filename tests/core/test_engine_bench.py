"""The core benchmark's generator stays valid, so ``benchmarks/core_bench.py`` cannot rot unseen."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import yaml

from cse_screen.scoring import evaluate, visible_questions
from cse_screen.screening import Answer, Screening
from cse_screen.validation import validate_report

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "core_bench.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("core_bench_under_test", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_questionnaire_validates_and_scores(tmp_path: Path) -> None:
    bench = load_bench()
    raw = bench.generate(300)
    path = tmp_path / "bench-tool.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    report = validate_report(path)
    assert [str(p) for p in report.problems if p.severity == "error"] == []
    assert report.loaded is not None and report.cases_passed == 2
    q = report.loaded.questionnaire
    assert len(q.questions()) == 300
    answers = {k: Answer(value=v) for k, v in bench.answers_for(raw).items()}
    screening = Screening(questionnaire_id=q.id, answers=answers)
    result = evaluate(q, screening)
    # The generator exercises hiding: some answered questions are hidden by earlier answers.
    assert result.hidden_answered
    assert len(visible_questions(q, screening)) < 300
    assert result.score == sum(c.points for c in result.contributions) > 0
