"""The answers file has its own documented schema, and score and report accept the same keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.questionnaire import answers as answers_module
from cse_screen.questionnaire.answers import AnswersFile
from cse_screen.questionnaire.yaml_safe import load_yaml

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "answers-example.yaml"


def test_schema_answers_prints_every_key_the_parser_accepts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--answers"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["properties"]) == set(answers_module._TOP_KEYS)
    assert schema["additionalProperties"] is False
    assert "description" in schema["properties"]["redact"]
    long_answer = schema["$defs"]["LongAnswer"]["properties"]
    assert set(long_answer) == set(answers_module._LONG_KEYS)


def test_the_example_answers_file_fits_the_schema_model() -> None:
    doc = load_yaml(EXAMPLE.read_bytes(), str(EXAMPLE))
    parsed = AnswersFile.model_validate(doc.data)
    assert parsed.answers["age"] == 12 and parsed.details is not None


def _answers(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_score_accepts_redact_like_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _answers(
        tmp_path,
        'redact: ["Jo Example"]\nanswers: {age: 14, immediate_danger: "no", disclosure: "no"}\n',
    )
    assert main(["score", "cse-screening", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["level"] == "none"
    assert "Jo Example" not in out
    report_to = tmp_path / "r.md"
    assert main(["report", "cse-screening", str(path), "--format", "md", "-o", str(report_to)]) == 0


def test_a_malformed_redact_is_refused_by_score_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _answers(tmp_path, "redact: Jo Example\nanswers: {age: 14}\n")
    assert main(["score", "cse-screening", str(path)]) == 2
    err = capsys.readouterr().err
    assert "'redact' must be a list of names" in err and "Jo Example" not in err
