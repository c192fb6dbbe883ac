"""Start-up stays light: help and a note lookup on a warm index import no heavy library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import generate_vault
from vaultkit import Vault

HEAVY = ("pandas", "matplotlib", "networkx")


def imported_modules(*args: str) -> set[str]:
    """Top-level packages a ``vaultkit`` command imports (``python -X importtime``)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "vaultkit", *args],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    found = set()
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            found.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return found


def test_help_imports_no_heavy_library() -> None:
    assert not imported_modules("--help") & set(HEAVY)


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_note_on_a_warm_index_imports_no_heavy_library(tmp_path: Path, fmt: str) -> None:
    root = tmp_path / "vault"
    generate_vault(root, 20, seed=5)
    name = next(iter(Vault.load(root).notes.values())).name  # builds the index
    assert not imported_modules("--vault", str(root), "note", name, "--format", fmt) & set(HEAVY)
