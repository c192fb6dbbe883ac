"""The start-up benchmark runs end to end and prints its tables (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_startup_benchmark_prints_a_row_per_command_in_both_modes() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "startup.py"), "--repeat",
                          "1"], capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "no bytecode cache" in run.stdout and "with a bytecode cache" in run.stdout
    rows = [line.split()[0] for line in run.stdout.splitlines() if "× py" in line]
    names = ["python", "import", "vaultkit", "scan", "backlinks", "related", "tags", "note",
             "sql", "query", "base"]
    assert rows == names + names
