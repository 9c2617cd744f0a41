#!/usr/bin/env bash
# Install the LOWEST versions pyproject.toml allows for every direct dependency (uv's
# lowest-direct resolution) into .venv-floors and run the same checks as scripts/test.sh,
# so the floors we declare are floors that really work. CI runs this after test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-floors
# uv itself at the locked version (it is not a dependency of the product).
.venv-floors/bin/python -m pip install -q -c constraints.txt uv
.venv-floors/bin/uv pip install -q --python .venv-floors/bin/python --resolution lowest-direct -e ".[test]"
echo "floors: $(.venv-floors/bin/uv pip freeze --python .venv-floors/bin/python 2>/dev/null \
  | grep -iE '^(textual|pydantic|pyyaml|rich|platformdirs|jinja2|fpdf2|shtab|pytest|mypy|pypdf)==' | tr '\n' ' ')"
.venv-floors/bin/ruff check src tests benchmarks scripts
.venv-floors/bin/mypy src
.venv-floors/bin/python -m pytest -n 2 -q -p no:cacheprovider "$@"
