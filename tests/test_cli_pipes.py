"""The CLI behaves like a good Unix citizen when its reader goes away."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cse_screen.cli import main


def test_closed_pipe_is_not_reported_as_a_crash(tmp_path: Path, repo_root: Path) -> None:
    # `cse-screen schema | true`: the reader is gone long before we write (start-up takes
    # far longer than `true`), so every write meets a closed pipe; we must exit quietly.
    exe = Path(sys.executable).with_name("cse-screen")
    cmd = f"'{exe}' schema | true"
    out = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=60)
    assert "something went wrong" not in out.stderr
    assert "Traceback" not in out.stderr
    assert out.returncode == 0, out.stderr


def test_an_os_error_is_a_clear_exit_2_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # e.g. a questionnaire folder the user may not read (cannot be staged as root in CI).
    from cse_screen.commands import list_cmd

    def refuse(args: object) -> int:
        raise PermissionError(13, "Permission denied", "/srv/shared/questionnaires")

    monkeypatch.setattr(list_cmd, "run", refuse)
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert "/srv/shared/questionnaires" in err and "Permission denied" in err
    assert "something went wrong" not in err and "Traceback" not in err
