#!/usr/bin/env bash
# Build the sdist, unpack it in a scratch folder and run its own test suite there against
# the package installed from it (not this checkout): proves the sdist is complete.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
.venv/bin/uv build -q --sdist --out-dir "$scratch/dist" .
tar -xzf "$scratch"/dist/*.tar.gz -C "$scratch"
unpacked=$(find "$scratch" -maxdepth 1 -type d -name 'cse_screen-*' | head -n 1)
echo "sdist: $(basename "$scratch"/dist/*.tar.gz), $(find "$unpacked" -type f | wc -l) files"
python3 -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install -q -c "$repo/constraints.txt" "$unpacked[test]"
cd "$unpacked"
# The installed package, not a source folder, is what the tests must import.
"$scratch/venv/bin/python" -c "import cse_screen, sys; assert 'site-packages' in cse_screen.__file__, cse_screen.__file__"
"$scratch/venv/bin/python" -m pytest -n 2 -q -p no:cacheprovider "$@"
