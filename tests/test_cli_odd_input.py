"""Odd input never hangs or crashes a command: the right message and exit code for each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cse_screen.cli import main

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "tests" / "plain_tool.yaml"
EXE = Path(sys.executable).with_name("cse-screen")


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    # A real process with a deadline: a command that hangs fails the test instead of the suite.
    return subprocess.run(
        [str(EXE), *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def _odd_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "loop.yaml")
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    return {"a pipe (FIFO)": fifo, "symbolic links": loop, "folder": folder, "a device": Path("/dev/zero")}


def test_odd_files_as_answers_are_refused_without_hanging(tmp_path: Path) -> None:
    for words, path in _odd_files(tmp_path).items():
        out = _cli("score", str(TOOL), str(path))
        assert out.returncode == 2, (path, out.stderr)
        assert words in out.stderr and "Traceback" not in out.stderr


def test_odd_files_as_questionnaires_say_what_they_are_not_no_such_file(tmp_path: Path) -> None:
    for words, path in _odd_files(tmp_path).items():
        for args in (["validate", str(path)], ["score", str(path), str(TOOL)]):
            out = _cli(*args)
            text = out.stdout + out.stderr
            assert out.returncode == 2, (args, text)
            assert words in text and "no such questionnaire" not in text, (args, text)


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--limit", "99999999999999999999999"],
        ["list", "--limit", str(2**63)],
        ["retention", "--older-than", "99999999999999999999"],
    ],
)
def test_huge_numbers_never_overflow(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(tmp_path / "data"), *args])
    captured = capsys.readouterr()
    assert code in (0, 2)
    assert "OverflowError" not in captured.err and "went wrong" not in captured.err
    if args[0] == "retention":
        assert code == 2 and "at most 36500 days" in captured.err


@pytest.mark.parametrize("argv", [["--data-dir"], ["list", "--data-dir"], ["--data-dir=", "list"]])
def test_data_dir_without_a_value_is_an_error_not_help(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert "--data-dir" in capsys.readouterr().err


def test_show_into_head_exits_quietly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code = (
        "import sys, datetime as dt\n"
        "from cse_screen.store import Store\n"
        "from cse_screen.questionnaire.loader import load_questionnaire\n"
        "from cse_screen.screening import ScreeningMeta\n"
        f"s = Store.open({str(data)!r})\n"
        f"print(s.create(load_questionnaire({str(TOOL)!r}), ScreeningMeta(child_ref='HD-1'), 't'))\n"
        "s.close()\n"
    )
    sid = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    cmd = f"'{EXE}' --data-dir '{data}' show {sid} | head -1"
    out = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "went wrong" not in out.stderr
