"""What a user expects of a command-line tool: completion, a man page, one version, a licence.

Each is generated from (or checked against) the one source it must agree with, so none of
them can drift: completion and the man page from the argparse parser, the version from
``cse_screen.__version__``, the licence from ``pyproject.toml``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from cse_screen import __version__
from cse_screen.cli import build_parser, main
from cse_screen.commands import COMMAND_HELP, COMMAND_MODULES


def _completion(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def _bash_complete(script: Path, *words: str) -> list[str]:
    """Ask bash, with the generated script sourced, what completes the last word."""
    words_array = " ".join(f"'{w}'" for w in words)
    line = " ".join(words)
    code = (
        f"source '{script}'; COMP_WORDS=({words_array}); COMP_CWORD={len(words) - 1}; "
        f"COMP_LINE='{line}'; COMP_POINT={len(line)}; _shtab_cse_screen; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(["bash", "-c", code], capture_output=True, text=True, timeout=30, check=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_completes_commands_and_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "cse-screen.bash"
    script.write_text(_completion("bash", capsys), encoding="utf-8")
    assert set(_bash_complete(script, "cse-screen", "")) >= set(COMMAND_MODULES)
    assert _bash_complete(script, "cse-screen", "va") == ["validate"]
    assert "--format" in _bash_complete(script, "cse-screen", "report", "--f")


def test_zsh_completion_names_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    script = _completion("zsh", capsys)
    assert script.startswith("#compdef cse-screen")
    for name in COMMAND_MODULES:
        assert re.search(rf"\b{re.escape(name)}\b", script), name


def test_an_unknown_shell_is_refused_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "fish"]) == 2
    assert "invalid choice: 'fish'" in capsys.readouterr().err


def _manpage_script(repo_root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("manpage_under_test", repo_root / "scripts" / "manpage.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_man_page_is_generated_from_the_current_parser(repo_root: Path) -> None:
    page = (repo_root / "docs" / "cse-screen.1").read_text(encoding="utf-8")
    assert page == _manpage_script(repo_root).render(), "run: python scripts/manpage.py"
    for name in COMMAND_MODULES:
        assert f"\\fBcse\\-screen\\fR \\fI\\,{name.replace('-', chr(92) + '-')}\\/\\fR" in page, name


def test_the_version_is_defined_once(repo_root: Path) -> None:
    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/cse_screen/__init__.py"
    assert importlib.metadata.version("cse-screen") == __version__


def test_cse_screen_version_prints_the_one_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"cse-screen {__version__}\n"


def test_the_licence_file_matches_pyproject(repo_root: Path) -> None:
    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (repo_root / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_the_changelog_has_an_unreleased_section_and_the_current_version(repo_root: Path) -> None:
    text = (repo_root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    assert f"## [{__version__}] - " in text


def test_constraints_pin_every_direct_dependency(repo_root: Path) -> None:
    # CI checks that constraints.txt is exactly `uv export` of uv.lock; here: that it pins
    # everything pyproject.toml asks for, so `pip install -c constraints.txt` is fully locked.
    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {
        m.group(1).lower().replace("_", "-"): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", (repo_root / "constraints.txt").read_text(), re.M)
    }
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement)
        assert name is not None
        assert name.group(0).lower().replace("_", "-") in pins, f"{requirement} is not locked"
    assert pins["textual"] == "8.2.8"


def test_the_schemas_have_an_id(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    for args in (["schema"], ["schema", "--report"]):
        assert main(args) == 0
        schema = json.loads(capsys.readouterr().out)
        assert schema["$id"].startswith("https://cse-screen.invalid/schema/"), args


def test_the_help_lines_listed_without_the_modules_are_the_modules_own() -> None:
    # `cse-screen --help` lists the commands from COMMAND_HELP so it imports no command
    # module; it must say exactly what each module says of itself, in the same order.
    own = {}
    for module_name in COMMAND_MODULES.values():
        module = importlib.import_module(f"cse_screen.commands.{module_name}")
        own[module.NAME] = module.HELP
    assert list(COMMAND_HELP.items()) == list(own.items()), "copy each module's HELP into COMMAND_HELP"


@pytest.mark.parametrize("argv", [["--help"], ["--data-dir", "x", "-h"], ["valdate"], ["--data-dir"]])
def test_the_listing_parser_says_what_the_full_parser_says(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    said = []
    for listing in (True, False):
        parser, _ = build_parser(listing=listing)
        with pytest.raises(SystemExit) as stopped:
            parser.parse_args(argv)
        out, err = capsys.readouterr()
        said.append((stopped.value.code, out, err))
    assert said[0] == said[1]
    assert "cse-screen" in said[0][1] + said[0][2]
