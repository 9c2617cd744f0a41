"""The catalog's two depths: the full check (wizard) and metadata only (`cse-screen list`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.questionnaire.catalog import list_questionnaires

# Valid YAML with an id, title and version, but no levels or scoring: the schema refuses it.
METADATA_ONLY = """\
id: own-tool
title: Our own tool
version: 1.10
sections:
  - id: first
    title: First
    questions:
      - {id: a, type: text, text: Anything to add?}
      - {id: b, type: text, text: Anything else?}
  - id: second
    title: Second
    questions:
      - {id: c, type: text, text: And finally?}
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def user_entries(folder: Path, *, check: bool) -> dict[str, tuple[str, str, str, int, str | None]]:
    return {
        e.path.name: (e.id, e.title, e.version, e.questions, e.error)
        for e in list_questionnaires(folder, check=check)
        if not e.bundled
    }


def test_light_mode_lists_a_file_the_full_check_refuses(tmp_path: Path) -> None:
    path = write(tmp_path, "own.yaml", METADATA_ONLY)
    light = user_entries(tmp_path, check=False)
    # `version: 1.10` is read as written (as the loader does), not as the number 1.1.
    assert light == {"own.yaml": ("own-tool", "Our own tool", "1.10", 3, None)}
    full = user_entries(tmp_path, check=True)
    entry_id, title, _, questions, error = full["own.yaml"]
    assert (entry_id, title, questions) == ("own", "", 0)
    assert error is not None and error.startswith(f"{path}:")


def test_default_is_the_full_check(tmp_path: Path) -> None:
    # The wizard's start screen calls list_questionnaires() and must never offer a broken tool.
    write(tmp_path, "own.yaml", METADATA_ONLY)
    entry = next(e for e in list_questionnaires(tmp_path) if not e.bundled)
    assert entry.error is not None


def test_light_mode_agrees_with_the_full_check_on_the_bundled_tool(tmp_path: Path) -> None:
    light = [e for e in list_questionnaires(tmp_path, check=False) if e.bundled]
    full = [e for e in list_questionnaires(tmp_path, check=True) if e.bundled]
    assert light and light == full
    assert all(e.error is None and e.questions > 0 for e in light)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("id: x\ntitle: [\n", "", "own.yaml:"),  # YAML syntax: the reader's own problem
        ("title: T\nversion: '1'\nsections: []\n", ":1:1:", "`id` is missing — add a top-level `id:` line"),
        ("id: x\ntitle: ''\nversion: '1'\n", ":2:1:", "`title` must be non-empty text"),
        ("id: x\ntitle: T\nversion: [1]\n", ":3:1:", "`version` must be non-empty text"),
        ("", "", "the file is empty"),
    ],
)
def test_light_mode_reports_unreadable_files_and_missing_metadata(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = write(tmp_path, "own.yaml", text)
    entry = next(e for e in list_questionnaires(tmp_path, check=False) if not e.bundled)
    assert (entry.id, entry.questions) == ("own", 0)
    assert entry.error is not None
    assert entry.error.startswith(f"{path}{where}")
    assert message in entry.error


def test_light_mode_counts_malformed_sections_as_no_questions(tmp_path: Path) -> None:
    write(tmp_path, "own.yaml", "id: x\ntitle: T\nversion: '1'\nsections:\n  - questions: oops\n  - 3\n")
    assert user_entries(tmp_path, check=False)["own.yaml"][3] == 0


def test_list_hints_at_validate_only_when_a_user_questionnaire_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(config))
    monkeypatch.setenv("COLUMNS", "200")
    hint = "Run `cse-screen validate PATH` to check a file."

    assert main(["list", "--questionnaires"]) == 0
    out = capsys.readouterr().out
    assert "cse-screening" in out and hint not in out

    write(config / "questionnaires", "own.yaml", METADATA_ONLY)
    assert main(["list", "--questionnaires"]) == 0
    out = capsys.readouterr().out
    assert "Our own tool" in out and "cannot be loaded" not in out
    assert hint in out
