"""The pure core must never import Textual (style.md: a pure core, a thin TUI)."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "cse_screen.questionnaire.models",
    "cse_screen.questionnaire.loader",
    "cse_screen.questionnaire.answers",
    "cse_screen.scoring",
    "cse_screen.report",
    "cse_screen.report.build",
    "cse_screen.report.markdown",
    "cse_screen.report.html",
    "cse_screen.report.pdf",
    "cse_screen.store",
    "cse_screen.store.database",
    "cse_screen.store.diff",
    "cse_screen.store.display",
    "cse_screen.language",
    "cse_screen.questionnaire.values",
    "cse_screen.session",
    "cse_screen.session.wizard",
    "cse_screen.session.review",
    "cse_screen.session.saving",
    "cse_screen.session.export",
    "cse_screen.session.installed",
    "cse_screen.session.contacts",
    "cse_screen.plain",
    "cse_screen.contacts",
    "cse_screen.cli",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    # A fresh interpreter: sys.modules in this process is polluted by TUI tests.
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "", f"{module} pulls in Textual: {out.stdout.strip()[:200]}"


def test_cli_help_builds_without_textual() -> None:
    code = (
        "import sys\n"
        "from cse_screen.cli import build_parser\n"
        "build_parser()\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"


def test_import_contracts_hold() -> None:
    # The layers, "Textual only in the TUI" and "no cycles in questionnaire/" are contracts
    # in pyproject.toml ([tool.importlinter]); scripts/test.sh runs them too.
    from pathlib import Path

    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([str(lint)], capture_output=True, text=True, timeout=120, cwd=root)
    assert out.returncode == 0, out.stdout[-3000:]
