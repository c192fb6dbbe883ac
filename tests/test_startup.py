"""Start-up stays light: help and a note lookup on a warm index import no heavy library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import generate_vault
from vaultkit import Vault
from vaultkit.cli import cli
from vaultkit.cli.app import COMMAND_MODULES

HEAVY = ("pandas", "matplotlib", "networkx")


def imported_modules(*args: str, whole: bool = False) -> set[str]:
    """Top-level packages (``whole``: every module) a ``vaultkit`` command imports
    (``python -X importtime``)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "vaultkit", *args],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    found = set()
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            found.add(name if whole else name.split(".")[0])
    return found


def test_help_imports_no_heavy_library() -> None:
    assert not imported_modules("--help") & set(HEAVY)


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_note_on_a_warm_index_imports_no_heavy_library(tmp_path: Path, fmt: str) -> None:
    root = tmp_path / "vault"
    generate_vault(root, 20, seed=5)
    name = next(iter(Vault.load(root).notes.values())).name  # builds the index
    assert not imported_modules("--vault", str(root), "note", name, "--format", fmt) & set(HEAVY)


def test_a_command_imports_its_own_module_and_no_other_command_module(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    generate_vault(root, 5, seed=5)
    listing = tmp_path / "modules.txt"
    program = ("import sys\nfrom vaultkit.cli import main\n"
               f"sys.argv = ['vaultkit', '--vault', {str(root)!r}, 'scan']\n"
               "try:\n    main()\nexcept SystemExit:\n    pass\n"
               f"open({str(listing)!r}, 'w').write('\\n'.join(sys.modules))\n")
    subprocess.run([sys.executable, "-c", program], check=True, capture_output=True)
    found = set(listing.read_text().splitlines())
    assert found & set(COMMAND_MODULES.values()) == {"vaultkit.cli.notes"}


def test_every_command_is_in_its_registered_module() -> None:
    # A command registered without an entry in COMMAND_MODULES would never be found.
    for name, command in cli.every_command().items():
        assert command.callback is not None
        assert COMMAND_MODULES[name] == command.callback.__module__, name
    assert set(cli.every_command()) == set(COMMAND_MODULES)
