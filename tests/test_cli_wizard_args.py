"""``cse-screen`` alone (or with ``--data-dir``) is read without argparse; what it reads must
be exactly what argparse would have given (cli._wizard_args)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cse_screen import cli

SAME = [
    ["run"],
    ["--data-dir", "/tmp/screenings", "run"],
    ["--data-dir=/tmp/screenings", "run"],
    ["--data-dir", "run", "run"],  # a folder called "run"
    ["--data-dir=", "run"],  # refused after parsing, the same way on both paths
]
NOT_READ_HERE = [
    [],
    ["run", "--plain"],
    ["run", "tool.yaml"],
    ["--data", "/tmp/screenings", "run"],  # abbreviations are argparse's
    ["--data-dir", "-x", "run"],
    ["--data-dir", "/a", "--data-dir", "/b", "run"],
    ["--data-dir"],
    ["validate"],
]


@pytest.mark.parametrize("argv", SAME)
def test_the_wizards_arguments_are_argparses(argv: list[str]) -> None:
    parser, _ = cli.build_parser("run")
    fast = cli._wizard_args(argv)
    assert fast is not None
    assert vars(fast) == vars(parser.parse_args(argv))


@pytest.mark.parametrize("argv", NOT_READ_HERE)
def test_anything_else_goes_to_argparse(argv: list[str]) -> None:
    assert cli._wizard_args(argv) is None


def test_an_empty_folder_is_refused_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir="]) == 2
    assert "--data-dir: give a folder" in capsys.readouterr().err


def test_the_wizard_command_imports_no_argparse_before_its_app_runs() -> None:
    code = (
        "import io, sys\n"
        "class Tty(io.StringIO):\n"
        "    def isatty(self): return True\n"
        "import cse_screen.tui.app as app\n"
        "def run(self, *a, **k):\n"
        "    sys.__stdout__.write(repr('argparse' in sys.modules))\n"
        "    return 0\n"
        "app.ScreeningApp.run = run\n"
        "sys.stdin, sys.stdout = Tty(), Tty()\n"
        "from cse_screen.cli import main\n"
        "sys.exit(main(['--data-dir', sys.argv[1]]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, "/tmp"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
