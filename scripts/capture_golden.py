"""Capture the terminal goldens (tests/golden/) as a person sees them: each command runs in
a detached tmux pane of 80 or 120 columns and the pane is saved with ``capture-pane``.

    python scripts/capture_golden.py            # every case
    python scripts/capture_golden.py related    # the named cases

Uses a tmux server of its own (``tmux -L``), stopped at the end. Standard error (the
progress bar, the exit message) is not part of a capture; tests/test_terminal_golden.py
renders the same commands in-process and compares.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_terminal_golden import (  # after the path is set
    CASES,
    VAULTS,
    WIDTHS,
    arguments,
    golden_path,
    make_vault,
    normalize,
)

VAULTKIT = Path(sys.executable).with_name("vaultkit")
HEIGHT = 50


def capture(server: str, cwd: Path, width: int, argv: list[str]) -> str:
    """Run ``vaultkit argv`` in a fresh ``width``-column pane and return the whole screen
    (scrolled-off lines included)."""
    tmux = ["tmux", "-L", server]
    done = f"{server}-done"
    command = (f"env -u COLUMNS {shlex.join([str(VAULTKIT), *argv])} 2>/dev/null; "
               f"tmux -L {server} wait-for -S {done}; sleep 600")
    subprocess.run([*tmux, "new-session", "-d", "-s", "golden", "-x", str(width),
                    "-y", str(HEIGHT), "-c", str(cwd), command], check=True)
    try:
        subprocess.run([*tmux, "wait-for", done], check=True, timeout=120)
        return subprocess.run([*tmux, "capture-pane", "-p", "-t", "golden", "-S", "-",
                               "-E", "-"], check=True, capture_output=True, text=True).stdout
    finally:
        subprocess.run([*tmux, "kill-session", "-t", "golden"], check=False)


def main(names: list[str]) -> None:
    server = f"vaultkit-golden-{os.getpid()}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            parent = Path(tmp)
            for case in names or sorted(CASES):
                for which in VAULTS:
                    for width in WIDTHS:
                        make_vault(parent, which)  # refresh writes: every capture starts fresh
                        screen = capture(server, parent, width, arguments(case, which))
                        target = golden_path(case, width, which)
                        target.write_text(normalize(screen), encoding="utf-8")
                        print(target)
    finally:
        subprocess.run(["tmux", "-L", server, "kill-server"], check=False,
                       capture_output=True)


if __name__ == "__main__":
    main(sys.argv[1:])
