"""The benchmark script runs end to end and prints its table (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_prints_the_table() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
                         capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    for row in ("cold load", "warm load, nothing changed", "warm load, one note changed",
                "backlinks after load", "related after load",
                "vaultkit related NAME", "peak memory", "vaultkit --help"):
        assert row in run.stdout


def test_cold_load_against_the_blobs_only_index() -> None:
    """Both trees load the same vault cold and each gets its row of the table."""
    known = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", "53a6fb3^{commit}"],
                           capture_output=True, check=False)
    if known.returncode != 0:
        pytest.skip("the repository's history is not here (a shallow clone)")
    script = ROOT / "benchmarks" / "cold_before_tables.py"
    run = subprocess.run([sys.executable, str(script), "--notes", "60", "--repeat", "1"],
                         capture_output=True, text=True, check=False, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Cold load (60 notes" in run.stdout
    rows = {line[:30].strip(): line[30:].split() for line in run.stdout.splitlines()
            if line.startswith(("  blobs only", "  now"))}
    assert set(rows) == {"blobs only (53a6fb3)", "now (relational tables)"}
    assert rows["blobs only (53a6fb3)"][2:] == ["1.00", "1.00"]  # the baseline's own ratios
    for wall, cpu, *_ in rows.values():
        assert float(wall) > 0 and float(cpu) > 0
