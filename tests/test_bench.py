"""The benchmark script runs end to end and prints its table (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_prints_the_table() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
                         capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    for row in ("cold load", "warm load, nothing changed", "warm load, one note changed",
                "backlinks after load", "related after load",
                "vaultkit related NAME", "peak memory", "vaultkit --help"):
        assert row in run.stdout
