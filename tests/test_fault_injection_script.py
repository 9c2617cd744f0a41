"""The committed fault-injection script still runs and still finds no lockout (a short run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_fault_injection_script_runs_its_store_parts(repo_root: Path) -> None:
    script = repo_root / "benchmarks" / "fault_injection.py"
    out = subprocess.run(
        [sys.executable, str(script), "--disk-full", "1", "--kills", "0", "--corruptions", "6"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in out.stderr, out.stderr[-2000:]
    rows = {
        line.split("|")[1].strip(): line.split("|")[2:-1]
        for line in out.stdout.splitlines()
        if line.startswith("| ")
    }
    assert set(rows) >= {"disk full at quit", "corruption of a copy"}, out.stdout
    lockouts = int(rows["disk full at quit"][-1])
    assert lockouts == 0, out.stdout
