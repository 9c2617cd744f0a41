#!/usr/bin/env bash
# Install the project with its test extras into .venv and run every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
.venv/bin/ruff check src tests
.venv/bin/mypy src
.venv/bin/lint-imports
.venv/bin/python -m pytest -n 2 "$@"
