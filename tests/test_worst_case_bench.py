"""The worst-case benchmark runs end to end and prints its table (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.worst_case import GROUPS, PATTERNS, note_of

ROOT = Path(__file__).resolve().parent.parent


def test_worst_case_benchmark_prints_a_row_per_pattern() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "worst_case.py"),
                          "--size", "4096", "--only", "[[", "%%\\n"],
                         capture_output=True, text=True, check=False, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = [line.split()[0] for line in run.stdout.splitlines()
            if "×" in line and not line.startswith("worst")]
    assert rows == ["[[", "%%\\n"]
    assert "worst pattern:" in run.stdout


def test_every_construct_of_issue_12_has_worst_cases() -> None:
    assert set(GROUPS) >= {"wikilinks", "tags", "fields", "tables", "math", "comments",
                           "callouts", "emphasis", "html", "code", "links", "footnotes"}
    assert all(0 < len(note_of(unit, 4096)) <= 4096 for unit in PATTERNS.values())
