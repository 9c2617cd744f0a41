"""The example questionnaires from other fields validate, and behave as their files say.

Run in CI with the rest of the suite, so an example can never rot.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.validation import validate_report

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
QUESTIONNAIRES = sorted(p for p in EXAMPLES.glob("*.yaml") if "\nsections:" in p.read_text(encoding="utf-8"))


def test_there_are_examples_from_other_fields() -> None:
    assert {p.stem for p in QUESTIONNAIRES} >= {"mood-check", "falls-risk"}


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.stem)
def test_every_example_validates_without_warnings_and_its_cases_pass(path: Path) -> None:
    report = validate_report(path)
    assert report.problems == []
    assert report.cases_run and report.cases_passed >= 5


def _score(tmp_path: Path, capsys: pytest.CaptureFixture[str], tool: str, answers: str) -> dict[str, object]:
    path = tmp_path / "answers.yaml"
    path.write_text(answers, encoding="utf-8")
    assert main(["score", str(EXAMPLES / tool), str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_mood_example_flags_urgent_safety_beside_a_minimal_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = ["interest", "low_mood", "sleep", "energy", "appetite", "self_worth", "concentration", "pace"]
    answers = (
        "answers:\n" + "".join(f"  {q}: not_at_all\n" for q in items) + "  harm_thoughts: several_days\n"
    )
    data = _score(tmp_path, capsys, "mood-check.yaml", answers)
    assert data["level"] == "minimal"
    assert data["incomplete"] is False
    (flag,) = data["flags"]  # type: ignore[misc]
    assert flag["id"] == "urgent_safety" and flag["rules"] == ["harm_thoughts"]
    alert = flag["alert"]
    ack = alert["acknowledge"]
    words = " ".join(
        [alert["title"], *alert["text"], *alert["actions"], ack["acting_now"], ack["already_done"]]
    )
    for word in ("999", "child", "DSL", "police"):
        assert word not in words


def test_falls_example_override_rule_beats_the_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _score(
        tmp_path, capsys, "falls-risk.yaml", 'answers: {falls_last_year: once, injury_or_long_lie: "yes"}\n'
    )
    assert data["band_level"] == "low" and data["level"] == "high"
    assert [r["id"] for r in data["fired"]] == ["fall_with_injury"]  # type: ignore[union-attr]
