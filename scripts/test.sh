#!/usr/bin/env bash
# Install the project with its test extras into .venv, at the exact versions CI tested
# (constraints.txt, exported from uv.lock), and run every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q -c constraints.txt -e ".[test]"
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy src
.venv/bin/lint-imports
.venv/bin/python -m pytest -n 2 "$@"
