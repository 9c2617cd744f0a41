#!/usr/bin/env bash
# The newest-versions path: in a scratch copy of this checkout, refresh the lock to the
# newest releases pyproject.toml allows and run scripts/test.sh there. This is what a user
# of `pipx install` / `uv tool install` gets. Not part of CI (its answer changes whenever a
# dependency releases); run it before refreshing the lock for real.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$scratch"
cd "$scratch"
uv_bin=$(command -v uv || echo "$OLDPWD/.venv/bin/uv")
"$uv_bin" lock -q --upgrade
"$uv_bin" export -q --locked --extra test --no-emit-project --no-hashes --no-header -o constraints.txt
echo "newest: $(grep -iE '^(textual|pydantic|pyyaml|rich|fpdf2|pytest|mypy|pypdf)==' constraints.txt | tr '\n' ' ')"
bash scripts/test.sh "$@"
