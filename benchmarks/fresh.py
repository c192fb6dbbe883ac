"""Fresh ``vaultkit`` processes timed beside ``vaultkit --help`` (what starting a command
costs at all), in interleaved rounds so that load from other processes on a shared machine
hits every command alike; the median of the rounds is kept, wall and CPU (user + system).
Also the options and the warm vault the query-language benchmarks share."""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import generate_vault  # noqa: E402
from vaultkit import Vault  # noqa: E402


def bench_options(description: str) -> argparse.Namespace:
    """``--notes`` (a generated vault's size), ``--repeat`` (fresh-process rounds) and
    ``--vault`` (an existing generated vault instead)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--vault", type=Path, help="an existing generated vault to use")
    return parser.parse_args()


@contextlib.contextmanager
def warm_vault(options: argparse.Namespace) -> Iterator[Path]:
    """The vault of ``options`` (generated with seed 7 unless ``--vault`` names one), its
    index built, so every later load is warm."""
    with tempfile.TemporaryDirectory() as folder:
        root = options.vault or Path(folder)
        if options.vault is None:
            generate_vault(root, options.notes, seed=7)
        Vault.load(root)
        yield root


def fresh_rounds(commands: dict[str, list[str]], repeat: int = 3
                 ) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each ``vaultkit ARGS`` as a new process (this tree's
    vaultkit), ``--help`` first in every round."""
    measured = {"vaultkit --help": ["--help"], **commands}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in measured}
    for _ in range(repeat):
        for name, args in measured.items():
            times[name].append(_run(args))
    return {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
            for name, runs in times.items()}


def print_rounds(results: dict[str, tuple[float, float]], target: float = 1.0) -> None:
    """One line per command: wall, CPU, × ``--help`` wall, and the target verdict."""
    help_wall = results["vaultkit --help"][0]
    print(f"  {'fresh process':28} {'wall s':>7} {'CPU s':>7} {'× --help':>9}")
    for name, (wall, cpu) in results.items():
        verdict = "" if name == "vaultkit --help" else (
            "ok" if wall <= target else f"over {target:g} s")
        print(f"  {name:28} {wall:7.3f} {cpu:7.3f} {wall / help_wall:9.2f}  {verdict}")


def _run(args: list[str]) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "vaultkit", *args], env=env,
                               stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"vaultkit {' '.join(args)} failed ({process.returncode})")
    return wall, usage.ru_utime + usage.ru_stime
