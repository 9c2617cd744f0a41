"""The README's examples work: its questionnaire validates, its answers file scores."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cse_screen.cli import main


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_readme_questionnaire_example_validates(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = [b for b in _yaml_blocks((repo_root / "README.md").read_text()) if b.startswith("id:")]
    assert blocks, "the README lost its questionnaire example"
    path = tmp_path / "my-tool.yaml"
    path.write_text(blocks[0])
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    assert "1 case passed" in capsys.readouterr().out


def test_readme_score_transcript_matches_the_example(
    repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = repo_root / "examples" / "answers-example.yaml"
    assert main(["score", "cse-screening", str(answers), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    readme = (repo_root / "README.md").read_text()
    # The transcript shows the level and the score; keep them true.
    assert result["level"] == "significant" and "Suggested level: ● Significant concern" in readme
    assert f"The score is {result['score']};" in readme
    assert "999" in result["final_line"]


def test_readme_two_commands_match_ci(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text()
    ci = (repo_root / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in readme and "bash scripts/test.sh" in ci
    assert ".venv/bin/cse-screen" in readme
